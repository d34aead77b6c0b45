"""``pin``, ``unpin``, ``swap``, ``reseat``: change a draft and re-plan it around the change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable
from rich.text import Text

from seating.adjust import Adjustment, reseat, solve_pinned
from seating.cli.club._common import (
    DEFAULT_DB_PATH,
    BusyTimeout,
    DateOpt,
    DbPath,
    FewestMoves,
    Method,
    TimeLimit,
    _date,
    _handled,
    _ids,
    _open,
    out,
)
from seating.cli.club.planning import (
    _changed,
    _check_later_drafts,
    _draft_from,
    _people,
    _problem,
    _show,
    _solve_with_bar,
)
from seating.cli.console import MethodChoice, Seed, command_budget, fail
from seating.club import files as csvio
from seating.club.store import ClubStore, Draft
from seating.errors import InputError
from seating.models import Table
from seating.stop import TimeBudget


def _repin(
    date: str | None,
    db: Path,
    busy_timeout: float,
    new_pins: Callable[[Draft], dict[str, str]],
    *,
    fewest_moves: bool,
    time_limit: float,
    seed: int,
    method: MethodChoice,
) -> None:
    """``pin`` and ``swap``: give the draft of ``date`` the pins ``new_pins(draft)`` returns
    (it raises :class:`InputError` for members it cannot pin), then re-plan it around them."""
    with _handled(), _open(db, busy_timeout) as store:
        limit = command_budget(time_limit)
        draft = store.draft(_date(date))
        pins = new_pins(draft)
        _adjust(
            store,
            draft,
            pins,
            fewest_moves=fewest_moves,
            limit=limit,
            seed=seed,
            method=method.value,
        )


def _adjust(
    store: ClubStore,
    draft: Draft,
    pins: dict[str, str],
    *,
    fewest_moves: bool,
    limit: TimeBudget,
    seed: int,
    method: str,
) -> None:
    """Re-plan a draft around new pins, save it, and say who changed table; ``limit`` is the
    budget of the whole command."""
    problem = _problem(store, draft.date, draft.attendees, draft.tables_input())
    before = draft.table_of()
    adjustment: Adjustment | None = None
    if fewest_moves:
        adjustment = _solve_with_bar(
            "re-seating",
            limit.seconds,
            lambda: reseat(problem, before, pins, time_limit=limit.remaining(), seed=seed),
        )
        result = adjustment.result
    else:
        result = _solve_with_bar(
            "re-optimising",
            limit.seconds,
            lambda: solve_pinned(
                problem,
                pins,
                method=method,
                time_limit=limit.remaining(),
                seed=seed,
                initial=before,
            ),
        )
    if not result.status.has_plan:
        raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
    new = _draft_from(result, draft.date, draft.tables_input(), pins)
    store.save_draft(new, expected=draft)
    _check_later_drafts(store, draft.date)
    _show(problem, result, pins)
    if adjustment is not None:
        _print_moves(adjustment)
    else:
        moved = _changed(before, new.table_of())
        out.print(f"{_people(len(moved))} changed table", highlight=False)


def pin(
    member: Annotated[str, typer.Argument(help="Member id.")],
    table: Annotated[str, typer.Argument(help="Table id.")],
    date: DateOpt = None,
    fewest_moves: FewestMoves = False,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    method: Method = MethodChoice.auto,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Pin MEMBER to TABLE in the draft, then re-optimise the rest."""

    def pinned(draft: Draft) -> dict[str, str]:
        if member not in draft.table_of():
            raise InputError(f"pin: member {member!r} is not seated in the draft of {draft.date}")
        return {**draft.pins, member: table}

    _repin(
        date,
        db,
        busy_timeout,
        pinned,
        fewest_moves=fewest_moves,
        time_limit=time_limit,
        seed=seed,
        method=method,
    )


def unpin(
    member: Annotated[str, typer.Argument(help="Member id.")],
    date: DateOpt = None,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Release a pinned member (the plan itself does not change)."""
    with _handled(), _open(db, busy_timeout) as store:
        draft = store.draft(_date(date))
        if member not in draft.pins:
            raise InputError(f"unpin: member {member!r} is not pinned in the draft")
        pins = {m: t for m, t in draft.pins.items() if m != member}
        store.save_draft(draft.model_copy(update={"pins": pins}), expected=draft)
    out.print(f"{member} is no longer pinned", highlight=False)


def swap(
    first: Annotated[str, typer.Argument(help="Member id.")],
    second: Annotated[str, typer.Argument(help="Member id.")],
    date: DateOpt = None,
    fewest_moves: FewestMoves = False,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    method: Method = MethodChoice.auto,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Swap the tables of two members (both then pinned), and re-optimise the rest."""

    def swapped(draft: Draft) -> dict[str, str]:
        seating = draft.table_of()
        for member in (first, second):
            if member not in seating:
                raise InputError(f"swap: member {member!r} is not seated in the draft")
        if seating[first] == seating[second]:
            raise InputError(f"swap: {first!r} and {second!r} already sit at {seating[first]}")
        return {**draft.pins, first: seating[second], second: seating[first]}

    _repin(
        date,
        db,
        busy_timeout,
        swapped,
        fewest_moves=fewest_moves,
        time_limit=time_limit,
        seed=seed,
        method=method,
    )


def _print_moves(adjustment: Adjustment) -> None:
    moves = adjustment.moves
    proof = "the fewest the rules allow" if adjustment.minimal else "not proven the fewest"
    out.print(Text.assemble((f"{_people(len(moves))} moved", "bold"), f" ({proof})"))
    if moves or adjustment.seated:
        table = RichTable(show_header=True, header_style="bold")
        for column in ("member", "name", "from", "to", "why"):
            table.add_column(column)
        for move in [*moves, *adjustment.seated]:
            table.add_row(move.member, move.name, move.from_table or "-", move.to_table, move.why)
        out.print(table)


def _parse_table(spec: str) -> Table:
    parts = spec.split(":")
    if (
        len(parts) not in (2, 3)
        or not parts[0]
        or not parts[1].isdigit()
        or not 1 <= int(parts[1]) <= csvio.MAX_CAPACITY
    ):
        raise InputError(
            f"--add-table: expected ID:CAPACITY[:HOST], capacity 1 to {csvio.MAX_CAPACITY} "
            f"(got {spec!r})"
        )
    host = parts[2] if len(parts) == 3 and parts[2] else None
    return Table(id=parts[0], capacity=int(parts[1]), host=host)


def reseat_command(
    date: DateOpt = None,
    cancel: Annotated[
        list[str] | None, typer.Option(help="Cancellations: member ids 'a,b' (repeatable).")
    ] = None,
    walk_in: Annotated[
        list[str] | None, typer.Option(help="Walk-ins: member ids 'a,b' (repeatable).")
    ] = None,
    attendees_file: Annotated[
        Path | None, typer.Option("--attendees", help="The full new list of attendees.")
    ] = None,
    remove_table: Annotated[list[str] | None, typer.Option(help="Table ids to remove.")] = None,
    add_table: Annotated[
        list[str] | None, typer.Option(help="A table to add: ID:CAPACITY[:HOST].")
    ] = None,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Re-seat the draft after late changes, moving as few people as the rules allow."""
    with _handled(), _open(db, busy_timeout) as store:
        limit = command_budget(time_limit)
        draft = store.draft(_date(date))
        before = draft.table_of()
        cancelled, walk_ins = _ids(cancel), _ids(walk_in)
        if attendees_file is not None:
            if cancelled or walk_ins:
                raise InputError("--attendees: give either the full list or --cancel/--walk-in")
            listed = csvio.read_id_list(attendees_file)
            cancelled = [m for m in draft.attendees if m not in listed]
            walk_ins = [m for m in listed if m not in before]
        for member in cancelled:
            if member not in before:
                raise InputError(f"--cancel: member {member!r} is not seated in the draft")
        for member in walk_ins:
            if member in before:
                raise InputError(f"--walk-in: member {member!r} already has a seat")
        removed = _ids(remove_table)
        known_tables = {t.id for t in draft.tables}
        for table_id in removed:
            if table_id not in known_tables:
                raise InputError(f"--remove-table: the draft has no table {table_id!r}")
        if known_tables <= set(removed) and not add_table:
            raise InputError("--remove-table: no table would be left (add one with --add-table)")
        attendees = [m for m in draft.attendees if m not in cancelled] + walk_ins
        tables = [
            Table(id=t.id, capacity=t.capacity, host=None if t.host in cancelled else t.host)
            for t in draft.tables
            if t.id not in removed
        ] + [_parse_table(spec) for spec in add_table or ()]
        pins = {m: t for m, t in draft.pins.items() if m not in cancelled and t not in removed}
        problem = _problem(store, draft.date, attendees, tables)
        reasons = {t: f"table {t} was removed" for t in removed}
        adjustment = _solve_with_bar(
            "re-seating",
            time_limit,
            lambda: reseat(
                problem,
                before,
                pins,
                time_limit=limit.remaining(),
                seed=seed,
                removed_tables=reasons,
            ),
        )
        result = adjustment.result
        if not result.status.has_plan:
            raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
        store.save_draft(_draft_from(result, draft.date, tables, pins), expected=draft)
        _check_later_drafts(store, draft.date)
    _show(problem, result, pins)
    names = {m.id: m.display_name for m in problem.members}
    if cancelled:
        out.print("cancelled: " + ", ".join(names[m] for m in cancelled), highlight=False)
    released = [m for m in draft.pins if m not in pins]
    if released:
        out.print("no longer pinned: " + ", ".join(names[m] for m in released), highlight=False)
    _print_moves(adjustment)
