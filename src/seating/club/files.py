"""The organiser's files: members, history, attendee lists, registrations, tables; as CSV or
Excel (.xlsx), read and written. The members file is :mod:`seating.club.member_file`, the
history file :mod:`seating.club.history_file`; this module reads the others and gathers all.

The formats are documented in ``docs/club.md``; reading a table of cells (CSV or a workbook
sheet, headers in Dutch, French or English) is :mod:`seating.club.tabular`, the values people
type (ja/nee, 18/09/2025) are :mod:`seating.club.values`. Members may be named by id or by
name wherever a file lists members, through a ``resolve`` function
(:meth:`seating.club.names.Directory.resolve`).

Every problem raises :class:`CsvError` with one line naming the file, the row (the header is
row 1, as in a spreadsheet), the field and the value.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from seating.club.headers import column_of
from seating.club.history_file import (
    COURSE_HISTORY_COLUMNS,
    HISTORY_COLUMNS,
    history_rows,
    history_table,
    read_history_csv,
)
from seating.club.member_file import (
    MEMBER_COLUMNS,
    member_rows,
    preview_members,
    read_members_csv,
)
from seating.club.tabular import (
    DEFAULT_OPTIONS,
    FORMULA_START,
    CsvError,
    CsvRow,
    CsvTable,
    ReadOptions,
    Resolve,
    csv_error,
    date_cell,
    delimiter,
    member_cell,
    neutralise,
    read_table,
    read_text,
    restore,
)
from seating.club.values import TypedValueError, parse_count
from seating.club.workbook import is_workbook
from seating.club.writing import csv_text, write_csv, write_rows
from seating.models import Table, control_character

__all__ = [
    "COURSE_HISTORY_COLUMNS",
    "DEFAULT_OPTIONS",
    "FORMULA_START",
    "HISTORY_COLUMNS",
    "MEMBER_COLUMNS",
    "CsvError",
    "CsvRow",
    "CsvTable",
    "ReadOptions",
    "csv_error",
    "csv_text",
    "delimiter",
    "history_rows",
    "history_table",
    "member_rows",
    "neutralise",
    "preview_members",
    "read_csv",
    "read_history_csv",
    "read_members_csv",
    "restore",
    "write_csv",
    "write_rows",
]

MAX_CAPACITY = 1000
"""The most seats one table may have in a tables file (larger numbers are typos)."""

REGISTRATION_COLUMNS = ("date", "member_id", "id", "name")

read_csv = read_table
"""The former name of :func:`seating.club.tabular.read_table` (CSV and workbooks alike)."""


def _member_column(table: CsvTable) -> str | None:
    """The column naming members: ``member_id``, else ``id``, else ``name``."""
    return next((c for c in ("member_id", "id", "name") if c in table.columns), None)


def _label(row: CsvRow, column: str) -> str:
    """The column as the file's header names it."""
    return row.labels.get(column, column)


# -- attendee lists and tables -------------------------------------------------------------


def _strip_comment(line: str) -> str:
    """``M014 # Els`` -> ``M014``: a ``#`` after the member starts a comment."""
    return line.split("#", 1)[0].strip() if "#" in line else line.strip()


def read_id_list(
    path: str | Path,
    *,
    resolve: Resolve | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
) -> list[str]:
    """Members, one per line (an id or a name; ``# ...`` after it is a comment), or a CSV or
    workbook whose header has an ``id`` / ``member_id`` (or only a ``name``) column.

    Blank lines and lines starting with ``#`` are skipped; a member listed twice is an error,
    naming both rows. With ``resolve``, names and ids become ids (unknown members are refused
    with the row and "did you mean").
    """
    entries: list[tuple[int, str | None, str]] = []
    if is_workbook(path):
        table = read_table(path, required=(), options=options)
        column = _member_column(table)
        if column is None:
            read_table(path, required=("member_id",), options=options)
        assert column is not None
        entries = [(row.number, _label(row, column), row.get(column)) for row in table.rows]
        where = table.path
    else:
        text = read_text(path)
        where = str(path)
        lines = [(k + 1, _strip_comment(line)) for k, line in enumerate(text.splitlines())]
        lines = [(k, line) for k, line in lines if line]
        if not lines:
            raise csv_error(path, None, None, "empty file (expected member ids, one per line)")
        first = next(csv.reader([lines[0][1]], delimiter=delimiter(lines[0][1])))
        header = [column_of(c, options.columns) for c in first]
        column = next((c for c in ("member_id", "id", "name") if c in header), None)
        if column is not None:
            data = read_table(path, required=(column,), optional=header, text=text, options=options)
            entries = [
                (row.number, _label(row, column), _strip_comment(row.get(column)))
                for row in data.rows
            ]
        else:
            # One member per line: a name may hold a comma ("Peeters, Jan"), so the line is
            # the member unless it is a CSV row whose first cell is an id.
            entries = [(number, None, restore(line)) for number, line in lines]
    seen: dict[str, int] = {}
    for number, field, typed in entries:
        if not typed:
            raise csv_error(where, number, field, "empty member id")
        if (char := control_character(typed)) is not None:
            raise csv_error(where, number, field, f"holds a control character ({char})")
        member = typed
        if resolve is not None:
            try:
                member = resolve(typed)
            except TypedValueError as exc:
                raise csv_error(where, number, field, str(exc)) from None
        if member in seen:
            raise csv_error(
                where,
                number,
                field,
                f"member {member!r} is listed twice (first on row {seen[member]})",
            )
        seen[member] = number
    if not seen:
        # Not "nobody", and never "everybody" (an empty list once meant every active member).
        raise csv_error(where, None, None, "no members listed (only a header)")
    return list(seen)


def read_registrations_csv(
    path: str | Path,
    *,
    resolve: Resolve | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
    data: bytes | None = None,
) -> dict[dt.date, list[str]]:
    """Who comes to which dinner: one row per member per dinner, ``date,member_id``.

    Parameters
    ----------
    path
        The file (CSV or workbook). The member column may be called ``member_id``, ``member``
        or ``id`` (``member_id`` wins when there are both), or ``name`` when there is no id
        column and ``resolve`` is given.
    resolve
        Turns a member cell into an id (names, suggestions for typos).
    options
        Header mapping and sheet.
    data
        The file's bytes (an upload); ``path`` then only names it in messages.

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
    table = read_table(
        path, required=("date",), optional=REGISTRATION_COLUMNS, options=options, data=data
    )
    column = _member_column(table)
    if column is None or (column == "name" and resolve is None):
        # Read again asking for the column: read_table words the error (file, header row).
        read_table(path, required=("date", "member_id"), options=options, data=data)
        raise csv_error(table.path, None, "member_id", "missing column")  # unreachable
    dinners: dict[dt.date, list[str]] = {}
    seen: dict[tuple[dt.date, str], int] = {}
    for row in table.rows:
        date = date_cell(row)
        member = member_cell(row, column, resolve)
        if (date, member) in seen:
            raise row.error(
                column,
                f"member {member!r} is registered twice for {date} "
                f"(first on row {seen[date, member]})",
            )
        seen[date, member] = row.number
        dinners.setdefault(date, []).append(member)
    if not dinners:
        raise csv_error(table.path, None, None, "no registrations in the file (only a header)")
    return dict(sorted(dinners.items()))


def read_tables_csv(
    path: str | Path,
    *,
    resolve: Resolve | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
    text: str | None = None,
) -> list[Table]:
    """Tables from a CSV file or workbook: ``table,capacity`` and an optional ``host`` (a
    member id, or a name with ``resolve``). With ``text`` (the same CSV typed in a form),
    ``path`` only names it in messages."""
    data = read_table(
        path, required=("table", "capacity"), optional=("host",), options=options, text=text
    )
    tables = _tables_of(data.rows, resolve)[None]
    if not tables:
        raise csv_error(data.path, None, None, "no tables in the file (only a header)")
    return tables


def read_season_tables_csv(
    path: str | Path,
    *,
    resolve: Resolve | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
    text: str | None = None,
) -> dict[dt.date | None, list[Table]]:
    """The tables of each dinner of a season: ``table,capacity``, optional ``host`` and an
    optional ``date`` column. Rows with a date are the tables of that date's dinner; rows
    without one (or a file without the column) are the tables of every other dinner, under
    the key ``None``. ``text``: as for :func:`read_tables_csv`."""
    data = read_table(
        path,
        required=("table", "capacity"),
        optional=("host", "date"),
        options=options,
        text=text,
    )
    by_date = _tables_of(data.rows, resolve)
    if not any(by_date.values()):
        raise csv_error(data.path, None, None, "no tables in the file (only a header)")
    return {day: tables for day, tables in by_date.items() if tables}


def _tables_of(rows, resolve: Resolve | None) -> dict[dt.date | None, list[Table]]:
    """Tables per date (``None``: rows without a date); table ids unique per date."""
    out: dict[dt.date | None, list[Table]] = {None: []}
    seen: dict[tuple[dt.date | None, str], int] = {}
    for row in rows:
        day = date_cell(row) if row.get("date") else None
        table_id = row.get("table")
        if not table_id:
            raise row.error("table", "empty table id")
        if (day, table_id) in seen:
            where = f" on {day}" if day else ""
            raise row.error(
                "table",
                f"duplicate table id {table_id!r}{where} (first on row {seen[day, table_id]})",
            )
        seen[day, table_id] = row.number
        capacity = row.get("capacity")
        seats = parse_count(capacity, 1, MAX_CAPACITY)
        if seats is None:
            shown = capacity if len(capacity) <= 20 else capacity[:20] + "..."
            raise row.error(
                "capacity",
                f"expected a whole number of seats, 1 to {MAX_CAPACITY} (got {shown!r})",
            )
        host = member_cell(row, "host", resolve) if row.get("host") else None
        out.setdefault(day, []).append(Table(id=table_id, capacity=seats, host=host))
    return out
