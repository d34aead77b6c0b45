"""A table of text cells with a header row, from a CSV file or an Excel sheet: the one reader
under every club file format (:mod:`seating.club.files`).

CSV files are UTF-8 (a byte-order mark is fine); the delimiter is a comma, or a semicolon or
tab when the header uses one (as spreadsheets in many European locales write). Workbooks
(.xlsx) are read with :mod:`seating.club.workbook`. Headers may be in Dutch, French or English,
or mapped by the organiser (:mod:`seating.club.headers`).

Every problem raises :class:`CsvError` with one line naming the file, the row (the header is
row 1, as in a spreadsheet), the field and the value. Writers neutralise cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) by prefixing an apostrophe; the readers remove that apostrophe again, so an export
imports back unchanged.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from seating.club.headers import column_of, normalise
from seating.club.values import TypedValueError, parse_date
from seating.club.workbook import is_workbook, read_sheet
from seating.errors import InputError
from seating.models import control_character
from seating.read import read_bytes

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is neutralised on export."""


class CsvError(InputError):
    """A club file is unusable; the message names the file, row and field."""


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


@dataclass(frozen=True)
class ReadOptions:
    """How to read the organiser's files beyond the defaults.

    Attributes
    ----------
    columns
        Header (normalised) -> the column it means, e.g. ``{"lidnummer": "id"}``.
    sheet
        The sheet of a workbook with several sheets.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None


DEFAULT_OPTIONS = ReadOptions()


@dataclass
class CsvRow:
    """One data row: its spreadsheet row number and cells by (normalised) column name."""

    number: int
    cells: dict[str, str]
    path: str
    labels: Mapping[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def error(self, column: str | None, message: str) -> CsvError:
        return csv_error(self.path, self.number, self.labels.get(column, column), message)


def cell(row: CsvRow, column: str, parse: Callable[[str], object]) -> object:
    """The cell of ``column`` read by ``parse``; its :class:`TypedValueError` becomes the
    row's :class:`CsvError` naming the column."""
    try:
        return parse(row.get(column))
    except TypedValueError as exc:
        raise row.error(column, str(exc)) from None


Resolve = Callable[[str], str]
"""What the organiser typed for a member -> the member's id (raises TypedValueError)."""


def member_cell(row: CsvRow, column: str, resolve: Resolve | None) -> str:
    """The member named in ``column``: the id as typed, or as ``resolve`` reads it (a name,
    an id with suggestions)."""
    typed = row.get(column)
    if not typed:
        raise row.error(column, "empty member id")
    return typed if resolve is None else str(cell(row, column, resolve))


def date_cell(row: CsvRow, column: str = "date") -> dt.date:
    """The date in ``column`` (YYYY-MM-DD or DD/MM/YYYY)."""
    return cell(row, column, parse_date)  # type: ignore[return-value]


@dataclass
class CsvTable:
    """A parsed file: its columns (normalised) and data rows, blank rows skipped."""

    path: str
    columns: list[str]
    rows: list[CsvRow]
    ignored: list[str] = field(default_factory=list)


def decode(path: str | Path, raw: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped); anything else is refused naming the row."""
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        # The error's offset counts from after the byte-order mark.
        start = exc.start + bom
        line = raw.count(b"\n", 0, start) + 1
        bad = raw[start : start + 1].hex()
        raise csv_error(
            path,
            line,
            None,
            f"not UTF-8 text (byte 0x{bad}), probably Windows-1252 (latin-1): "
            "save the file as 'CSV UTF-8' or as .xlsx",
        ) from None


def delimiter(header: str) -> str:
    for candidate in (",", ";", "\t"):
        if candidate in header:
            return candidate
    return ","


def read_text(path: str | Path) -> str:
    try:
        raw = read_bytes(path)
    except OSError as exc:
        raise CsvError(f"{path}: cannot read the file ({exc.strerror})") from None
    except InputError as exc:
        raise CsvError(str(exc)) from None
    return decode(path, raw)


def read_grid(
    path: str | Path,
    *,
    text: str | None = None,
    sheet: str | None = None,
    data: bytes | None = None,
) -> tuple[str, list[list[str]]]:
    """The raw rows of a CSV file or a workbook sheet, and the name messages use for it
    (the file, and the sheet of a workbook). With ``data`` (an upload's bytes), ``path`` only
    names the file: nothing is read from disk."""
    if text is None and is_workbook(path):
        name, rows = read_sheet(path, sheet, data=data)
        return f"{path} (sheet {name!r})", rows
    if text is None:
        text = read_text(path) if data is None else decode(path, data)
    if not text.strip():
        return str(path), []
    first_line = text.lstrip("\r\n").splitlines()[0]
    # Strict: a quote never closed would otherwise swallow every later row into one cell
    # (silently: "1 member added"), or echo the whole file back as one header.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(first_line), strict=True)
    rows: list[list[str]] = []
    started = 1  # the line the record being read starts on
    try:
        for record in reader:
            rows.append(record)
            started = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc):
            message = "a quote opened on this row is never closed"
        else:
            message = f"malformed CSV ({exc}): put a cell holding quotes in double quotes"
        raise csv_error(path, started, None, message) from None
    return str(path), rows


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def read_table(
    path: str | Path,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    text: str | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
    data: bytes | None = None,
) -> CsvTable:
    """Read a CSV file or a workbook sheet with a header row into rows of stripped cells
    (``data``: the file's bytes, e.g. an upload; ``path`` then only names it).

    Raises :class:`CsvError` for an unreadable, non-UTF-8 or empty file, a missing or repeated
    column, or a row with more cells than the header.
    """
    where, records = read_grid(path, text=text, sheet=options.sheet, data=data)
    # Rows are numbered as a spreadsheet shows them; leading blank lines still count.
    numbered = [(k + 1, r) for k, r in enumerate(records) if any(c.strip() for c in r)]
    if not numbered:
        raise csv_error(where, None, None, f"empty file (expected a header: {','.join(required)})")
    header_row, header = numbered[0]
    # A workbook row is as wide as the sheet: trailing empty header cells are no columns.
    while header and not header[-1].strip():
        header = header[:-1]
    columns = [column_of(c, options.columns) for c in header]
    # Errors name a column as the file's header says it ("Gastheer"), which the organiser sees.
    labels = {c: h.strip() for c, h in zip(columns, header, strict=True) if normalise(h) != c}
    for k, column in enumerate(columns):
        if not column:
            raise csv_error(where, header_row, None, f"column {k + 1} of the header has no name")
        if column in columns[:k]:
            raise csv_error(where, header_row, column, "the column appears twice in the header")
    for column in required:
        if column not in columns:
            raise csv_error(
                where,
                header_row,
                column,
                f"missing column (the header is {_shorten(','.join(header))}; "
                f"map a column of yours with --column HEADER={column})",
            )
    known = set(required) | set(optional)
    ignored = [c for c in columns if c not in known]
    rows = []
    for number, record in numbered[1:]:
        while len(record) > len(columns) and not record[-1].strip():
            record = record[:-1]
        if len(record) > len(columns):
            raise csv_error(
                where, number, None, f"{len(record)} cells but the header names {len(columns)}"
            )
        cells = {c: restore(v.strip()) for c, v in zip(columns, record, strict=False)}
        for column, value in cells.items():
            # An escape sequence in a name would reach every terminal that shows the plan.
            if (char := control_character(value)) is not None:
                label = labels.get(column, column)
                raise csv_error(where, number, label, f"holds a control character ({char})")
        rows.append(CsvRow(number, cells, where, labels))
    return CsvTable(where, columns, rows, ignored)
