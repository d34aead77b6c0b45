"""CSV files of the organiser's workflow: members, history, attendee lists, registrations, tables.

The formats are documented in ``docs/club.md``. Files are UTF-8 (a byte-order mark is fine);
the delimiter is a comma, or a semicolon or tab when the header uses one (as spreadsheets in
many European locales write). Column names are matched without regard to case or spaces.

Every problem in a file raises :class:`CsvError` with one line naming the file, the row (the
header is row 1, as in a spreadsheet) and the field. Writers neutralise cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) by prefixing an apostrophe; the readers remove that apostrophe again, so an export
imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import sys
import tempfile
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from seating.club.records import ClubMember, RecordedDinner, SeatedTable
from seating.errors import InputError
from seating.models import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is neutralised on export."""

MAX_CAPACITY = 1000
"""The most seats one table may have in a tables file (larger numbers are typos)."""

MEMBER_COLUMNS = ("id", "name", "company", "industry", "languages", "host", "status")
HISTORY_COLUMNS = ("date", "table", "member_id", "name")
REGISTRATION_COLUMNS = ("date", "member_id", "id", "name")

_ALIASES = {
    "member": "member_id",
    "member_id": "member_id",
    "table_id": "table",
    "language": "languages",
    "is_host": "host",
}
_TRUE = {"yes", "y", "true", "1", "x", "host"}
_FALSE = {"no", "n", "false", "0", ""}
_LEFT = {"left", "inactive"}


class CsvError(InputError):
    """A CSV file is unusable; the message names the file, row and field."""


def csv_error(path: str | Path, row: int | None, field: str | None, message: str) -> CsvError:
    where = str(path)
    if row is not None:
        where += f", row {row}"
    if field is not None:
        where += f", field {field!r}"
    return CsvError(f"{where}: {message}")


def neutralise(cell: str) -> str:
    """Prefix an apostrophe to a cell a spreadsheet would read as a formula."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise` (an apostrophe followed by a formula character)."""
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


@dataclass
class CsvRow:
    """One data row: its spreadsheet row number and cells by (normalised) column name."""

    number: int
    cells: dict[str, str]
    path: str

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def error(self, column: str | None, message: str) -> CsvError:
        return csv_error(self.path, self.number, column, message)


@dataclass
class CsvTable:
    """A parsed CSV file: its columns (normalised) and data rows, blank rows skipped."""

    path: str
    columns: list[str]
    rows: list[CsvRow]
    ignored: list[str] = field(default_factory=list)


def _normalise(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return _ALIASES.get(key, key)


def _decode(path: str | Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise csv_error(
            path, line, None, f"not UTF-8 text (byte 0x{bad}); save the file as 'CSV UTF-8'"
        ) from None


def _delimiter(header: str) -> str:
    for candidate in (",", ";", "\t"):
        if candidate in header:
            return candidate
    return ","


def read_csv(
    path: str | Path,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    text: str | None = None,
) -> CsvTable:
    """Read a CSV file with a header row into rows of stripped, restored cells.

    Raises :class:`CsvError` for an unreadable, non-UTF-8 or empty file, a missing or repeated
    column, or a row with more cells than the header.
    """
    if text is None:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise CsvError(f"{path}: cannot read the file ({exc.strerror})") from None
        text = _decode(path, raw)
    if not text.strip():
        raise csv_error(path, None, None, f"empty file (expected a header: {','.join(required)})")
    first_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise csv_error(path, reader.line_num, None, f"malformed CSV ({exc})") from None
    # Rows are numbered as a spreadsheet shows them; leading blank lines still count.
    numbered = [(k + 1, r) for k, r in enumerate(records) if any(c.strip() for c in r)]
    header_row, header = numbered[0]
    columns = [_normalise(c) for c in header]
    for k, column in enumerate(columns):
        if not column:
            raise csv_error(path, header_row, None, f"column {k + 1} of the header has no name")
        if column in columns[:k]:
            raise csv_error(path, header_row, column, "the column appears twice in the header")
    for column in required:
        if column not in columns:
            raise csv_error(
                path, header_row, column, f"missing column (the header is {','.join(header)})"
            )
    known = set(required) | set(optional)
    ignored = [c for c in columns if c not in known]
    rows = []
    for number, record in numbered[1:]:
        if len(record) > len(columns):
            raise csv_error(
                path, number, None, f"{len(record)} cells but the header names {len(columns)}"
            )
        cells = {c: restore(v.strip()) for c, v in zip(columns, record, strict=False)}
        rows.append(CsvRow(number, cells, str(path)))
    return CsvTable(str(path), columns, rows, ignored)


# -- members -------------------------------------------------------------------------------


def _flag(row: CsvRow, column: str, truthy: set[str], falsy: set[str], meaning: str) -> bool:
    value = row.get(column).lower()
    if value in truthy:
        return True
    if value in falsy:
        return False
    raise row.error(column, f"expected {meaning} (got {row.get(column)!r})")


def _languages(value: str) -> list[str]:
    return [lang.lower() for lang in re.split(r"[;,/|\s]+", value) if lang]


def read_members_csv(path: str | Path) -> tuple[list[ClubMember], list[str]]:
    """Members from a CSV file (columns in :data:`MEMBER_COLUMNS`, only ``id`` required).

    Returns the members and the names of columns that were ignored.
    """
    table = read_csv(path, required=("id",), optional=MEMBER_COLUMNS)
    members: list[ClubMember] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        member_id = row.get("id")
        if not member_id:
            raise row.error("id", "empty member id")
        if member_id in first_row:
            raise row.error(
                "id", f"duplicate member id {member_id!r} (first on row {first_row[member_id]})"
            )
        first_row[member_id] = row.number
        members.append(
            ClubMember(
                id=member_id,
                name=row.get("name") or None,
                company=row.get("company") or None,
                industry=row.get("industry") or None,
                languages=_languages(row.get("languages")),
                host=_flag(row, "host", _TRUE, _FALSE, "yes or no"),
                active=not _flag(
                    row, "status", {"left", "inactive"}, {"active", ""}, "active or left"
                ),
            )
        )
    if not members:
        raise csv_error(path, None, None, "no members in the file (only a header)")
    return members, table.ignored


def member_rows(members: Iterable[ClubMember]) -> list[list[str]]:
    return [
        [
            m.id,
            m.name or "",
            m.company or "",
            m.industry or "",
            ";".join(m.languages),
            "yes" if m.host else "no",
            "active" if m.active else "left",
        ]
        for m in members
    ]


# -- history -------------------------------------------------------------------------------


def parse_date(row: CsvRow, column: str = "date") -> dt.date:
    value = row.get(column)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise row.error(column, f"expected a date as YYYY-MM-DD (got {value!r})")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise row.error(column, f"not a real date {value!r} ({exc})") from None


def read_history_csv(
    path: str | Path, known: Collection[str] | None = None
) -> tuple[list[RecordedDinner], list[str]]:
    """Past dinners from a CSV file with one row per seat: ``date,table,member_id``.

    Parameters
    ----------
    path
        The file. A ``name`` column is allowed and ignored (exports write it for readability).
    known
        Member ids of the club; a row naming another member is an error.

    Returns
    -------
    The dinners in date order (tables in the order they first appear) and ignored columns.
    """
    table = read_csv(path, required=("date", "table", "member_id"), optional=HISTORY_COLUMNS)
    dinners: dict[dt.date, dict[str, list[str]]] = {}
    seen: dict[tuple[dt.date, str], int] = {}
    for row in table.rows:
        date = parse_date(row)
        table_id = row.get("table")
        if not table_id:
            raise row.error("table", "empty table id")
        member = row.get("member_id")
        if not member:
            raise row.error("member_id", "empty member id")
        if known is not None and member not in known:
            raise row.error("member_id", f"unknown member id {member!r} (import members first)")
        if (date, member) in seen:
            raise row.error(
                "member_id",
                f"member {member!r} is seated twice on {date} (first on row {seen[date, member]})",
            )
        seen[date, member] = row.number
        dinners.setdefault(date, {}).setdefault(table_id, []).append(member)
    if not dinners:
        raise csv_error(path, None, None, "no seats in the file (only a header)")
    result = [
        RecordedDinner(date, tuple(SeatedTable(t, tuple(ms)) for t, ms in tables.items()))
        for date, tables in sorted(dinners.items())
    ]
    return result, table.ignored


def history_rows(
    dinners: Iterable[RecordedDinner], names: dict[str, str] | None = None
) -> list[list[str]]:
    names = names or {}
    return [
        [str(d.date), t.id, m, names.get(m, "")]
        for d in dinners
        for t in d.tables
        for m in t.members
    ]


# -- attendee lists and tables -------------------------------------------------------------


def read_id_list(path: str | Path) -> list[str]:
    """Member ids, one per line, or a CSV whose header has an ``id`` / ``member_id`` column.

    Blank lines and lines starting with ``#`` are skipped; an id listed twice is an error.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CsvError(f"{path}: cannot read the file ({exc.strerror})") from None
    text = _decode(path, raw)
    lines = [(k + 1, line.strip()) for k, line in enumerate(text.splitlines())]
    lines = [(k, line) for k, line in lines if line and not line.startswith("#")]
    if not lines:
        raise csv_error(path, None, None, "empty file (expected member ids, one per line)")
    first = next(csv.reader([lines[0][1]], delimiter=_delimiter(lines[0][1])))
    header = [_normalise(c) for c in first]
    column = next((c for c in ("member_id", "id") if c in header), None)
    ids: list[tuple[int, str]] = []
    if column is not None:
        data = read_csv(path, required=(column,), optional=header, text=text)
        ids = [(row.number, row.get(column)) for row in data.rows]
    else:
        for number, line in lines:
            cells = next(csv.reader([line], delimiter=_delimiter(line)))
            ids.append((number, restore(cells[0].strip())))
    seen: dict[str, int] = {}
    for number, member in ids:
        if not member:
            raise csv_error(path, number, column, "empty member id")
        if member in seen:
            raise csv_error(
                path,
                number,
                column,
                f"member {member!r} is listed twice (first on row {seen[member]})",
            )
        seen[member] = number
    return list(seen)


def read_registrations_csv(path: str | Path) -> dict[dt.date, list[str]]:
    """Who comes to which dinner: one row per member per dinner, ``date,member_id``.

    Parameters
    ----------
    path
        The file. The member column may be called ``member_id``, ``member`` or ``id``
        (``member_id`` wins when there are both); a ``name`` column is allowed and ignored.

    Returns
    -------
    dict
        Date -> member ids in file order, dates in ascending order.

    Raises
    ------
    CsvError
        A bad date, an empty member id, a member registered twice for one date (naming the
        first row), no member column, or no rows.
    """
    table = read_csv(path, required=("date",), optional=REGISTRATION_COLUMNS)
    column = next((c for c in ("member_id", "id") if c in table.columns), None)
    if column is None:
        # Read again asking for the column: read_csv words the error (file, header row).
        read_csv(path, required=("date", "member_id"), optional=REGISTRATION_COLUMNS)
        raise csv_error(path, None, "member_id", "missing column")  # unreachable in practice
    dinners: dict[dt.date, list[str]] = {}
    seen: dict[tuple[dt.date, str], int] = {}
    for row in table.rows:
        date = parse_date(row)
        member = row.get(column)
        if not member:
            raise row.error(column, "empty member id")
        if (date, member) in seen:
            raise row.error(
                column,
                f"member {member!r} is registered twice for {date} "
                f"(first on row {seen[date, member]})",
            )
        seen[date, member] = row.number
        dinners.setdefault(date, []).append(member)
    if not dinners:
        raise csv_error(path, None, None, "no registrations in the file (only a header)")
    return dict(sorted(dinners.items()))


def read_tables_csv(path: str | Path) -> list[Table]:
    """Tables from a CSV file: ``table,capacity`` and an optional ``host`` member id."""
    data = read_csv(path, required=("table", "capacity"), optional=("host",))
    tables: list[Table] = []
    seen: dict[str, int] = {}
    for row in data.rows:
        table_id = row.get("table")
        if not table_id:
            raise row.error("table", "empty table id")
        if table_id in seen:
            raise row.error(
                "table", f"duplicate table id {table_id!r} (first on row {seen[table_id]})"
            )
        seen[table_id] = row.number
        capacity = row.get("capacity")
        if not capacity.isdigit() or not 1 <= int(capacity) <= MAX_CAPACITY:
            raise row.error(
                "capacity",
                f"expected a whole number of seats, 1 to {MAX_CAPACITY} (got {capacity!r})",
            )
        tables.append(Table(id=table_id, capacity=int(capacity), host=row.get("host") or None))
    if not tables:
        raise csv_error(path, None, None, "no tables in the file (only a header)")
    return tables


# -- writing -------------------------------------------------------------------------------


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with formula cells neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise("" if cell is None else str(cell)) for cell in row])
    return buffer.getvalue()


def write_csv(
    path: str | Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    write: Callable[[str], object] | None = None,
) -> None:
    """Write a CSV file atomically (UTF-8 with a byte-order mark, so spreadsheets read accents
    right); ``-`` writes to standard output instead."""
    text = csv_text(header, rows)
    if str(path) == "-":
        (write or sys.stdout.write)(text)
        return
    target = Path(path).resolve()
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as exc:
        raise CsvError(f"{path}: cannot write the file ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
