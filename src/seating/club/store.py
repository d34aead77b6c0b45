"""The club database: members, recorded dinners, draft plans, policy and rules, in SQLite.

One file (``seating.db`` by default) holds everything the organiser's workflow needs. Every
write is one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``), so a process killed half-way
leaves the database as it was before; the journal is in WAL mode with a busy timeout, so two
processes writing at once wait for each other instead of corrupting anything, and a writer that
waits too long gets :class:`StoreBusyError` with a clear message.

The schema carries a version (``PRAGMA user_version``); :data:`MIGRATIONS` brings an older file
up to date when it is opened, each migration in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from seating.errors import InputError
from seating.models import Member, PastDinner, Policy, Rules, Table, describe_validation_error

DEFAULT_DB = "seating.db"
"""The database file used when no ``--db`` is given, in the working folder."""

MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE members (
            id TEXT PRIMARY KEY,
            name TEXT,
            company TEXT,
            industry TEXT,
            languages TEXT NOT NULL DEFAULT '[]',
            is_host INTEGER NOT NULL DEFAULT 0 CHECK (is_host IN (0, 1)),
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
        )""",
        """CREATE TABLE dinners (
            date TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        )""",
        """CREATE TABLE dinner_tables (
            date TEXT NOT NULL REFERENCES dinners(date) ON DELETE CASCADE,
            table_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            capacity INTEGER,
            host TEXT REFERENCES members(id),
            PRIMARY KEY (date, table_id)
        )""",
        """CREATE TABLE seatings (
            date TEXT NOT NULL,
            table_id TEXT NOT NULL,
            member_id TEXT NOT NULL REFERENCES members(id),
            PRIMARY KEY (date, member_id),
            FOREIGN KEY (date, table_id) REFERENCES dinner_tables(date, table_id)
                ON DELETE CASCADE
        )""",
        "CREATE INDEX seatings_by_table ON seatings(date, table_id)",
        """CREATE TABLE drafts (
            date TEXT PRIMARY KEY,
            plan TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE record_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            date TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            draft TEXT NOT NULL,
            undone_at TEXT
        )""",
    ),
]
"""Schema migrations; migration k (0-based) brings a file from version k to version k + 1."""


class StoreBusyError(RuntimeError):
    """Another process kept the database locked for longer than the busy timeout."""


class StoreError(InputError):
    """The database cannot do what was asked (missing file, unknown member, newer schema)."""


class ClubMember(BaseModel):
    """A member as the club database keeps them.

    ``host`` marks members who can host a table; ``active`` is False for members who left the
    club: they stay in the history but are no longer planned.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    name: str | None = None
    company: str | None = None
    industry: str | None = None
    languages: list[str] = Field(default_factory=list)
    host: bool = False
    active: bool = True

    @property
    def display_name(self) -> str:
        return self.name or self.id

    def to_member(self) -> Member:
        """The planning model of this member."""
        return Member(
            id=self.id,
            name=self.name,
            company=self.company,
            industry=self.industry,
            languages=list(self.languages),
        )


class DraftTable(BaseModel):
    """One table of a draft plan: id, capacity, host and who sits there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    capacity: int = Field(ge=1)
    host: str | None = None
    members: list[str] = Field(default_factory=list)


class Draft(BaseModel):
    """A plan for a dinner that has not happened yet; ``pins`` maps member id to table id."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    tables: list[DraftTable]
    pins: dict[str, str] = Field(default_factory=dict)
    objective: float | None = None
    method: str = ""

    @property
    def attendees(self) -> list[str]:
        return [m for table in self.tables for m in table.members]

    def table_of(self) -> dict[str, str]:
        """Member id -> table id."""
        return {m: table.id for table in self.tables for m in table.members}

    def tables_input(self) -> list[Table]:
        """The tables as the planning model sees them."""
        return [Table(id=t.id, capacity=t.capacity, host=t.host) for t in self.tables]

    def as_past(self) -> PastDinner:
        return PastDinner(date=self.date, tables=[t.members for t in self.tables if t.members])


@dataclass(frozen=True)
class SeatedTable:
    """One table of a recorded dinner."""

    id: str
    members: tuple[str, ...]
    capacity: int | None = None
    host: str | None = None


@dataclass(frozen=True)
class RecordedDinner:
    """A dinner that took place, table by table."""

    date: dt.date
    tables: tuple[SeatedTable, ...]

    def seating(self) -> dict[str, str]:
        """Member id -> table id."""
        return {m: t.id for t in self.tables for m in t.members}

    def as_past(self) -> PastDinner:
        return PastDinner(date=self.date, tables=[list(t.members) for t in self.tables])


@dataclass(frozen=True)
class MemberImport:
    """What an import of members changed."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: int = 0
    left: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryImport:
    """What an import of history changed: dates added, replaced, already recorded alike."""

    added: tuple[dt.date, ...] = ()
    replaced: tuple[dt.date, ...] = ()
    unchanged: tuple[dt.date, ...] = ()
    seats: int = 0


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _crash_point(name: str) -> None:
    """Test hook: stop here, inside a transaction, until killed (reliability tests).

    Active only when ``SEATING_TEST_CRASH_AT`` names this point; the process then writes the
    file named by ``SEATING_TEST_CRASH_MARKER`` and sleeps so the test can SIGKILL it.
    """
    if os.environ.get("SEATING_TEST_CRASH_AT") != name:
        return
    marker = os.environ.get("SEATING_TEST_CRASH_MARKER")
    if marker:
        Path(marker).write_text(name)
    time.sleep(3600)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class ClubStore:
    """The club database in one SQLite file.

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

    def __init__(self, path: str | Path, *, create: bool = False, busy_timeout: float = 10.0):
        self.path = Path(path)
        if not self.path.exists() and not create:
            raise StoreError(
                f"no club database at {self.path} (create it with `seating club import "
                f"members.csv`, or name another with --db)"
            )
        try:
            self._db = sqlite3.connect(
                self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open club database {self.path}: {exc}") from None
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA synchronous = FULL")
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreBusyError(f"database {self.path} is busy (could not switch to WAL mode)")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                raise self._busy() from None
            raise StoreError(f"{self.path} is not a seating club database ({exc})") from None
        except BaseException:
            self._db.close()
            raise

    # -- connection and transactions -------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ClubStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _busy(self) -> StoreBusyError:
        return StoreBusyError(
            f"database {self.path} is busy: another seating command is writing to it; "
            f"try again in a moment"
        )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside commits together or not at all."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise self._busy() from None
            raise
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._db.execute("ROLLBACK")
            if _is_busy(exc):
                raise self._busy() from None
            raise

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: several reads see one consistent state of the database."""
        self._db.execute("BEGIN")
        try:
            yield self._db
        finally:
            self._db.execute("COMMIT")

    # -- schema ----------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        latest = len(MIGRATIONS)
        if self.schema_version > latest:
            raise StoreError(
                f"{self.path} has schema version {self.schema_version}, newer than this "
                f"seating ({latest}); upgrade seating"
            )
        while self.schema_version < latest:
            with self.transaction() as db:
                # Re-read inside the lock: another process may have migrated meanwhile.
                version = int(db.execute("PRAGMA user_version").fetchone()[0])
                if version >= latest:
                    break
                for statement in MIGRATIONS[version]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version + 1}")

    def integrity_check(self) -> str:
        """SQLite's own check plus foreign keys: ``"ok"`` when the file is sound."""
        result = self._db.execute("PRAGMA integrity_check").fetchone()[0]
        broken = self._db.execute("PRAGMA foreign_key_check").fetchall()
        return result if not broken else f"{len(broken)} broken references"

    # -- members ---------------------------------------------------------------------------

    @staticmethod
    def _member(row: sqlite3.Row) -> ClubMember:
        return ClubMember(
            id=row["id"],
            name=row["name"],
            company=row["company"],
            industry=row["industry"],
            languages=json.loads(row["languages"]),
            host=bool(row["is_host"]),
            active=bool(row["active"]),
        )

    def members(self, *, active_only: bool = False) -> list[ClubMember]:
        """Every member (or the active ones), ordered by id."""
        where = "WHERE active = 1" if active_only else ""
        rows = self._db.execute(f"SELECT * FROM members {where} ORDER BY id").fetchall()
        return [self._member(r) for r in rows]

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
            current = {
                m.id: m for m in (self._member(r) for r in db.execute("SELECT * FROM members"))
            }
            for k, member in enumerate(members):
                if k == len(members) // 2:
                    _crash_point("import-members")
                old = current.get(member.id)
                if old == member:
                    unchanged += 1
                    continue
                db.execute(
                    "INSERT INTO members (id, name, company, industry, languages, is_host, active)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
                    " name = excluded.name, company = excluded.company,"
                    " industry = excluded.industry, languages = excluded.languages,"
                    " is_host = excluded.is_host, active = excluded.active",
                    (
                        member.id,
                        member.name,
                        member.company,
                        member.industry,
                        json.dumps(member.languages),
                        int(member.host),
                        int(member.active),
                    ),
                )
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
        tables: dict[str, list[SeatedTable]] = {}
        seats: dict[tuple[str, str], list[str]] = {}
        for row in self._db.execute("SELECT * FROM seatings ORDER BY date, rowid"):
            seats.setdefault((row["date"], row["table_id"]), []).append(row["member_id"])
        for row in self._db.execute(
            "SELECT d.date, t.table_id, t.capacity, t.host FROM dinners d"
            " LEFT JOIN dinner_tables t ON t.date = d.date ORDER BY d.date, t.position"
        ):
            day = tables.setdefault(row["date"], [])
            if row["table_id"] is None:
                continue
            members = tuple(seats.get((row["date"], row["table_id"]), ()))
            day.append(SeatedTable(row["table_id"], members, row["capacity"], row["host"]))
        return [RecordedDinner(dt.date.fromisoformat(d), tuple(t)) for d, t in tables.items()]

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

    def _write_dinner(
        self, db: sqlite3.Connection, dinner: RecordedDinner, source: str, crash: str | None
    ) -> None:
        date = dinner.date.isoformat()
        db.execute("DELETE FROM dinners WHERE date = ?", (date,))
        db.execute(
            "INSERT INTO dinners (date, source, recorded_at) VALUES (?, ?, ?)",
            (date, source, _now()),
        )
        for position, table in enumerate(dinner.tables):
            db.execute(
                "INSERT INTO dinner_tables (date, table_id, position, capacity, host)"
                " VALUES (?, ?, ?, ?, ?)",
                (date, table.id, position, table.capacity, table.host),
            )
            if crash and position == len(dinner.tables) // 2:
                _crash_point(crash)
            db.executemany(
                "INSERT INTO seatings (date, table_id, member_id) VALUES (?, ?, ?)",
                [(date, table.id, m) for m in table.members],
            )

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
        seats = 0
        with self.transaction() as db:
            existing = {d.date: d for d in self.dinners()}
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
                crash = "import-history" if k == len(dinners) // 2 else None
                self._write_dinner(db, dinner, "import", crash)
                (added if old is None else replaced).append(dinner.date)
                seats += len(dinner.seating())
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

    def club_name(self) -> str:
        return self._setting("club_name") or "Club dinner"

    def save_settings(
        self, *, policy: Policy | None = None, rules: Rules | None = None, name: str | None = None
    ) -> None:
        """Store the club's policy, rules and name (rules must name known members)."""
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

    @staticmethod
    def _write_draft(db: sqlite3.Connection, draft: Draft) -> None:
        db.execute(
            "INSERT INTO drafts (date, plan, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(date) DO UPDATE SET plan = excluded.plan,"
            " updated_at = excluded.updated_at",
            (draft.date.isoformat(), draft.model_dump_json(), _now()),
        )

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
            self._write_draft(db, draft)

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
                    _crash_point("save-drafts")  # with two or more drafts: between writes
                self._write_draft(db, draft)

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
            self._write_dinner(db, dinner, "record", "record")
            db.execute(
                "INSERT INTO record_log (date, recorded_at, draft) VALUES (?, ?, ?)",
                (date, _now(), draft.model_dump_json()),
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
            db.execute(
                "INSERT INTO drafts (date, plan, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(date) DO UPDATE SET plan = excluded.plan,"
                " updated_at = excluded.updated_at",
                (row["date"], row["draft"], _now()),
            )
            db.execute("UPDATE record_log SET undone_at = ? WHERE id = ?", (_now(), row["id"]))
        return dt.date.fromisoformat(row["date"])


def parse_settings(
    policy: dict[str, object] | None = None, rules: dict[str, object] | None = None
) -> tuple[Policy | None, Rules | None]:
    """Validate policy and rules given as plain data; raises :class:`InputError`."""
    try:
        return (
            None if policy is None else Policy.model_validate(policy),
            None if rules is None else Rules.model_validate(rules),
        )
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc)) from None
