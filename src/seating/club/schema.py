"""The club database's schema: the SQL of every version, the step from one to the next, and
how a record is written to rows and read back.

A file carries its version in ``PRAGMA user_version`` (0 for a new, empty file). Migration k
(0-based) of :data:`MIGRATIONS` brings a file from version k to version k + 1; a newer seating
appends migrations and never edits one that shipped, so every file ever written opens.
:class:`~seating.club.store.ClubStore` applies the missing ones when it opens a file, each in
its own transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
import unicodedata
from collections.abc import Callable

from seating.club.records import ClubMember, RecordedDinner, SeatedTable

COURSES_MIGRATION: tuple[str, ...] = (
    # Dinners with several courses: one seating per course. The primary keys grow a course
    # (a member sits once per course), which SQLite can only do by rebuilding the tables:
    # create the new ones, copy (every dinner recorded so far had one course), drop the old,
    # rename. The migration's transaction makes it all or nothing; seatings are copied in
    # rowid order, the order in which members are read back at their table.
    """CREATE TABLE dinner_tables_new (
        date TEXT NOT NULL REFERENCES dinners(date) ON DELETE CASCADE,
        course INTEGER NOT NULL DEFAULT 1 CHECK (course >= 1),
        table_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        capacity INTEGER,
        host TEXT REFERENCES members(id),
        PRIMARY KEY (date, course, table_id)
    )""",
    """CREATE TABLE seatings_new (
        date TEXT NOT NULL,
        course INTEGER NOT NULL DEFAULT 1 CHECK (course >= 1),
        table_id TEXT NOT NULL,
        member_id TEXT NOT NULL REFERENCES members(id),
        PRIMARY KEY (date, course, member_id),
        FOREIGN KEY (date, course, table_id) REFERENCES dinner_tables_new(date, course, table_id)
            ON DELETE CASCADE
    )""",
    """INSERT INTO dinner_tables_new (date, course, table_id, position, capacity, host)
        SELECT date, 1, table_id, position, capacity, host FROM dinner_tables""",
    """INSERT INTO seatings_new (date, course, table_id, member_id)
        SELECT date, 1, table_id, member_id FROM seatings ORDER BY rowid""",
    "DROP TABLE seatings",
    "DROP TABLE dinner_tables",
    # Renaming the parent also renames the reference to it in seatings_new.
    "ALTER TABLE dinner_tables_new RENAME TO dinner_tables",
    "ALTER TABLE seatings_new RENAME TO seatings",
    "CREATE INDEX seatings_by_table ON seatings(date, course, table_id)",
)
"""The schema step that gives recorded dinners one seating per course (the ``course``
column of ``dinner_tables`` and ``seatings``, 1 for every dinner recorded before it)."""

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
    (
        # The undo log (seating.club.undo): one row per change, with the items it overwrote.
        """CREATE TABLE undo_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            what TEXT NOT NULL,
            made_at TEXT NOT NULL,
            undone_at TEXT
        )""",
        """CREATE TABLE undo_items (
            log_id INTEGER NOT NULL REFERENCES undo_log(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            before TEXT,
            PRIMARY KEY (log_id, position)
        )""",
    ),
    (
        # Issue 12: when a member joined (newcomers) and who invited a guest.
        "ALTER TABLE members ADD COLUMN joined TEXT",
        "ALTER TABLE members ADD COLUMN guest_of TEXT",
    ),
    COURSES_MIGRATION,
]
"""Schema migrations; migration k (0-based) brings a file from version k to version k + 1."""


def latest_version() -> int:
    """The version a file has once every migration is applied."""
    return len(MIGRATIONS)


def version_of(db: sqlite3.Connection) -> int:
    """The schema version of the open file."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate_once(db: sqlite3.Connection) -> bool:
    """Apply the next migration, if any, to a file inside a write transaction of the caller.

    Returns False when the file is already at :func:`latest_version` (another process may have
    migrated it between the caller's check and its lock), True after one step.
    """
    version = version_of(db)
    if version >= latest_version():
        return False
    for statement in MIGRATIONS[version]:
        db.execute(statement)
    db.execute(f"PRAGMA user_version = {version + 1}")
    return True


def _columns(db: sqlite3.Connection) -> dict[str, list[str]]:
    tables = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {t[0]: [c[1] for c in db.execute(f'PRAGMA table_info("{t[0]}")')] for t in tables}


@functools.cache
def _columns_of(migrations: tuple[tuple[str, ...], ...]) -> dict[str, list[str]]:
    """The tables and columns a new file has after ``migrations`` (built once: every store
    opened, e.g. on each web request, compares against it)."""
    reference = sqlite3.connect(":memory:")
    try:
        for statements in migrations:
            for statement in statements:
                reference.execute(statement)
        return _columns(reference)
    finally:
        reference.close()


def mismatch(db: sqlite3.Connection) -> str | None:
    """What a file at :func:`latest_version` lacks against that version's tables, or None.

    ``user_version`` is one number anyone can set: a file edited by hand, or copied together
    from two versions, would otherwise open and fail later in a query (``no such column``), or
    worse, while reading a row, with a traceback. Tables and columns the file has beyond the
    schema's are not a mismatch (a club may keep its own).
    """
    expected = _columns_of(tuple(tuple(statements) for statements in MIGRATIONS))
    present = _columns(db)
    for table, columns in expected.items():
        if table not in present:
            return f"no table '{table}'"
        missing = [c for c in columns if c not in present[table]]
        if missing:
            return f"table '{table}' has no column '{missing[0]}'"
    return None


# -- rows: how the records are written and read ------------------------------------------------


def now() -> str:
    """The time stamp of a write (``recorded_at``, ``updated_at``, ``undone_at``), in UTC."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _shown(text: str | None) -> str | None:
    """``text`` with control characters as U+FFFD: imports refuse them now, but a database
    filled before may hold a name with a terminal escape, which must not reach a screen."""
    if text is None:
        return None
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in text)


def member_from_row(row: sqlite3.Row) -> ClubMember:
    return ClubMember(
        id=row["id"],
        name=_shown(row["name"]),
        company=_shown(row["company"]),
        industry=_shown(row["industry"]),
        languages=json.loads(row["languages"]),
        host=bool(row["is_host"]),
        active=bool(row["active"]),
        joined=None if row["joined"] is None else dt.date.fromisoformat(row["joined"]),
        guest_of=row["guest_of"],
    )


def write_member(db: sqlite3.Connection, member: ClubMember) -> None:
    """Add ``member``, or update the member of that id."""
    db.execute(
        "INSERT INTO members"
        " (id, name, company, industry, languages, is_host, active, joined, guest_of)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
        " name = excluded.name, company = excluded.company,"
        " industry = excluded.industry, languages = excluded.languages,"
        " is_host = excluded.is_host, active = excluded.active,"
        " joined = excluded.joined, guest_of = excluded.guest_of",
        (
            member.id,
            member.name,
            member.company,
            member.industry,
            json.dumps(member.languages),
            int(member.host),
            int(member.active),
            None if member.joined is None else member.joined.isoformat(),
            member.guest_of,
        ),
    )


def read_dinners(db: sqlite3.Connection, date: str | None = None) -> list[RecordedDinner]:
    """Every recorded dinner (or the one of ISO ``date``), oldest first, courses in order,
    tables in their recorded order."""
    where, params = ("WHERE date = ?", (date,)) if date is not None else ("", ())
    courses: dict[str, dict[int, list[SeatedTable]]] = {}
    seats: dict[tuple[str, int, str], list[str]] = {}
    for row in db.execute(f"SELECT * FROM seatings {where} ORDER BY date, rowid", params):
        key = (row["date"], row["course"], row["table_id"])
        seats.setdefault(key, []).append(row["member_id"])
    where = where.replace("date", "d.date")
    for row in db.execute(
        "SELECT d.date, t.course, t.table_id, t.capacity, t.host FROM dinners d"
        f" LEFT JOIN dinner_tables t ON t.date = d.date {where}"
        " ORDER BY d.date, t.course, t.position",
        params,
    ):
        day = courses.setdefault(row["date"], {})
        if row["table_id"] is None:
            continue
        members = tuple(seats.get((row["date"], row["course"], row["table_id"]), ()))
        table = SeatedTable(row["table_id"], members, row["capacity"], row["host"])
        day.setdefault(row["course"], []).append(table)
    dinners = []
    for day, by_course in courses.items():
        seated = [tuple(by_course[c]) for c in sorted(by_course)] or [()]
        dinners.append(RecordedDinner(dt.date.fromisoformat(day), seated[0], tuple(seated[1:])))
    return dinners


def write_dinner(
    db: sqlite3.Connection,
    dinner: RecordedDinner,
    source: str,
    *,
    halfway: Callable[[], None] | None = None,
) -> None:
    """Write ``dinner`` (every course) over any dinner of its date; ``halfway`` is called
    when half of the first course's tables are written (a fault point of the reliability
    tests)."""
    date = dinner.date.isoformat()
    db.execute("DELETE FROM dinners WHERE date = ?", (date,))
    db.execute(
        "INSERT INTO dinners (date, source, recorded_at) VALUES (?, ?, ?)",
        (date, source, now()),
    )
    for course, tables in enumerate(dinner.courses, start=1):
        for position, table in enumerate(tables):
            db.execute(
                "INSERT INTO dinner_tables (date, course, table_id, position, capacity, host)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (date, course, table.id, position, table.capacity, table.host),
            )
            if halfway is not None and course == 1 and position == len(tables) // 2:
                halfway()
            db.executemany(
                "INSERT INTO seatings (date, course, table_id, member_id) VALUES (?, ?, ?, ?)",
                [(date, course, table.id, m) for m in table.members],
            )


def write_draft(db: sqlite3.Connection, date: str, plan: str) -> None:
    """Write the draft of ``date`` (ISO) as the JSON ``plan``, over any draft of that date."""
    db.execute(
        "INSERT INTO drafts (date, plan, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(date) DO UPDATE SET plan = excluded.plan,"
        " updated_at = excluded.updated_at",
        (date, plan, now()),
    )
