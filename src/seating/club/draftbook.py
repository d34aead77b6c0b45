"""The draft plans of the club database: read, check, save (one or a season at once), discard.

:class:`DraftBook` is the part of :class:`~seating.club.store.ClubStore` that keeps the plans
of dinners that have not taken place yet; each write is one transaction that checks first
(:mod:`seating.club.guards`) and keeps what it overwrites in the undo log
(:mod:`seating.club.undo`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence

from seating.club import faults, schema
from seating.club.database import Database, StoreError
from seating.club.guards import check_draft_date, check_members, dates_of
from seating.club.records import ClubMember, Draft
from seating.club.undo import UndoEntry


class DraftBook(Database):
    """Draft plans in the club database, by date (see :class:`~seating.club.store.ClubStore`)."""

    def drafts(self) -> list[Draft]:
        rows = self._db.execute("SELECT plan FROM drafts ORDER BY date").fetchall()
        return [Draft.model_validate_json(r[0]) for r in rows]

    def draft(self, date: dt.date | None = None) -> Draft:
        """The draft for ``date``, or the only draft when ``date`` is None."""
        drafts = self.drafts()
        if date is not None:
            for draft in drafts:
                if draft.date == date:
                    return draft
            raise StoreError(f"no draft plan for {date} (make one with `seating club plan`)")
        if not drafts:
            raise StoreError("no draft plan (make one with `seating club plan`)")
        if len(drafts) > 1:
            dates = ", ".join(str(d.date) for d in drafts)
            raise StoreError(f"several draft plans ({dates}); choose one with --date")
        return drafts[0]

    def _check_draft(
        self,
        db: sqlite3.Connection,
        draft: Draft,
        *,
        replace: bool,
        expected: Draft | None = None,
    ) -> None:
        """What every draft must pass before it is written (inside the writing transaction):
        known members, and :func:`~seating.club.guards.check_draft_date`."""
        check_members(db, draft.attendees, f"draft {draft.date}")
        check_draft_date(db, draft.date, replace=replace, expected=expected)

    def check_dates(self, dates: Iterable[dt.date], *, replace: bool) -> None:
        """Raise :class:`StoreError` where :meth:`save_draft` would refuse a draft for one of
        ``dates`` (recorded, or a draft exists and not ``replace``): for commands that check
        before a long search. Saving checks again, in its own transaction."""
        with self.snapshot() as db:
            for day in dates:
                check_draft_date(db, day, replace=replace)

    def save_draft(
        self,
        draft: Draft,
        *,
        replace: bool = True,
        expected: Draft | None = None,
        guests: Sequence[ClubMember] = (),
    ) -> None:
        """Store a draft plan (and the guests it seats, registered for it).

        Parameters
        ----------
        draft
            The plan.
        replace
            With False, an existing draft for its date is an error.
        expected
            The draft this one was made from: if the stored draft is no longer that one
            (another command changed it meanwhile), nothing is written and
            :class:`StoreError` says so, instead of silently losing the other change.
        guests
            Guests registered for this dinner (:mod:`seating.club.workflow.guests`): written
            in the same transaction, so that undoing the plan removes new ones too.
        """
        with self.transaction() as db:
            date = draft.date.isoformat()
            exists = db.execute("SELECT 1 FROM drafts WHERE date = ?", (date,)).fetchone()
            what = f"the change to the draft of {date}" if exists else f"the plan of {date}"
            log = UndoEntry(db, what)
            for guest in guests:
                log.keep("member", guest.id)
                schema.write_member(db, guest)
            check_members(db, [g.guest_of for g in guests if g.guest_of], "guest_of")
            self._check_draft(db, draft, replace=replace, expected=expected)
            log.keep("draft", date)
            schema.write_draft(db, date, draft.model_dump_json())
            log.settle()

    def save_drafts(self, drafts: Sequence[Draft], *, replace: bool) -> None:
        """Store the drafts of several dinners (a season) in one transaction: all or none.

        Parameters
        ----------
        drafts
            The plans, one per date.
        replace
            With False, an existing draft for any of their dates is an error.

        Raises
        ------
        StoreError
            Two drafts for one date, or a draft that :meth:`save_draft` would refuse (unknown
            member, recorded dinner, existing draft without ``replace``); nothing is written.
        """
        seen: set[dt.date] = set()
        for draft in drafts:
            if draft.date in seen:
                raise StoreError(f"two draft plans for {draft.date}")
            seen.add(draft.date)
        with self.transaction() as db:
            # Every check before the first write: a refused draft must not depend on the
            # rollback to undo the drafts before it.
            for draft in drafts:
                self._check_draft(db, draft, replace=replace)
            log = UndoEntry(db, f"the season plan{dates_of([d.date for d in drafts])}")
            for k, draft in enumerate(drafts):
                log.keep("draft", draft.date.isoformat())
                if k == len(drafts) // 2:
                    faults.reached("save-drafts")  # with two or more drafts: between writes
                schema.write_draft(db, draft.date.isoformat(), draft.model_dump_json())
            log.settle()

    def discard_draft(self, date: dt.date | None = None) -> Draft:
        """Delete the draft for ``date`` (or the only draft): the dinner will not take place as
        planned. Returns the draft deleted; :class:`StoreError` if there is none."""
        with self.transaction() as db:
            draft = self.draft(date)
            day = draft.date.isoformat()
            UndoEntry(db, f"discarding the draft of {day}").keep("draft", day)
            db.execute("DELETE FROM drafts WHERE date = ?", (day,))
        return draft
