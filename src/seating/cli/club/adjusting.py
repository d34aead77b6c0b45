"""``pin``, ``unpin``, ``swap``, ``reseat``: change a draft and re-plan it around the change
(:mod:`seating.club.workflow.adjusting`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable
from rich.text import Text

from seating.adjust import Adjustment
from seating.cli.club._common import (
    DEFAULT_DB_PATH,
    BusyTimeout,
    Course,
    DateOpt,
    DbPath,
    FewestMoves,
    Method,
    TimeLimit,
    Verbose,
    _date,
    _handled,
    _ids,
    _open,
    note,
    out,
)
from seating.cli.club.planning import _people, _show, _solve_with_bar
from seating.cli.console import MethodChoice, Seed, command_budget, fail
from seating.club import files as csvio
from seating.club import workflow
from seating.club.names import Directory
from seating.club.records import Draft
from seating.club.store import ClubStore
from seating.club.values import parse_count
from seating.errors import InputError
from seating.models import Table


def _repin(
    date: str | None,
    db: Path,
    busy_timeout: float,
    new_pins: Callable[[Draft, Directory], dict[str, str]],
    *,
    course: int,
    fewest_moves: bool,
    time_limit: float,
    seed: int,
    method: MethodChoice,
    verbose: bool,
) -> None:
    """``pin`` and ``swap``: give the draft of ``date`` (its course ``course``) the pins
    ``new_pins(course, people)`` returns (members named by id or name; it raises
    :class:`InputError` for members it cannot pin), then re-plan that course around them,
    save it, and say who changed table."""
    with _handled(), _open(db, busy_timeout) as store:
        limit = command_budget(time_limit)
        draft = store.draft(_date(date))
        pins = new_pins(workflow.course_of(draft, course), workflow.directory(store))
        job = workflow.prepare_repin(store, draft, pins, fewest_moves=fewest_moves, course=course)
        found = _solve_with_bar(
            "re-seating" if fewest_moves else "re-optimising",
            time_limit,
            lambda: job.search(method=method.value, time_limit=time_limit, seed=seed, stop=limit),
        )
        adjusted = job.save(store, found)
        note(*adjusted.notes)
        if adjusted.draft is None:
            result = adjusted.result
            raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
        language = store.club_language()
        _show_adjusted(store, adjusted, language=language, verbose=verbose)
        if adjusted.adjustment is not None:
            _print_moves(adjusted.adjustment)
        else:
            out.print(f"{_people(len(adjusted.moved))} changed table", highlight=False)


def _show_adjusted(
    store: ClubStore, adjusted: workflow.Adjusted, *, language: str, verbose: bool
) -> None:
    """The new draft: as re-planned, or, with several courses, the whole evening as it is
    now (the course changed and the others)."""
    if adjusted.draft is not None and adjusted.draft.num_courses > 1:
        view = workflow.view_draft(store, adjusted.draft.date)
        pins = [view.draft.course(k).pins for k in range(1, view.draft.num_courses + 1)]
        _show(view.problem, view.result, pins, language=language, verbose=verbose)
        return
    _show(adjusted.problem, adjusted.result, adjusted.pins, language=language, verbose=verbose)


def pin(
    member: Annotated[str, typer.Argument(help="Member id or name.")],
    table: Annotated[str, typer.Argument(help="Table id.")],
    date: DateOpt = None,
    course: Course = 1,
    fewest_moves: FewestMoves = True,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    method: Method = MethodChoice.auto,
    verbose: Verbose = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Pin MEMBER to TABLE in the draft, moving as few others as the rules need (shown);
    --reoptimise re-plans the rest around the pin instead."""
    _repin(
        date,
        db,
        busy_timeout,
        lambda draft, people: workflow.pinned(
            draft, workflow.member_named(people, member, "pin"), table
        ),
        course=course,
        fewest_moves=fewest_moves,
        time_limit=time_limit,
        seed=seed,
        method=method,
        verbose=verbose,
    )


def unpin(
    member: Annotated[str, typer.Argument(help="Member id or name.")],
    date: DateOpt = None,
    course: Course = 1,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Release a pinned member (the plan itself does not change)."""
    with _handled(), _open(db, busy_timeout) as store:
        people = workflow.directory(store)
        who = workflow.member_named(people, member, "unpin")
        workflow.unpin(store, store.draft(_date(date)), who, course)
    out.print(f"{people.label(who)} is no longer pinned", highlight=False)


def swap(
    first: Annotated[str, typer.Argument(help="Member id or name.")],
    second: Annotated[str, typer.Argument(help="Member id or name.")],
    date: DateOpt = None,
    course: Course = 1,
    fewest_moves: FewestMoves = True,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    method: Method = MethodChoice.auto,
    verbose: Verbose = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Swap the tables of two members (both then pinned), moving as few others as the rules
    need (shown); --reoptimise re-plans the rest around them instead."""
    _repin(
        date,
        db,
        busy_timeout,
        lambda draft, people: workflow.swapped(
            draft,
            workflow.member_named(people, first, "swap"),
            workflow.member_named(people, second, "swap"),
        ),
        course=course,
        fewest_moves=fewest_moves,
        time_limit=time_limit,
        seed=seed,
        method=method,
        verbose=verbose,
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
    seats = parse_count(parts[1], 1, csvio.MAX_CAPACITY) if len(parts) in (2, 3) else None
    if not parts[0] or seats is None:
        shown = spec if len(spec) <= 40 else spec[:40] + "..."
        raise InputError(
            f"--add-table: expected ID:CAPACITY[:HOST], capacity 1 to {csvio.MAX_CAPACITY} "
            f"(got {shown!r})"
        )
    host = parts[2] if len(parts) == 3 and parts[2] else None
    return Table(id=parts[0], capacity=seats, host=host)


def reseat_command(
    date: DateOpt = None,
    course: Course = 1,
    cancel: Annotated[
        list[str] | None, typer.Option(help="Cancellations: ids or names 'a,b' (repeatable).")
    ] = None,
    walk_in: Annotated[
        list[str] | None, typer.Option(help="Walk-ins: ids or names 'a,b' (repeatable).")
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
    verbose: Verbose = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Re-seat the draft after late changes, moving as few people as the rules allow."""
    with _handled(), _open(db, busy_timeout) as store:
        limit = command_budget(time_limit)
        draft = store.draft(_date(date))
        people = workflow.directory(store)
        cancelled = workflow.members_named(people, cancel, "cancel")
        walk_ins = workflow.members_named(people, walk_in, "walk_in")
        if attendees_file is not None:
            if cancelled or walk_ins:
                raise InputError("--attendees: give either the full list or --cancel/--walk-in")
            listed = csvio.read_id_list(attendees_file, resolve=people.resolve)
            before = draft.table_of()
            cancelled = [m for m in draft.attendees if m not in listed]
            walk_ins = [m for m in listed if m not in before]
        changes = workflow.LateChanges(
            cancel=cancelled, walk_in=walk_ins, remove_tables=_ids(remove_table)
        )
        # Before reading the new tables:
        workflow.check_late_changes(workflow.course_of(draft, course), changes)
        added = [_parse_table(spec) for spec in add_table or ()]
        changes = dataclasses.replace(changes, add_tables=added)
        job = workflow.prepare_reseat(store, draft, changes, course=course)
        found = _solve_with_bar(
            "re-seating",
            time_limit,
            lambda: job.search(time_limit=time_limit, seed=seed, stop=limit),
        )
        adjusted = job.save(store, found)
        note(*adjusted.notes)
        if adjusted.draft is None:
            result = adjusted.result
            raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
        language = store.club_language()
        _show_adjusted(store, adjusted, language=language, verbose=verbose)
    names = {m.id: m.display_name for m in adjusted.problem.members}
    if adjusted.cancelled:
        out.print("cancelled: " + ", ".join(names[m] for m in adjusted.cancelled), highlight=False)
    if adjusted.released:
        out.print(
            "no longer pinned: " + ", ".join(names[m] for m in adjusted.released), highlight=False
        )
    assert adjusted.adjustment is not None  # re-seating always moves the fewest
    _print_moves(adjusted.adjustment)
