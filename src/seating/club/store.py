"""The club database: members, recorded dinners, draft plans, policy and rules, in SQLite.

One file (``seating.db`` by default) holds everything the organiser's workflow needs.
:class:`ClubStore` is its repository: it reads and writes the records of
:mod:`seating.club.records`, and checks what each write must respect (known members, a dinner
recorded once, a draft not overwritten unasked). Every write is one transaction (see
:class:`~seating.club.database.Database`: WAL journal, busy timeout, schema migrations on
opening), so a process killed half-way leaves the database as it was before;
:mod:`seating.club.faults` names the points inside those transactions where the reliability
tests kill it. Every write also keeps, in the same transaction, what it overwrites
(:mod:`seating.club.undo`), so that :meth:`ClubStore.undo` can take the last change back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence

from seating.club import faults, schema
from seating.club.database import StoreBusyError, StoreError
from seating.club.draftbook import DraftBook
from seating.club.guards import check_members, count, dates_of
from seating.club.records import (
    ClubMember,
    Draft,
    HistoryImport,
    MemberImport,
    RecordedDinner,
    SeatedTable,
)
from seating.club.undo import UndoEntry, Undone, last_change, undo_last
from seating.models import PastDinner, Policy, Rules

DEFAULT_DB = "seating.db"
"""The database file used when no ``--db`` is given, in the working folder."""

__all__ = ["DEFAULT_DB", "ClubStore", "StoreBusyError", "StoreError"]


def _fault(point: str | None) -> Callable[[], None] | None:
    """What a write calls half-way: fault point ``point`` (see :mod:`seating.club.faults`)."""
    return None if point is None else lambda: faults.reached(point)


def _seated(dinner: RecordedDinner) -> list[str]:
    """Everyone seated at ``dinner``, once per course."""
    return [m for seating in dinner.seatings() for m in seating]


class ClubStore(DraftBook):
    """The club database in one SQLite file: members, history, settings, records, undo; the
    drafts come from :class:`~seating.club.draftbook.DraftBook`.

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
        self,
        members: Sequence[ClubMember],
        *,
        missing_left: bool = False,
        change: str | None = None,
    ) -> MemberImport:
        """Add or update members (matched by id) in one transaction.

        Parameters
        ----------
        members
            The members as read from a file; ids must be unique.
        missing_left
            Mark active members who are not in ``members`` as having left the club.
        change
            The change in words for the undo log (``the change of member M005 (Els Maes)``);
            by default ``the import of N members``.
        """
        added: list[str] = []
        updated: list[str] = []
        unchanged = 0
        with self.transaction() as db:
            what = change or f"the import of {count(len(members), 'member')}"
            log = UndoEntry(db, what)
            rows = db.execute("SELECT * FROM members")
            current = {m.id: m for m in map(schema.member_from_row, rows)}
            for k, member in enumerate(members):
                if k == len(members) // 2:
                    faults.reached("import-members")
                old = current.get(member.id)
                if old == member:
                    unchanged += 1
                    continue
                log.keep("member", member.id)
                schema.write_member(db, member)
                (added if old is None else updated).append(member.id)
            # Inviters are members of this import or of the club (a file may list a guest
            # before the member who invited them).
            check_members(db, [m.guest_of for m in members if m.guest_of], "guest_of")
            left: list[str] = []
            if missing_left:
                listed = {m.id for m in members}
                left = sorted(m for m, old in current.items() if old.active and m not in listed)
                for member_id in left:
                    log.keep("member", member_id)
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
        """The dinner recorded on ``date`` (every course), or None."""
        found = schema.read_dinners(self._db, date.isoformat())
        return found[0] if found else None

    def history(self) -> list[PastDinner]:
        """The recorded dinners as the planning model reads them: one past dinner per course
        (same date, courses in order); cooldown and recency count the courses of one date as
        one dinner, and meetings per course (:mod:`seating.compile.history`)."""
        return [past for d in self.dinners() for past in d.as_history()]

    def import_history(
        self, dinners: Sequence[RecordedDinner], *, replace: bool = False
    ) -> HistoryImport:
        """Add past dinners in one transaction.

        A dinner already recorded with the same seating is left alone (importing a file twice
        changes nothing); one recorded differently, or a date that has a draft plan, is an
        error unless ``replace``, which overwrites the dinner and deletes the draft (both kept
        in the undo log). Faces ask before they replace: see
        :func:`seating.club.workflow.history_overwrites`.
        """
        added: list[dt.date] = []
        replaced: list[dt.date] = []
        unchanged: list[dt.date] = []
        seats = 0
        with self.transaction() as db:
            existing = {d.date: d for d in self.dinners()}
            drafts = {d.date for d in self.drafts()}
            for dinner in dinners:
                check_members(db, _seated(dinner), f"dinner {dinner.date}")
                if dinner.date in drafts and not replace:
                    raise StoreError(
                        f"dinner {dinner.date} has a draft plan: record it (`seating club "
                        f"record --date {dinner.date}`), discard it, or use --replace to "
                        f"drop the draft"
                    )
            dates = [
                d.date
                for d in dinners
                if d.date in drafts
                or d.date not in existing
                or existing[d.date].seatings() != d.seatings()
            ]
            log = UndoEntry(db, f"the import of {count(len(dates), 'dinner')}{dates_of(dates)}")
            for k, dinner in enumerate(dinners):
                if dinner.date in drafts:
                    log.keep("draft", dinner.date.isoformat())
                    db.execute("DELETE FROM drafts WHERE date = ?", (dinner.date.isoformat(),))
                old = existing.get(dinner.date)
                if old is not None and old.seatings() == dinner.seatings():
                    unchanged.append(dinner.date)
                    continue
                if old is not None and not replace:
                    raise StoreError(
                        f"dinner {dinner.date} is already recorded with a different seating "
                        f"(use --replace to overwrite it)"
                    )
                point = "import-history" if k == len(dinners) // 2 else None
                log.keep("dinner", dinner.date.isoformat())
                schema.write_dinner(db, dinner, "import", halfway=_fault(point))
                (added if old is None else replaced).append(dinner.date)
                seats += len(_seated(dinner))
        return HistoryImport(tuple(added), tuple(replaced), tuple(unchanged), seats)

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

    def club_name(self, default: str = "Club dinner") -> str:
        """The club's name (``settings --name``), or ``default`` when none was set."""
        return self._setting("club_name") or default

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
            log = UndoEntry(db, "the change of the settings")
            values: dict[str, str] = {}
            if policy is not None:
                check_members(db, [m for pair in policy.introduce for m in pair[:2]], "policy")
                values["policy"] = policy.model_dump_json()
            if rules is not None:
                ids = [m for group in rules.together for m in group]
                ids += [m for pair in rules.apart for m in pair]
                check_members(db, ids, "rules")
                values["rules"] = rules.model_dump_json()
            if name is not None:
                values["club_name"] = name
            if language is not None:
                values["language"] = language
            for key in values:
                log.keep("setting", key)
            db.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )
            log.settle()

    # -- record and undo -------------------------------------------------------------------

    def record(self, draft: Draft, *, absent: Collection[str] = ()) -> bool:
        """Turn a draft into history in one transaction; False if already recorded alike.

        Every course of the draft is recorded (one seating per course). ``absent`` members
        (no-shows) are left out of the history; undoing the record gives
        back the draft as it was. Raises :class:`StoreError` when the dinner is recorded with
        a different seating.
        """
        date = draft.date.isoformat()
        courses = [
            tuple(
                SeatedTable(
                    t.id,
                    tuple(m for m in t.members if m not in absent),
                    t.capacity,
                    None if t.host in absent else t.host,
                )
                for t in tables
                if any(m not in absent for m in t.members)
            )
            for tables in draft.course_tables()
        ]
        dinner = RecordedDinner(draft.date, courses[0], tuple(courses[1:]))
        with self.transaction() as db:
            old = self.dinner(draft.date)
            if old is not None:
                if old.seatings() == dinner.seatings():
                    return False
                raise StoreError(
                    f"the dinner of {date} is already recorded with a different seating "
                    f"(undo it first: `seating club record --undo --date {date}`)"
                )
            check_members(db, _seated(dinner), f"dinner {date}")
            # An explicit id, so that the undo log can keep the row as absent before it exists.
            log_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM record_log").fetchone()[0]
            log = UndoEntry(db, f"the record of the dinner of {date}")
            for kind, key in (("dinner", date), ("draft", date), ("record", str(log_id))):
                log.keep(kind, key)
            schema.write_dinner(db, dinner, "record", halfway=_fault("record"))
            db.execute(
                "INSERT INTO record_log (id, date, recorded_at, draft) VALUES (?, ?, ?, ?)",
                (log_id, date, schema.now(), draft.model_dump_json()),
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
            log = UndoEntry(db, f"undoing the record of the dinner of {row['date']}")
            for kind, key in (("dinner", row["date"]), ("draft", row["date"])):
                log.keep(kind, key)
            log.keep("record", str(row["id"]))
            db.execute("DELETE FROM dinners WHERE date = ?", (row["date"],))
            schema.write_draft(db, row["date"], row["draft"])
            db.execute(
                "UPDATE record_log SET undone_at = ? WHERE id = ?", (schema.now(), row["id"])
            )
        return dt.date.fromisoformat(row["date"])

    def undo(self) -> Undone | None:
        """Take back the latest change to the database (see :mod:`seating.club.undo`), in one
        transaction; None when there is nothing to undo."""
        with self.transaction() as db:
            return undo_last(db)

    def last_change(self) -> Undone | None:
        """The change :meth:`undo` would take back, or None."""
        return last_change(self._db)
