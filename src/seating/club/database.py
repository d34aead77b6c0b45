"""One SQLite file kept sound: the connection, its transactions, and the schema brought up to
date on opening.

:class:`Database` is what :class:`~seating.club.store.ClubStore` builds on: WAL journal, a busy
timeout, foreign keys and full synchronous writes; a write transaction (``BEGIN IMMEDIATE`` ...
``COMMIT``) commits whole or not at all, and a read snapshot sees one consistent state. The
errors it raises are the store's: :class:`StoreError` for a file that cannot be used (one line,
exit 2 on the command line) and :class:`StoreBusyError` when another process keeps the file
locked (exit 3).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Self

from seating.club import schema
from seating.club.saving import saving
from seating.errors import InputError


class StoreBusyError(RuntimeError):
    """Another process kept the database locked for longer than the busy timeout."""


class StoreError(InputError):
    """The database cannot do what was asked (missing file, unknown member, newer schema)."""


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


_created: list[Path] = []
"""Database files this process created, for :func:`remove_created_if_empty`."""

_DATA_TABLES = ("members", "dinners", "drafts", "settings")


def remove_created_if_empty() -> list[Path]:
    """Remove the database files this process created, when they still hold no data.

    A first ``club import`` that fails or is interrupted half-way would otherwise leave a new,
    empty club database behind, which a later command takes for a club without members. Only
    files this process created are touched, and only while no member, dinner, draft or
    setting is committed in them (another process may have written to a new file meanwhile).
    Returns the files removed.
    """
    removed = []
    for path in list(_created):
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)) as db:
                counts = [db.execute(f"SELECT count(*) FROM {t}").fetchone() for t in _DATA_TABLES]
            rows = sum(c[0] for c in counts)
        except sqlite3.Error:
            continue  # not readable as a club database now: leave it to the user
        if rows:
            continue
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        _created.remove(path)
        removed.append(path)
    return removed


class Database:
    """A seating club database file, open and at the latest schema.

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
        if self.path.is_file() and self.path.stat().st_size == 0:
            # SQLite would take an empty file for a new, empty club: that hides a database
            # truncated by a bad copy or a full disk.
            raise StoreError(
                f"{self.path} is an empty file (0 bytes), not a club database; restore it from "
                "a backup, or delete it to start a new club"
            )
        new = not self.path.exists()
        try:
            self._db = sqlite3.connect(
                self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open club database {self.path}: {exc}") from None
        if new and self.path.resolve() not in _created:
            _created.append(self.path.resolve())
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
            text = str(exc)
            if "unable to open" in text or "readonly" in text:
                # WAL mode writes two files next to the database: a read-only folder (or
                # file) stops it, which is not a damaged database.
                raise StoreError(
                    f"{self.path}: cannot write the club database ({text}); the file and its "
                    "folder must be writable"
                ) from None
            raise StoreError(f"{self.path} is not a seating club database ({text})") from None
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _busy(self) -> StoreBusyError:
        return StoreBusyError(
            f"database {self.path} is busy: another seating command is writing to it; "
            f"try again in a moment"
        )

    def _unusable(self, exc: sqlite3.DatabaseError) -> Exception:
        """The store's error for an SQLite failure: busy (exit 3), or one line saying the file
        is read-only or damaged (exit 2) instead of a traceback."""
        if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
            return self._busy()
        text = str(exc)
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return StoreError(f"{self.path}: cannot write the club database ({text})")
        return StoreError(
            f"{self.path}: the club database is damaged ({text}); restore it from a backup"
        )

    @contextmanager
    def _sqlite_errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise self._unusable(exc) from None

    @contextmanager
    def transaction(self, *, user_data: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside commits together or not at all.

        The ``COMMIT`` is a save (:func:`seating.club.saving.saving`): an interrupt waits for
        it. ``user_data=False`` (a schema migration) does not count as saving the user's data.
        """
        with self._sqlite_errors(), self._transaction(user_data) as db:
            yield db

    @contextmanager
    def _transaction(self, user_data: bool) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise self._busy() from None
            raise
        try:
            yield self._db
        except BaseException:
            with suppress(sqlite3.DatabaseError):  # a damaged file: the body's error says more
                self._db.execute("ROLLBACK")
            raise
        try:
            with saving() if user_data else nullcontext():
                self._db.execute("COMMIT")
        except sqlite3.DatabaseError:
            with suppress(sqlite3.DatabaseError):
                self._db.execute("ROLLBACK")
            raise

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: several reads see one consistent state of the database."""
        with self._sqlite_errors():
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                self._db.execute("COMMIT")

    # -- schema ----------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return schema.version_of(self._db)

    def _migrate(self) -> None:
        latest = schema.latest_version()
        if self.schema_version > latest:
            raise StoreError(
                f"{self.path} has schema version {self.schema_version}, newer than this "
                f"seating ({latest}); upgrade seating"
            )
        while self.schema_version < latest:
            with self.transaction(user_data=False) as db:
                # Re-read inside the lock: another process may have migrated meanwhile.
                if not schema.migrate_once(db):
                    break
        with self.snapshot() as db:
            wrong = schema.mismatch(db)
        if wrong:
            raise StoreError(
                f"{self.path}: the club database does not match its schema version "
                f"{self.schema_version} ({wrong}); restore it from a backup"
            )

    def integrity_check(self) -> str:
        """SQLite's own check plus foreign keys: ``"ok"`` when the file is sound."""
        result = self._db.execute("PRAGMA integrity_check").fetchone()[0]
        broken = self._db.execute("PRAGMA foreign_key_check").fetchall()
        return result if not broken else f"{len(broken)} broken references"
