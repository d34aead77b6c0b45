"""Members as the organiser names them in a request: by id or by name, in an option or a file.

Every face resolves what was typed here, so that a name, a typo ("did you mean M005?") or an
ambiguous name ("two members are called Jan Peeters") is answered the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from seating.club.member_file import check_joined, parse_languages
from seating.club.names import Directory
from seating.club.records import ClubMember
from seating.club.store import ClubStore
from seating.club.values import TypedValueError, parse_date
from seating.club.workflow.errors import FieldError


def directory(store: ClubStore) -> Directory:
    """Every member of the club (those who left too: they are in the history)."""
    return Directory.of(store.members())


def member_named(store: ClubStore | Directory, typed: str, field: str) -> str:
    """The id of the member ``typed`` names (an id or a name).

    Raises
    ------
    FieldError
        ``field``: unknown (with suggestions) or ambiguous.
    """
    found = store if isinstance(store, Directory) else directory(store)
    try:
        return found.resolve(typed)
    except TypedValueError as exc:
        raise FieldError(field, str(exc)) from None


def members_named(
    store: ClubStore | Directory, values: Iterable[str] | None, field: str
) -> list[str]:
    """Ids of the members named in option values: ``"M001,Ursula Lambert"``, repeated.

    Commas separate members. A piece with spaces is one name when it names a member, and
    otherwise ids separated by spaces (``"m1 m2"``, as the options took before names).
    Repeats are dropped (first kept).

    Raises
    ------
    FieldError
        ``field``: a piece names no member (with suggestions), or several.
    """
    found = store if isinstance(store, Directory) else directory(store)
    ids: list[str] = []
    for value in values or ():
        for piece in (p.strip() for p in value.split(",")):
            if not piece:
                continue
            try:
                named = [found.resolve(piece)]
            except TypedValueError as exc:
                words = re.split(r"\s+", piece)
                if len(words) == 1:
                    raise FieldError(field, str(exc)) from None
                try:
                    named = [found.resolve(word) for word in words]
                except TypedValueError:
                    raise FieldError(field, str(exc)) from None
            ids += [m for m in named if m not in ids]
    return ids


def change_member(
    store: ClubStore,
    member: str,
    *,
    host: bool | None = None,
    active: bool | None = None,
    company: str | None = None,
    languages: str | None = None,
    joined: str | None = None,
    today: dt.date | None = None,
) -> ClubMember:
    """Change one member: mark them as a host (or not), as having left the club (or back),
    or set their company, languages or the date they joined (typed as in a members file:
    ``nl; fr``, ``2025-09-18`` or ``18/09/2025``; empty clears it); None leaves a field as it
    is. Returns the member as stored. A member who left stays in the history and is no longer
    planned. One change in the undo log: ``the change of member M005 (Els Maes)``.

    Raises
    ------
    FieldError
        ``member``: not a member of the club; ``joined``: not a date, or in the future
        (after ``today``, by default today).
    """
    known = {m.id: m for m in store.members()}
    if member not in known:
        raise FieldError("member", f"unknown member id {member!r}")
    changes: dict[str, object] = {
        k: v for k, v in (("host", host), ("active", active)) if v is not None
    }
    if company is not None:
        changes["company"] = company.strip() or None
    if languages is not None:
        changes["languages"] = parse_languages(languages)
    if joined is not None:
        changes["joined"] = _joined(joined, today or dt.date.today())
    changed = known[member].model_copy(update=changes)
    label = Directory.of(known.values()).label(member)
    store.import_members([changed], change=f"the change of member {label}")
    return changed


def _joined(typed: str, today: dt.date) -> dt.date | None:
    """The date a member joined as typed (empty: not known), as an import reads it."""
    if not typed.strip():
        return None
    try:
        return check_joined(parse_date(typed), today)
    except TypedValueError as exc:
        raise FieldError("joined", str(exc)) from None
