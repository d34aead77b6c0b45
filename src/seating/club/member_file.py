"""The club's members file (CSV or Excel), read and written: one member per row.

Columns (:data:`MEMBER_COLUMNS`, headers in Dutch, French or English, see
:mod:`seating.club.headers`): only ``id`` is required. ``joined`` is the date the member joined
(a newcomer rule counts from it); ``guest_of`` names, by id or by name, the member who invited
a guest. A guest registered for one dinner (``seating club plan --guest``) is kept as a member
row with ``guest_of`` set and status ``guest``: not planned unless named, in the history like
anyone.

Every problem raises :class:`~seating.club.tabular.CsvError` with one line naming the file,
the row, the field and the value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from seating.club.names import Directory
from seating.club.records import ClubMember
from seating.club.tabular import (
    DEFAULT_OPTIONS,
    CsvError,
    CsvRow,
    ReadOptions,
    cell,
    csv_error,
    read_table,
)
from seating.club.values import TypedValueError, parse_date, parse_flag, parse_left

MEMBER_COLUMNS = (
    "id", "name", "company", "industry", "languages", "host", "status", "joined", "guest_of",
)  # fmt: skip
"""The columns of a members file, in the order an export writes them."""

GUEST_STATUS = "guest"
"""The status of a guest registered for a dinner (not planned unless named)."""


def parse_languages(value: str) -> list[str]:
    """Language codes as typed in a members file or a form: ``nl; FR, en`` -> ``nl fr en``."""
    return [lang.lower() for lang in re.split(r"[;,/|\s]+", value) if lang]


_GUEST_WORDS = (GUEST_STATUS, "gast", "invité", "invite")


def _is_guest_status(text: str) -> bool:
    return text.strip().lower() in _GUEST_WORDS


def _status(text: str) -> bool:
    """Whether the member is active (``guest`` reads as not planned, like ``left``)."""
    if _is_guest_status(text):
        return False
    try:
        return not parse_left(text)
    except TypedValueError:
        raise TypedValueError(f"expected active, left or guest (got {text!r})") from None


def check_joined(day: dt.date, today: dt.date) -> dt.date:
    """``day`` as a date a member joined: not after ``today``.

    Raises
    ------
    TypedValueError
        A date in the future.
    """
    if day > today:
        raise TypedValueError(f"{day} is in the future (today is {today})")
    return day


def _joined(row: CsvRow, today: dt.date) -> dt.date | None:
    if not row.get("joined").strip():
        return None
    day = cell(row, "joined", parse_date)
    assert isinstance(day, dt.date)
    try:
        return check_joined(day, today)
    except TypedValueError as exc:
        raise row.error("joined", str(exc)) from None


def _member_of(row: CsvRow, first_row: dict[str, int], today: dt.date) -> ClubMember:
    """The member of one row (``first_row``: id -> row seen so far); ``guest_of`` as typed,
    resolved by :func:`_resolve_guests`."""
    member_id = row.get("id")
    if not member_id:
        raise row.error("id", "empty member id")
    if member_id in first_row:
        raise row.error(
            "id", f"duplicate member id {member_id!r} (first on row {first_row[member_id]})"
        )
    first_row[member_id] = row.number
    if _is_guest_status(row.get("status")) and not row.get("guest_of").strip():
        # A guest is a member who is not active and has an inviter: without one, the row
        # would be stored, and exported, as a member who left.
        inviter = row.labels.get("guest_of", "guest_of")
        raise row.error("status", f"a guest needs {inviter!r}, the member who invited them")
    return ClubMember(
        id=member_id,
        name=row.get("name") or None,
        company=row.get("company") or None,
        industry=row.get("industry") or None,
        languages=parse_languages(row.get("languages")),
        host=bool(cell(row, "host", parse_flag)),
        active=bool(cell(row, "status", _status)),
        joined=_joined(row, today),
        guest_of=row.get("guest_of").strip() or None,
    )


def _guest_of(
    row: CsvRow, member: ClubMember, people: Directory, guests: Collection[str]
) -> ClubMember:
    """``member`` with ``guest_of`` (an id or a name) as the inviter's id."""
    if member.guest_of is None:
        return member
    try:
        inviter = people.resolve(member.guest_of)
    except TypedValueError as exc:
        raise row.error("guest_of", str(exc)) from None
    if inviter == member.id:
        raise row.error("guest_of", f"{member.id!r} cannot be their own guest")
    if inviter in guests:
        # As `plan --guest` refuses it: a guest is seated with a member who invited them.
        raise row.error("guest_of", f"the inviter {people.label(inviter)} is a guest too")
    return member.model_copy(update={"guest_of": inviter})


def _directory(
    members: Iterable[ClubMember], known: Sequence[ClubMember]
) -> tuple[Directory, set[str]]:
    """The file's members and the club's others, to name inviters, and the ids of the
    guests among them (who may not invite)."""
    listed = list(members)
    ids = {m.id for m in listed}
    everyone = [*listed, *(m for m in known if m.id not in ids)]
    return Directory.of(everyone), {m.id for m in everyone if m.is_guest}


def read_members_csv(
    path: str | Path,
    *,
    options: ReadOptions = DEFAULT_OPTIONS,
    data: bytes | None = None,
    known: Sequence[ClubMember] = (),
    today: dt.date | None = None,
) -> tuple[list[ClubMember], list[str]]:
    """Members from a CSV file or workbook (columns in :data:`MEMBER_COLUMNS`, only ``id``
    required; ``host`` as ja/nee, oui/non, yes/no, x; ``status`` active, left or guest;
    ``joined`` a date not after ``today``; ``guest_of`` a member of the file or of ``known``
    (the club's members), by id or name). With ``data`` (an upload's bytes) ``path`` only
    names the file in messages.

    Returns the members and the names of columns that were ignored.
    """
    today = today or dt.date.today()
    table = read_table(path, required=("id",), optional=MEMBER_COLUMNS, options=options, data=data)
    first_row: dict[str, int] = {}
    members = [_member_of(row, first_row, today) for row in table.rows]
    if not members:
        raise csv_error(table.path, None, None, "no members in the file (only a header)")
    people, guests = _directory(members, known)
    members = [
        _guest_of(row, m, people, guests) for row, m in zip(table.rows, members, strict=True)
    ]
    return members, table.ignored


def preview_members(
    path: str | Path,
    *,
    options: ReadOptions = DEFAULT_OPTIONS,
    data: bytes | None = None,
    known: Sequence[ClubMember] = (),
    today: dt.date | None = None,
) -> tuple[list[tuple[int, ClubMember | None, str | None]], list[str]]:
    """Every row of a members file read on its own, for a preview before importing: each row
    gives its spreadsheet row number and either its member or the one-line error of that row
    (what :func:`read_members_csv` would stop at). A file that cannot be read at all (no
    ``id`` column, not UTF-8, a corrupt workbook) still raises :class:`CsvError`.

    Returns the rows and the ignored columns.
    """
    today = today or dt.date.today()
    table = read_table(path, required=("id",), optional=MEMBER_COLUMNS, options=options, data=data)
    first_row: dict[str, int] = {}
    read: list[tuple[CsvRow, ClubMember | None, str | None]] = []
    for row in table.rows:
        try:
            read.append((row, _member_of(row, first_row, today), None))
        except CsvError as exc:
            read.append((row, None, str(exc)))
    if not read:
        raise csv_error(table.path, None, None, "no members in the file (only a header)")
    people, guests = _directory((m for _, m, _ in read if m is not None), known)
    rows: list[tuple[int, ClubMember | None, str | None]] = []
    for row, member, error in read:
        if member is not None:
            try:
                member = _guest_of(row, member, people, guests)
            except CsvError as exc:
                member, error = None, str(exc)
        rows.append((row.number, member, error))
    return rows, table.ignored


def member_rows(members: Iterable[ClubMember]) -> list[list[str]]:
    """The members as rows of :data:`MEMBER_COLUMNS`."""
    return [
        [
            m.id,
            m.name or "",
            m.company or "",
            m.industry or "",
            ";".join(m.languages),
            "yes" if m.host else "no",
            "active" if m.active else (GUEST_STATUS if m.guest_of else "left"),
            m.joined.isoformat() if m.joined else "",
            m.guest_of or "",
        ]
        for m in members
    ]
