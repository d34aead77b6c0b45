"""What a write to the club database must respect, checked inside its transaction: members
it names are known, a draft's date is free; and how a change names itself in the undo log."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence

from seating.club.database import StoreError
from seating.club.records import Draft


def check_members(db: sqlite3.Connection, ids: Iterable[str], where: str) -> None:
    """:class:`StoreError` naming the first of ``ids`` that is no member (``where``: what
    names it, e.g. ``dinner 2026-03-05``)."""
    known = {r[0] for r in db.execute("SELECT id FROM members")}
    for member in ids:
        if member not in known:
            raise StoreError(f"{where}: unknown member id {member!r}")


def check_draft_date(
    db: sqlite3.Connection, day: dt.date, *, replace: bool, expected: Draft | None = None
) -> None:
    """A draft may be written for ``day``: the dinner is not recorded, no other draft exists
    unless ``replace``, and, with ``expected``, the stored draft is still the one the new
    draft was made from."""
    date = day.isoformat()
    if db.execute("SELECT 1 FROM dinners WHERE date = ?", (date,)).fetchone():
        raise StoreError(f"the dinner of {date} is already recorded")
    exists = db.execute("SELECT plan FROM drafts WHERE date = ?", (date,)).fetchone()
    if expected is not None and (
        exists is None or Draft.model_validate_json(exists[0]) != expected
    ):
        raise StoreError(
            f"the draft of {date} was changed by another command meanwhile; "
            f"nothing saved, run this one again"
        )
    if exists and not replace:
        raise StoreError(
            f"a draft plan for {date} exists (use --replace to plan afresh, or "
            f"`seating club reseat` for late changes)"
        )


def count(num: int, noun: str) -> str:
    """``1 dinner``, ``2 dinners``."""
    return f"{num} {noun}{'s' if num != 1 else ''}"


def dates_of(dates: Sequence[dt.date], most: int = 3) -> str:
    """`` (2025-09-18, 2025-10-16)``: the dates a change touched, the first few of them."""
    if not dates:
        return ""
    shown = ", ".join(str(d) for d in dates[:most])
    return f" ({shown}{', ...' if len(dates) > most else ''})"
