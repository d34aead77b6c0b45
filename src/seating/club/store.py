"""The club database: members, recorded dinners, draft plans, policy and rules, in SQLite.

One file (``seating.db`` by default) holds everything the organiser's workflow needs.
:class:`ClubStore` is its repository: it reads and writes the records of
:mod:`seating.club.records`, and checks what each write must respect (known members, a dinner
recorded once, a draft not overwritten unasked). Every write is one transaction (see
:class:`~seating.club.database.Database`: WAL journal, busy timeout, schema migrations on
opening), so a process killed half-way leaves the database as it was before;
:mod:`seating.club.faults` names the points inside those transactions where the reliability
tests kill it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence

from seating.club import faults, schema
from seating.club.database import Database, StoreBusyError, StoreError
from seating.club.records import (
    ClubMember,
    Draft,
    HistoryImport,
    MemberImport,
    RecordedDinner,
    SeatedTable,
)
from seating.models import PastDinner, Policy, Rules

DEFAULT_DB = "seating.db"
"""The database file used when no ``--db`` is given, in the working folder."""

__all__ = ["DEFAULT_DB", "ClubStore", "StoreBusyError", "StoreError"]


def _fault(point: str | None) -> Callable[[], None] | None:
    """What a write calls half-way: fault point ``point`` (see :mod:`seating.club.faults`)."""
    return None if point is None else lambda: faults.reached(point)


class ClubStore(Database):
    """The club database in one SQLite file: members, history, settings, drafts, records.

    Parameters
    ----------
    path
        The database file.
    create
        Create the file if it does not exist; otherwise a missing file is a :class:`StoreError`
        (so that a typo in ``--db`` does not silently start an empty club).
    busy_timeout
        Seconds a writer waits for another process's write to finish before :class:`StoreBusyError`.
    """

    # -- members ---------------------------------------------------------------------------

    def members(self, *, active_only: bool = False) -> list[ClubMember]:
        """Every member (or the active ones), ordered by id."""
        where = "WHERE active = 1" if active_only else ""
        rows = self._db.execute(f"SELECT * FROM members {where} ORDER BY id").fetchall()
        return [schema.member_from_row(r) for r in rows]

    def member_ids(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT id FROM members")}

    def import_members(
        self, members: Sequence[ClubMember], *, missing_left: bool = False
    ) -> MemberImport:
        """Add or update members (matched by id) in one transaction.

        Parameters
        ----------
        members
            The members as read from a file; ids must be unique.
        missing_left
            Mark active members who are not in ``members`` as having left the club.
        """
        added: list[str] = []
        updated: list[str] = []
        unchanged = 0
        with self.transaction() as db:
            rows = db.execute("SELECT * FROM members")
            current = {m.id: m for m in map(schema.member_from_row, rows)}
            for k, member in enumerate(members):
                if k == len(members) // 2:
                    faults.reached("import-members")
                old = current.get(member.id)
                if old == member:
                    unchanged += 1
                    continue
                schema.write_member(db, member)
                (added if old is None else updated).append(member.id)
            left: list[str] = []
            if missing_left:
                listed = {m.id for m in members}
                left = sorted(m for m, old in current.items() if old.active and m not in listed)
                db.executemany("UPDATE members SET active = 0 WHERE id = ?", [(m,) for m in left])
        return MemberImport(tuple(added), tuple(updated), unchanged, tuple(left))

    # -- history ---------------------------------------------------------------------------

    def dinner_dates(self) -> list[dt.date]:
        rows = self._db.execute("SELECT date FROM dinners ORDER BY date")
        return [dt.date.fromisoformat(r[0]) for r in rows]

    def dinners(self) -> list[RecordedDinner]:
        """Every recorded dinner, oldest first, tables in their recorded order."""
        return schema.read_dinners(self._db)

    def dinner(self, date: dt.date) -> RecordedDinner | None:
        for dinner in self.dinners():
            if dinner.date == date:
                return dinner
        return None

    def history(self) -> list[PastDinner]:
        """The recorded dinners as the planning model reads them."""
        return [d.as_past() for d in self.dinners()]

    def _check_members(self, db: sqlite3.Connection, ids: Iterable[str], where: str) -> None:
        known = {r[0] for r in db.execute("SELECT id FROM members")}
        for member in ids:
            if member not in known:
                raise StoreError(f"{where}: unknown member id {member!r}")

    def import_history(
        self, dinners: Sequence[RecordedDinner], *, replace: bool = False
    ) -> HistoryImport:
        """Add past dinners in one transaction.

        A dinner already recorded with the same seating is left alone (importing a file twice
        changes nothing); one recorded differently is an error unless ``replace``.
        """
        added: list[dt.date] = []
        replaced: list[dt.date] = []
        unchanged: list[dt.date] = []
        dropped: list[dt.date] = []
        seats = 0
        with self.transaction() as db:
            existing = {d.date: d for d in self.dinners()}
            drafts = {r[0] for r in db.execute("SELECT date FROM drafts")}
            for dinner in dinners:
                self._check_members(db, dinner.seating(), f"dinner {dinner.date}")
            for k, dinner in enumerate(dinners):
                old = existing.get(dinner.date)
                if old is not None and old.seating() == dinner.seating():
                    unchanged.append(dinner.date)
                    continue
                if old is not None and not replace:
                    raise StoreError(
                        f"dinner {dinner.date} is already recorded with a different seating "
                        f"(use --replace to overwrite it)"
                    )
                point = "import-history" if k == len(dinners) // 2 else None
                schema.write_dinner(db, dinner, "import", halfway=_fault(point))
                (added if old is None else replaced).append(dinner.date)
                seats += len(dinner.seating())
                if dinner.date.isoformat() in drafts:
                    # The dinner took place and is recorded now: its draft could never be
                    # recorded any more (`record` failed on it), so it goes.
                    db.execute("DELETE FROM drafts WHERE date = ?", (dinner.date.isoformat(),))
                    dropped.append(dinner.date)
        return HistoryImport(tuple(added), tuple(replaced), tuple(unchanged), seats, tuple(dropped))

    # -- settings: policy, rules, club name ------------------------------------------------

    def _setting(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def policy(self) -> Policy:
        raw = self._setting("policy")
        return Policy() if raw is None else Policy.model_validate_json(raw)

    def rules(self) -> Rules:
        raw = self._setting("rules")
        return Rules() if raw is None else Rules.model_validate_json(raw)

    def club_name(self) -> str:
        return self._setting("club_name") or "Club dinner"

    def club_language(self) -> str:
        """The language of the club's print-outs and files (``nl``, ``fr`` or ``en``)."""
        return self._setting("language") or "en"

    def save_settings(
        self,
        *,
        policy: Policy | None = None,
        rules: Rules | None = None,
        name: str | None = None,
        language: str | None = None,
    ) -> None:
        """Store the club's policy, rules, name and language (rules must name known members)."""
        with self.transaction() as db:
            values: dict[str, str] = {}
            if policy is not None:
                values["policy"] = policy.model_dump_json()
            if rules is not None:
                ids = [m for group in rules.together for m in group]
                ids += [m for pair in rules.apart for m in pair]
                self._check_members(db, ids, "rules")
                values["rules"] = rules.model_dump_json()
            if name is not None:
                values["club_name"] = name
            if language is not None:
                values["language"] = language
            db.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    # -- drafts ----------------------------------------------------------------------------

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
        known members, and :meth:`_check_date`."""
        self._check_members(db, draft.attendees, f"draft {draft.date}")
        self._check_date(db, draft.date, replace=replace, expected=expected)

    @staticmethod
    def _check_date(
        db: sqlite3.Connection, day: dt.date, *, replace: bool, expected: Draft | None = None
    ) -> None:
        """A draft may be written for ``day``: the dinner is not recorded, no other draft
        exists unless ``replace``, and, with ``expected``, the stored draft is still the one
        the new draft was made from."""
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

    def check_dates(self, dates: Iterable[dt.date], *, replace: bool) -> None:
        """Raise :class:`StoreError` where :meth:`save_draft` would refuse a draft for one of
        ``dates`` (recorded, or a draft exists and not ``replace``): for commands that check
        before a long search. Saving checks again, in its own transaction."""
        with self.snapshot() as db:
            for day in dates:
                self._check_date(db, day, replace=replace)

    def save_draft(
        self, draft: Draft, *, replace: bool = True, expected: Draft | None = None
    ) -> None:
        """Store a draft plan.

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
        """
        with self.transaction() as db:
            self._check_draft(db, draft, replace=replace, expected=expected)
            schema.write_draft(db, draft.date.isoformat(), draft.model_dump_json())

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
            for k, draft in enumerate(drafts):
                if k == len(drafts) // 2:
                    faults.reached("save-drafts")  # with two or more drafts: between writes
                schema.write_draft(db, draft.date.isoformat(), draft.model_dump_json())

    def discard_draft(self, date: dt.date | None = None) -> Draft:
        """Delete the draft for ``date`` (or the only draft): the dinner will not take place as
        planned. Returns the draft deleted; :class:`StoreError` if there is none."""
        with self.transaction() as db:
            draft = self.draft(date)
            db.execute("DELETE FROM drafts WHERE date = ?", (draft.date.isoformat(),))
        return draft

    # -- record and undo -------------------------------------------------------------------

    def record(self, draft: Draft, *, absent: Collection[str] = ()) -> bool:
        """Turn a draft into history in one transaction; False if already recorded alike.

        ``absent`` members (no-shows) are left out of the history; undoing the record gives
        back the draft as it was. Raises :class:`StoreError` when the dinner is recorded with
        a different seating.
        """
        date = draft.date.isoformat()
        dinner = RecordedDinner(
            draft.date,
            tuple(
                SeatedTable(
                    t.id,
                    tuple(m for m in t.members if m not in absent),
                    t.capacity,
                    None if t.host in absent else t.host,
                )
                for t in draft.tables
                if any(m not in absent for m in t.members)
            ),
        )
        with self.transaction() as db:
            old = self.dinner(draft.date)
            if old is not None:
                if old.seating() == dinner.seating():
                    return False
                raise StoreError(
                    f"the dinner of {date} is already recorded with a different seating "
                    f"(undo it first: `seating club record --undo --date {date}`)"
                )
            self._check_members(db, dinner.seating(), f"dinner {date}")
            schema.write_dinner(db, dinner, "record", halfway=_fault("record"))
            db.execute(
                "INSERT INTO record_log (date, recorded_at, draft) VALUES (?, ?, ?)",
                (date, schema.now(), draft.model_dump_json()),
            )
            db.execute("DELETE FROM drafts WHERE date = ?", (date,))
        return True

    def last_recorded(self) -> dt.date | None:
        """The date of the latest dinner recorded with :meth:`record` (and not undone)."""
        row = self._db.execute(
            "SELECT date FROM record_log WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else dt.date.fromisoformat(row[0])

    def undo_record(self, date: dt.date | None = None) -> dt.date:
        """Undo the latest record (of ``date``): the dinner leaves history, its draft returns."""
        with self.transaction() as db:
            query = "SELECT * FROM record_log WHERE undone_at IS NULL"
            params: tuple[str, ...] = ()
            if date is not None:
                query += " AND date = ?"
                params = (date.isoformat(),)
            row = db.execute(query + " ORDER BY id DESC LIMIT 1", params).fetchone()
            if row is None:
                what = f"of {date} " if date is not None else ""
                raise StoreError(f"no recorded dinner {what}to undo")
            db.execute("DELETE FROM dinners WHERE date = ?", (row["date"],))
            schema.write_draft(db, row["date"], row["draft"])
            db.execute(
                "UPDATE record_log SET undone_at = ? WHERE id = ?", (schema.now(), row["id"])
            )
        return dt.date.fromisoformat(row["date"])
