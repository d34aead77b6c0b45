"""The club's history file (CSV or Excel), read and written: one row per seat of a past
dinner, ``date,table,member_id`` (``name`` for readability, ``course`` for a dinner with
several courses: 1, 2, ..., without a gap; a file without it is one course per dinner).

Every problem raises :class:`~seating.club.tabular.CsvError` with one line naming the file,
the row, the field and the value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from seating.club.records import RecordedDinner, SeatedTable
from seating.club.tabular import (
    DEFAULT_OPTIONS,
    CsvRow,
    ReadOptions,
    Resolve,
    csv_error,
    date_cell,
    member_cell,
    read_table,
)

HISTORY_COLUMNS = ("date", "table", "member_id", "name")
COURSE_HISTORY_COLUMNS = ("date", "course", "table", "member_id", "name")
"""The history's columns when a dinner has several courses (``course``: 1, 2, ...)."""


def read_history_csv(
    path: str | Path,
    known: Collection[str] | None = None,
    *,
    resolve: Resolve | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
    data: bytes | None = None,
) -> tuple[list[RecordedDinner], list[str]]:
    """Past dinners from a CSV file or workbook with one row per seat: ``date,table,member_id``.

    Parameters
    ----------
    path
        The file. A ``name`` column is allowed and ignored (exports write it for readability);
        the member column may also be called ``id``.
    known
        Member ids of the club; a row naming another member is an error.
    resolve
        Turns a member column's cell into an id (a name, or an id with suggestions).
    options
        Header mapping and sheet.
    data
        The file's bytes (an upload); ``path`` then only names it in messages.

    Returns
    -------
    The dinners in date order (tables in the order they first appear) and ignored columns.
    """
    table = read_table(
        path,
        required=("date", "table"),
        optional=COURSE_HISTORY_COLUMNS,
        options=options,
        data=data,
    )
    column = next((c for c in ("member_id", "id") if c in table.columns), None)
    if column is None:
        read_table(path, required=("date", "table", "member_id"), options=options, data=data)
    assert column is not None
    dinners: dict[dt.date, dict[int, dict[str, list[str]]]] = {}
    seen: dict[tuple[dt.date, int, str], int] = {}
    for row in table.rows:
        date = date_cell(row)
        course = _course(row)
        table_id = row.get("table")
        if not table_id:
            raise row.error("table", "empty table id")
        member = member_cell(row, column, resolve)
        if known is not None and member not in known:
            raise row.error(column, f"unknown member id {member!r} (import members first)")
        if (date, course, member) in seen:
            when = f"{date}" if course == 1 else f"{date}, course {course}"
            first = seen[date, course, member]
            raise row.error(
                column, f"member {member!r} is seated twice on {when} (first on row {first})"
            )
        seen[date, course, member] = row.number
        day = dinners.setdefault(date, {})
        day.setdefault(course, {}).setdefault(table_id, []).append(member)
    if not dinners:
        raise csv_error(table.path, None, None, "no seats in the file (only a header)")
    result = [_dinner(table.path, date, courses) for date, courses in sorted(dinners.items())]
    ignored = [c for c in table.ignored if c != "id" or column == "id"]
    return result, [c for c in ignored if c != column]


def _course(row: CsvRow) -> int:
    """The row's course (the optional ``course`` column; empty or absent: 1)."""
    text = row.get("course")
    if not text:
        return 1
    try:
        course = int(text)
    except ValueError:
        raise row.error("course", f"expected a course number 1, 2, ... (got {text!r})") from None
    if not 1 <= course <= 50:
        raise row.error("course", f"expected a course number from 1 to 50 (got {course})")
    return course


def _dinner(
    path: str | Path, date: dt.date, courses: dict[int, dict[str, list[str]]]
) -> RecordedDinner:
    """One dinner of a history file: its courses numbered 1, 2, ... without a gap."""
    for number in range(1, max(courses) + 1):
        if number not in courses:
            raise csv_error(
                path, None, "course", f"dinner {date} has course {max(courses)} but no course "
                f"{number}"
            )  # fmt: skip
    seated = [
        tuple(SeatedTable(t, tuple(ms)) for t, ms in courses[c].items()) for c in sorted(courses)
    ]
    return RecordedDinner(date, seated[0], tuple(seated[1:]))


def history_rows(
    dinners: Iterable[RecordedDinner], names: dict[str, str] | None = None
) -> list[list[str]]:
    """One row per seat, as :data:`HISTORY_COLUMNS` (see :func:`history_table`)."""
    names = names or {}
    return [
        [str(d.date), t.id, m, names.get(m, "")]
        for d in dinners
        for t in d.tables
        for m in t.members
    ]


def history_table(
    dinners: Sequence[RecordedDinner], names: dict[str, str] | None = None
) -> tuple[tuple[str, ...], list[list[str]]]:
    """The history as a file: header and one row per seat. Where a dinner has several courses,
    a ``course`` column (1, 2, ...) says which; otherwise the columns are
    :data:`HISTORY_COLUMNS`, as before courses."""
    if not any(d.later_courses for d in dinners):
        return HISTORY_COLUMNS, history_rows(dinners, names)
    names = names or {}
    rows = [
        [str(d.date), str(c), t.id, m, names.get(m, "")]
        for d in dinners
        for c, tables in enumerate(d.courses, start=1)
        for t in tables
        for m in t.members
    ]
    return COURSE_HISTORY_COLUMNS, rows
