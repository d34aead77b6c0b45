"""Which dinner a print-out shows, as the printable view both faces render."""

from __future__ import annotations

import datetime as dt

from seating.club.report.html import DinnerView, dinner_view
from seating.club.store import ClubStore


def printable(store: ClubStore, date: dt.date | None = None) -> DinnerView:
    """The printable view of the dinner of ``date``: its draft, else its record.

    Without ``date``: the only draft, or, with no draft left, the dinner recorded last.

    Raises
    ------
    StoreError
        No draft or record of ``date``; no draft at all, or several, without ``date``.
    """
    with store.snapshot():
        drafts = {d.date: d for d in store.drafts()}
        if date is None and not drafts and store.dinner_dates():
            date = store.dinner_dates()[-1]
        dinner = drafts.get(date) if date is not None else None
        if dinner is None:
            recorded = store.dinner(date) if date is not None else None
            dinner = recorded if recorded is not None else store.draft(date)
        members = {m.id: m for m in store.members()}
        return dinner_view(dinner, members, title=store.club_name())
