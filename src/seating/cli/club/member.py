"""``member``: show one member, or change them (host, left, company, languages, joined), as
the web app's members page does (:func:`seating.club.workflow.change_member`)."""

from __future__ import annotations

from typing import Annotated

import typer

from seating.cli.club._common import DEFAULT_DB_PATH, BusyTimeout, DbPath, _handled, _open, out
from seating.club import workflow
from seating.club.records import ClubMember


def _described(member: ClubMember, label: str) -> str:
    """One line: the member as stored."""
    status = "guest" if member.is_guest else ("active" if member.active else "left")
    parts = [
        f"{label}: {status}",
        f"host {'yes' if member.host else 'no'}",
        f"company {member.company or '-'}",
        f"languages {', '.join(member.languages) or '-'}",
        f"member since {member.joined or '-'}",
    ]
    if member.guest_of:
        parts.append(f"guest of {member.guest_of}")
    return ", ".join(parts)


def member(
    who: Annotated[str, typer.Argument(metavar="MEMBER", help="Member id or name.")],
    host: Annotated[
        bool | None, typer.Option("--host/--no-host", help="Can host a table (or not).")
    ] = None,
    left: Annotated[
        bool | None, typer.Option("--left/--back", help="Has left the club (or is back).")
    ] = None,
    company: Annotated[str | None, typer.Option(help="Company; '' clears it.")] = None,
    languages: Annotated[
        str | None, typer.Option(help="Languages, e.g. 'nl; fr'; '' clears them.")
    ] = None,
    joined: Annotated[
        str | None, typer.Option(help="Member since: 2025-09-18 or 18/09/2025; '' clears it.")
    ] = None,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Show MEMBER; with options, change them first (one change: `seating club undo` takes it
    back)."""
    with _handled(), _open(db, busy_timeout) as store:
        people = workflow.directory(store)
        member_id = workflow.member_named(people, who, "member_argument")
        if any(v is not None for v in (host, left, company, languages, joined)):
            stored = workflow.change_member(
                store,
                member_id,
                host=host,
                active=None if left is None else not left,
                company=company,
                languages=languages,
                joined=joined,
            )
        else:
            stored = next(m for m in store.members() if m.id == member_id)
        line = _described(stored, people.label(member_id))
    out.print(line, highlight=False)
