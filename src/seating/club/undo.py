"""The undo log: every change to the club database keeps what it overwrote, so that
``seating club undo`` can put it back.

A change (an import, a record, a draft saved, replaced or discarded, new settings) opens an
:class:`UndoEntry` inside its own write transaction and, before it writes a member, a dinner,
a draft, a setting or a record-log row, calls :meth:`UndoEntry.keep` with it: the entry then
stores that item as it was (or that it did not exist). :func:`undo_last` restores the items of
the latest entry not undone yet, in one transaction, and marks it undone. Undoing again takes
the change before it back, and so on: every later change has been undone by then, so each entry
restores the state it found. A change that writes nothing keeps nothing and leaves no entry.

The entries live in the tables ``undo_log`` and ``undo_items`` (schema version 2); the oldest
are dropped beyond :data:`KEEP_CHANGES`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass

from seating.club import schema
from seating.club.database import StoreError
from seating.club.records import ClubMember, RecordedDinner, SeatedTable

KEEP_CHANGES = 200
"""How many changes the log keeps: older ones can no longer be undone."""

KINDS = ("member", "dinner", "draft", "setting", "record")
"""What a change can overwrite: a member (by id), a recorded dinner or a draft (by ISO date),
a setting (by key), a row of the record log (by id)."""


@dataclass(frozen=True)
class Undone:
    """What :func:`undo_last` took back: the change in words and when it was made (UTC)."""

    what: str
    made_at: str

    def __str__(self) -> str:
        """The change in words, with when it was made: ``the plan of 2025-12-03 (made
        2026-12-08 00:22 UTC)``."""
        return f"{self.what} (made {self.made_at[:16].replace('T', ' ')} UTC)"


def _read(db: sqlite3.Connection, kind: str, key: str) -> str | None:
    """The item as JSON, or None when there is none."""
    if kind == "member":
        row = db.execute("SELECT * FROM members WHERE id = ?", (key,)).fetchone()
        return None if row is None else schema.member_from_row(row).model_dump_json()
    if kind == "dinner":
        row = db.execute("SELECT source FROM dinners WHERE date = ?", (key,)).fetchone()
        if row is None:
            return None
        (dinner,) = schema.read_dinners(db, key)
        item: dict[str, object] = {"source": row["source"], "tables": _tables(dinner.tables)}
        if dinner.later_courses:  # absent for one course: as entries kept before courses
            item["later_courses"] = [_tables(tables) for tables in dinner.later_courses]
        return json.dumps(item)
    if kind == "draft":
        row = db.execute("SELECT plan FROM drafts WHERE date = ?", (key,)).fetchone()
        return None if row is None else json.dumps(row[0])
    if kind == "setting":
        row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.dumps(row[0])
    row = db.execute("SELECT * FROM record_log WHERE id = ?", (int(key),)).fetchone()
    return None if row is None else json.dumps(dict(row))


def _tables(tables: tuple[SeatedTable, ...]) -> list[dict[str, object]]:
    """The tables of one course as the undo log keeps them."""
    return [
        {"id": t.id, "capacity": t.capacity, "host": t.host, "members": list(t.members)}
        for t in tables
    ]


def _seated(tables: list[dict]) -> tuple[SeatedTable, ...]:
    """The tables of one course as :func:`_tables` kept them."""
    return tuple(
        SeatedTable(t["id"], tuple(t["members"]), t["capacity"], t["host"]) for t in tables
    )


def _restore(db: sqlite3.Connection, kind: str, key: str, before: str | None) -> None:
    """Put the item back as it was: delete what is there now, write what was there."""
    old = None if before is None else json.loads(before)
    if kind == "member":
        if old is None:
            db.execute("DELETE FROM members WHERE id = ?", (key,))
        else:
            schema.write_member(db, ClubMember.model_validate(old))
    elif kind == "dinner":
        db.execute("DELETE FROM dinners WHERE date = ?", (key,))
        if old is not None:
            later = tuple(_seated(tables) for tables in old.get("later_courses", []))
            dinner = RecordedDinner(dt.date.fromisoformat(key), _seated(old["tables"]), later)
            schema.write_dinner(db, dinner, old["source"])
    elif kind == "draft":
        db.execute("DELETE FROM drafts WHERE date = ?", (key,))
        if old is not None:
            schema.write_draft(db, key, old)
    elif kind == "setting":
        db.execute("DELETE FROM settings WHERE key = ?", (key,))
        if old is not None:
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (key, old))
    else:
        db.execute("DELETE FROM record_log WHERE id = ?", (int(key),))
        if old is not None:
            columns = ", ".join(old)
            marks = ", ".join("?" for _ in old)
            db.execute(f"INSERT INTO record_log ({columns}) VALUES ({marks})", tuple(old.values()))


class UndoEntry:
    """The undo entry of one change, inside the change's write transaction.

    Parameters
    ----------
    db
        The connection, inside a write transaction (the entry commits or rolls back with it).
    what
        The change in words, as ``seating club undo`` reports it: "the import of 2 dinners
        (2025-09-18, 2025-10-16)".
    """

    def __init__(self, db: sqlite3.Connection, what: str):
        self._db = db
        self._what = what
        self._id: int | None = None
        self._kept: set[tuple[str, str]] = set()

    def keep(self, kind: str, key: str) -> None:
        """Keep ``kind`` ``key`` as it is now, before the change writes it (once per item:
        a second call keeps nothing, the first state is the one to restore)."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind of item {kind!r}")
        if (kind, key) in self._kept:
            return
        if self._id is None:
            cursor = self._db.execute(
                "INSERT INTO undo_log (what, made_at) VALUES (?, ?)", (self._what, schema.now())
            )
            self._id = int(cursor.lastrowid or 0)
            self._db.execute(
                "DELETE FROM undo_log WHERE id <= ?", (self._id - KEEP_CHANGES,)
            )  # undo_items go with their entry (ON DELETE CASCADE)
        self._db.execute(
            "INSERT INTO undo_items (log_id, position, kind, key, before) VALUES (?, ?, ?, ?, ?)",
            (self._id, len(self._kept), kind, key, _read(self._db, kind, key)),
        )
        self._kept.add((kind, key))

    def settle(self) -> None:
        """At the end of the change: forget the items it wrote back as they were (the same
        settings, the same draft), and the whole entry if it changed nothing, so that undo
        never takes back a change that did nothing."""
        if self._id is None:
            return
        items = self._db.execute(
            "SELECT position, kind, key, before FROM undo_items WHERE log_id = ?", (self._id,)
        ).fetchall()
        for item in items:
            if _read(self._db, item["kind"], item["key"]) == item["before"]:
                self._db.execute(
                    "DELETE FROM undo_items WHERE log_id = ? AND position = ?",
                    (self._id, item["position"]),
                )
        left = self._db.execute("SELECT 1 FROM undo_items WHERE log_id = ?", (self._id,))
        if left.fetchone() is None:
            self._db.execute("DELETE FROM undo_log WHERE id = ?", (self._id,))


def last_change(db: sqlite3.Connection) -> Undone | None:
    """The change :func:`undo_last` would take back, or None."""
    row = db.execute(
        "SELECT what, made_at FROM undo_log WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else Undone(row["what"], row["made_at"])


def undo_last(db: sqlite3.Connection) -> Undone | None:
    """Take back the latest change not undone yet, inside the caller's write transaction.

    Returns what was undone, or None when there is nothing to undo.

    Raises
    ------
    StoreError
        The state cannot be restored (a member to remove is still seated at a dinner that
        was not recorded through this log); nothing is changed.
    """
    row = db.execute(
        "SELECT * FROM undo_log WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    items = db.execute(
        "SELECT kind, key, before FROM undo_items WHERE log_id = ? ORDER BY position DESC",
        (row["id"],),
    ).fetchall()
    # Dinners, drafts and the record log first, members last: a member the change added can
    # only go once no dinner of that change seats them any more.
    items.sort(key=lambda item: item["kind"] == "member")
    try:
        for item in items:
            _restore(db, item["kind"], item["key"], item["before"])
    except sqlite3.IntegrityError as exc:
        raise StoreError(f"cannot undo {row['what']}: {exc}") from None
    db.execute("UPDATE undo_log SET undone_at = ? WHERE id = ?", (schema.now(), row["id"]))
    return Undone(row["what"], row["made_at"])
