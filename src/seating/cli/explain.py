"""``seating explain PROBLEM.json PLAN.json [--table ID | --member ID]``: why people sit together.

Registered in :mod:`seating.cli`. Exit codes as everywhere: 0 success, 2 bad input (one line).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from seating.cli.console import fail
from seating.errors import InputError
from seating.explain import (
    DinnerExplanation,
    MemberExplanation,
    PairReason,
    TableExplanation,
)
from seating.explain import explain as explain_plan
from seating.read import read_plan, read_problem

out = Console(soft_wrap=True)  # long lines stay whole in pipes and files
err = Console(stderr=True)


def _same(text: str) -> str:
    return text


def _pairs(rows: list[PairReason], member_view: bool, named: Callable[[str], str] = _same) -> Table:
    grid = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    grid.add_column("table mate" if member_view else "pair")
    grid.add_column("met", justify="right")
    grid.add_column("last met", justify="right")
    grid.add_column("term", justify="right")
    grid.add_column("why", style="dim")
    for p in rows:
        who = named(p.b) if member_view else f"{named(p.a)} + {named(p.b)}"
        last = "-" if p.last_met is None else f"{p.last_met + 1} ago"
        why = p.why.split(": ", 1)[-1]
        # Text, not str: ids and names are data and must never be read as rich markup.
        grid.add_row(Text(who), str(p.meetings), last, f"{p.weight:+g}", Text(why))
    return grid


def _show_table(table: TableExplanation, named: Callable[[str], str] = _same) -> None:
    out.print(
        Text.assemble(
            ("table ", "bold"),
            (table.table, "bold"),
            f" ({len(table.members)}/{table.capacity}): {table.new_pairs} new pairs, "
            f"{table.repeat_pairs} met before; objective here: pairs {table.pair_cost:+g}, "
            f"fairness {table.fairness_cost:+g}",
        ),
        highlight=False,
    )
    for rule in table.rules:
        out.print(Text(f"  rule: {named(rule)}"), highlight=False)
    out.print(_pairs(table.pairs, member_view=False, named=named))


def _show_member(member: MemberExplanation, named: Callable[[str], str] = _same) -> None:
    head, *rules = member.lines()[: 1 + len(member.rules)]
    for line in [head, *map(named, rules)]:
        out.print(Text(line), highlight=False)
    out.print(_pairs(member.mates, member_view=True, named=named))
    if member.fairness_cost:
        out.print(f"  fairness term: {member.fairness_cost:+g}", highlight=False)


def explain(
    problem_file: Annotated[Path, typer.Argument(help="Problem JSON the plan was made for.")],
    plan_file: Annotated[Path, typer.Argument(help="Plan JSON (`seating plan --json`).")],
    table: Annotated[str | None, typer.Option("--table", help="Explain one table.")] = None,
    member: Annotated[str | None, typer.Option("--member", help="Explain one member.")] = None,
    dinner: Annotated[
        str, typer.Option("--dinner", help="Dinner of a multi-dinner plan: index or date.")
    ] = "0",
    course: Annotated[
        int, typer.Option("--course", help="Course of a dinner with several courses (from 1).")
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
) -> None:
    """Explain why people sit together: met before or not, rules, terms of the objective."""
    try:
        if table is not None and member is not None:
            raise InputError("give --table or --member, not both")
        problem = read_problem(problem_file)
        result = read_plan(plan_file)
        which: int | str = int(dinner) if dinner.strip().lstrip("-").isdigit() else dinner
        with as_options():
            explanation = explain_plan(problem, result, dinner=which, course=course)
        # The choice is checked before anything is printed.
        show(explanation, table=table, member=member, as_json=as_json)
    except InputError as exc:
        raise fail(str(exc)) from None


@contextmanager
def as_options() -> Iterator[None]:
    """Word the library's errors about ``dinner``, ``table`` or ``member`` as the options
    ``--dinner``, ``--table`` and ``--member`` of this command (the library names its own
    parameters; the command line names its options)."""
    try:
        yield
    except InputError as exc:
        message = str(exc)
        if message.startswith(("dinner: ", "course: ", "table: ", "member: ")):
            raise InputError(f"--{message}") from None
        raise


def show(
    explanation: DinnerExplanation,
    *,
    table: str | None = None,
    member: str | None = None,
    as_json: bool = False,
    named: Callable[[str], str] = _same,
) -> None:
    """Print an explanation: everything, one table or one member; as text or JSON.

    Shared by ``seating explain`` and ``seating club explain``. Raises :class:`InputError` for
    an unknown table or a member who is not seated, before printing anything. ``named`` puts
    names to the ids of a text line (the club knows its members' names); JSON keeps ids.
    """
    if table is not None and member is not None:
        raise InputError("give --table or --member, not both")
    with as_options():
        chosen_table = explanation.table(table) if table is not None else None
        chosen_member = explanation.member(member) if member is not None else None
    if as_json:
        data = explanation.to_dict()
        if chosen_table is not None:
            data["tables"] = [t for t in data["tables"] if t["table"] == table]
        if chosen_member is not None:
            data = {
                "date": data["date"],
                "policy": data["policy"],
                "member": asdict(chosen_member),
            }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    out.print(
        f"[bold]Dinner of {explanation.date}[/bold]: policy {explanation.policy}; "
        f"objective {explanation.objective:g}",
        highlight=False,
    )
    if chosen_member is not None:
        _show_member(chosen_member, named)
    elif chosen_table is not None:
        _show_table(chosen_table, named)
    else:
        for t in explanation.tables:
            _show_table(t, named)
