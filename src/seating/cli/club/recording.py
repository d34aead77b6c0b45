"""What becomes of a draft: ``record`` turns it into history after the dinner (``--undo``
takes it back); ``discard`` deletes it when the dinner will not take place as planned
(:mod:`seating.club.workflow.recording`)."""

from __future__ import annotations

from typing import Annotated

import typer

from seating.cli.club._common import (
    DEFAULT_DB_PATH,
    BusyTimeout,
    DateOpt,
    DbPath,
    _date,
    _handled,
    _open,
    err,
    note,
    out,
)
from seating.club import workflow


def record(
    date: DateOpt = None,
    absent: Annotated[
        list[str] | None, typer.Option(help="No-shows to leave out: ids or names 'a,b'.")
    ] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Undo the latest record.")] = False,
    allow_future: Annotated[
        bool, typer.Option("--allow-future", help="Record a dinner dated after today.")
    ] = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """After the dinner: turn the draft into history (twice changes nothing); --undo reverts."""
    with _handled(), _open(db, busy_timeout) as store:
        day = _date(date)
        if undo:
            undone = store.undo_record(day)
            out.print(
                f"undid the record of the dinner of {undone}; its plan is a draft again",
                highlight=False,
            )
            return
        no_shows = workflow.members_named(store, absent, "absent")
        recorded = workflow.record_dinner(store, day, absent=no_shows, allow_future=allow_future)
        note(*recorded.notes)
    if not recorded.changed:
        out.print(
            f"the dinner of {recorded.date} is already recorded; nothing changed", highlight=False
        )
        return
    out.print(
        f"recorded the dinner of {recorded.date}: {recorded.people} people at "
        f"{recorded.tables} tables"
        + (f", {recorded.courses} courses" if recorded.courses > 1 else "")
        + " (undo: seating club record --undo)",
        highlight=False,
    )
    for line in recorded.broken:  # after the record: what took place is recorded as it was
        err.print(f"warning: the draft breaks a rule now: {line}", highlight=False)


def discard(
    date: DateOpt = None, db: DbPath = DEFAULT_DB_PATH, busy_timeout: BusyTimeout = 10.0
) -> None:
    """Delete a draft: the dinner is cancelled or will be planned afresh (it stops counting)."""
    with _handled(), _open(db, busy_timeout) as store:
        draft = store.discard_draft(_date(date))
    out.print(
        f"discarded the draft of {draft.date} ({len(draft.attendees)} people at "
        f"{len(draft.tables)} tables; seating club undo brings it back)",
        highlight=False,
    )


def undo_command(db: DbPath = DEFAULT_DB_PATH, busy_timeout: BusyTimeout = 10.0) -> None:
    """Take back the last change to the database, of any kind; again for the one before.

    Imports (also --replace), settings, plans and seasons, pin/swap/unpin/reseat, discard,
    record and record --undo: each keeps what it overwrote, in the database.
    """
    with _handled(), _open(db, busy_timeout) as store:
        undone = workflow.undo_change(store)
    if undone is None:
        out.print("nothing to undo: no change is left in the undo log", highlight=False)
        return
    out.print(f"undid {undone}", highlight=False)
