"""What becomes of a draft: recorded as history after the dinner (and the record undone), or
discarded when the dinner will not take place as planned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from seating.club.store import ClubStore
from seating.club.workflow.errors import FieldError
from seating.club.workflow.printing import broken_rules
from seating.errors import InputError


@dataclass(frozen=True)
class Recorded:
    """What recording a dinner did.

    Attributes
    ----------
    date
        The dinner.
    changed
        False when the dinner was already recorded alike: nothing changed.
    people, tables
        Who sat, at how many tables (no-shows left out); 0 when nothing changed.
    courses
        How many courses were recorded (one seating each).
    notes
        What to tell the organiser besides (earlier drafts still unrecorded).
    broken
        The rules the draft broke when it was recorded (added since it was planned), one
        sentence each: a face warns; the record keeps what took place.
    """

    date: dt.date
    changed: bool
    people: int = 0
    tables: int = 0
    notes: tuple[str, ...] = ()
    broken: tuple[str, ...] = ()
    courses: int = 1


def record_dinner(
    store: ClubStore,
    date: dt.date | None = None,
    *,
    absent: Sequence[str] = (),
    today: dt.date | None = None,
    allow_future: bool = False,
) -> Recorded:
    """After the dinner: turn its draft into history; recording it twice changes nothing.

    Parameters
    ----------
    store
        The club database.
    date
        The dinner; None: the only draft, or, with no draft left, the dinner recorded last
        (which is then already recorded: nothing changes).
    absent
        No-shows, left out of the history.
    today
        The day it is (default: the computer's date); a dinner after it has not taken place.
    allow_future
        Record a dinner dated after ``today`` all the same.

    Raises
    ------
    FieldError
        ``absent``: a member who is not seated in the draft; ``date``: the dinner is in the
        future.
    StoreError
        No draft (or several, without ``date``); the dinner recorded with another seating.
    InputError
        Nothing to record at all.
    """
    drafts = {d.date: d for d in store.drafts()}
    if date is None and not drafts:
        date = store.last_recorded()
        if date is None:
            raise InputError("no draft plan to record (make one with `seating club plan`)")
    if date is not None and date not in drafts and store.dinner(date) is not None:
        return Recorded(date, changed=False)
    draft = store.draft(date)
    today = today or dt.date.today()
    if draft.date > today and not allow_future:
        raise FieldError(
            "date",
            f"the dinner of {draft.date} is in the future (today is {today}): record it after "
            "the dinner (or with --allow-future)",
        )
    seated = draft.table_of()
    for member in absent:
        if member not in seated:
            raise FieldError("absent", f"member {member!r} is not seated in the draft")
    broken = tuple(broken_rules(store, draft))
    if not store.record(draft, absent=absent):
        return Recorded(draft.date, changed=False)
    people = len(draft.attendees) - len(absent)
    tables = sum(1 for t in draft.tables if any(m not in absent for m in t.members))
    earlier = [d for d in drafts if d < draft.date]
    notes = tuple(
        f"the draft of {d} comes earlier and is not recorded: record it "
        f"(seating club record --date {d}) or discard it if the dinner did not take place"
        for d in sorted(earlier)
    )
    return Recorded(draft.date, True, people, tables, notes, broken, draft.num_courses)
