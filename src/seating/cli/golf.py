"""``seating golf G S W``: write a Social Golfer instance and plan it.

Registered in :mod:`seating.cli` as ``app.command("golf")(golf)``. Exit codes follow the rest of
the CLI: 0 a plan, 1 no plan, 2 bad input (one line, no traceback).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from seating.cli.console import WHOLE_COMMAND, Seed, command_budget, fail, write_atomically
from seating.errors import InputError
from seating.result import Result
from seating.season.golf import golf_problem
from seating.season.planner import plan_season

_out = Console()
_err = Console(stderr=True)


def _write(path: Path, text: str, option: str) -> None:
    """Write atomically, so that a crash leaves the old file or the new one."""
    try:
        write_atomically(path, text)
    except OSError as exc:
        raise fail(f"{option} {path}: {exc.strerror}") from None


def _show(result: Result, label: str) -> None:
    for plan in result.dinners:
        grid = Table(title=f"{label}, dinner of {plan.date}", show_header=False, box=None)
        for table in plan.tables:
            grid.add_row(f"[bold]{table.id}[/bold]", " ".join(table.members))
        _out.print(grid)


def _summary(result: Result, label: str) -> str:
    bounds = result.stats.get("lower_bounds", {})
    m = result.metrics
    return (
        f"{label}: status {result.status.value}, repeats {m.repeat_pairs} "
        f"(lower bound {bounds.get('repeats')}), most meetings of a pair {m.max_meetings} "
        f"(lower bound {bounds.get('max_meetings')}), {result.runtime_s:.2f} s, "
        f"method {result.method}"
    )


def golf(
    g: Annotated[int, typer.Argument(help="Tables (groups).", show_default=False)],
    s: Annotated[int, typer.Argument(help="Seats per table (group size).", show_default=False)],
    w: Annotated[int, typer.Argument(help="Dinners (rounds).", show_default=False)],
    adjacent: Annotated[
        bool, typer.Option("--adjacent", help="One table seats s + 1 (g*s + 1 players).")
    ] = False,
    players: Annotated[
        int | None,
        typer.Option(
            "--players", help="Players between g*s and g*(s+1): the extra ones sit at s+1 tables."
        ),
    ] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help=WHOLE_COMMAND)] = 10.0,
    seed: Seed = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Also write the plan JSON.")
    ] = None,
    write_problem: Annotated[
        Path | None, typer.Option("--write-problem", help="Write the instance as problem JSON.")
    ] = None,
) -> None:
    """Plan the Social Golfer instance G-S-W: G tables of S seats, everybody at each of W
    dinners, as few repeated pairs as possible."""
    label = f"golf {g}-{s}-{w}" + (" adjacent" if adjacent or players else "")
    try:
        if adjacent and players is not None:
            raise InputError("golf: give --adjacent or --players, not both")
        limit = command_budget(time_limit)
        count = g * s + 1 if adjacent else players
        problem = golf_problem(g, s, w, players=count)
        if write_problem is not None:
            _write(write_problem, problem.model_dump_json(indent=2, exclude_defaults=True) + "\n",
                   "--write-problem")  # fmt: skip
        result = plan_season(problem, time_limit=time_limit, seed=seed, stop=limit)
    except InputError as exc:
        raise fail(str(exc)) from None
    if out_file is not None:
        _write(out_file, result.to_json() + "\n", "--out")
    if not result.status.has_plan:
        raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
        _err.print(_summary(result, label), highlight=False)
    else:
        _show(result, label)
        _out.print(_summary(result, label), highlight=False)
