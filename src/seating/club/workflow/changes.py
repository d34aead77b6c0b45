"""Changes that overwrite what the club already holds: what an import of history would replace
(so that a face asks before it does), and undoing the last change to the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from seating.club.records import RecordedDinner
from seating.club.store import ClubStore, StoreError
from seating.club.undo import Undone


@dataclass(frozen=True)
class Overwrite:
    """One dinner an import of history would overwrite with ``replace``.

    Attributes
    ----------
    date
        The dinner.
    recorded
        True: a recorded dinner with another seating; False: a draft plan, which is dropped.
    seats_now, seats_new
        People seated now (in the record or the draft), and in the file.
    """

    date: dt.date
    recorded: bool
    seats_now: int
    seats_new: int

    def describe(self) -> str:
        """The overwrite in one line, e.g. for a question before it happens."""
        what = "the recorded dinner" if self.recorded else "the draft plan"
        return (
            f"{what} of {self.date} ({self.seats_now} people) would be replaced by the "
            f"{self.seats_new} seats of the file"
        )


def history_overwrites(store: ClubStore, dinners: Sequence[RecordedDinner]) -> list[Overwrite]:
    """What :meth:`ClubStore.import_history` with ``replace`` would overwrite: recorded dinners
    with another seating and drafts of the same dates, by date. Empty: nothing is lost, the
    import needs no ``replace`` and no question.
    """
    with store.snapshot():
        recorded = {d.date: d for d in store.dinners()}
        drafts = {d.date: d for d in store.drafts()}
    found = []
    for dinner in sorted(dinners, key=lambda d: d.date):
        old = recorded.get(dinner.date)
        seats = len(dinner.seating())
        if old is not None and old.seatings() != dinner.seatings():
            found.append(Overwrite(dinner.date, True, len(old.seating()), seats))
        if dinner.date in drafts:
            found.append(Overwrite(dinner.date, False, len(drafts[dinner.date].attendees), seats))
    return found


def undo(store: ClubStore) -> Undone:
    """:func:`undo_change` for a face that shows a message: what was undone (``str()`` of it
    is one line), or :class:`StoreError` when there is nothing to undo."""
    undone = store.undo()
    if undone is None:
        raise StoreError("nothing to undo: no change is left in the undo log")
    return undone


def undo_change(store: ClubStore) -> Undone | None:
    """Take back the last change to the database (an import, a plan, a pin, a record, new
    settings, a discarded draft, ...) in one transaction; None when there is nothing to undo.
    Undoing again takes back the change before it."""
    return store.undo()
