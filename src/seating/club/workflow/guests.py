"""Guests for one dinner, registered without importing them as members.

The organiser types ``"Jan Peeters:M012"`` (the guest's name, then the member who invited
them, by id or by name). A guest is kept as a member row that is not active and has
``guest_of`` set (:attr:`~seating.club.records.ClubMember.is_guest`): the default attendee list
(every active member) leaves them out, they are in the recorded history like anyone (a guest
who comes back, or later becomes a member under that id, keeps it), and the planner seats them
with their inviter unless a rule says otherwise. A guest whose inviter does not attend is
seated like anyone, with a note.

The rows are written with the draft, in its transaction (:meth:`PlanJob.save`): a request
that finds no plan leaves no guest behind, and undoing the plan removes the new guests too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence

from seating.club.names import Directory
from seating.club.records import ClubMember
from seating.club.store import ClubStore
from seating.club.workflow.errors import FieldError
from seating.club.workflow.people import member_named

GUEST_ID_PREFIX = "guest-"
"""The ids of registered guests start so (``guest-jan-peeters``)."""


def _folded(name: str) -> str:
    """A name as compared and as an id: no accents, lower case, words joined by ``-``."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return "-".join(re.findall(r"[a-z0-9]+", plain))


def _new_id(name: str, taken: Collection[str]) -> str:
    base = GUEST_ID_PREFIX + (_folded(name) or "guest")
    candidate, k = base, 2
    while candidate in taken:
        candidate, k = f"{base}-{k}", k + 1
    return candidate


def parse_guest(text: str) -> tuple[str, str]:
    """``"Jan Peeters:M012"`` as the guest's name and the inviter as typed.

    Raises
    ------
    FieldError
        ``guest``: no ``:``, or an empty name or inviter.
    """
    name, sep, inviter = text.rpartition(":")
    if not sep or not name.strip() or not inviter.strip():
        raise FieldError(
            "guest", f"expected 'NAME:INVITER', e.g. 'Jan Peeters:M012' (got {text!r})"
        )
    return " ".join(name.split()), inviter.strip()


def dinner_guests(store: ClubStore, specs: Sequence[str]) -> list[ClubMember]:
    """The guests typed for a dinner as member rows to write with its draft (not written
    here): a guest registered before under that name is the same person (their history
    counts); a new one gets a new id.

    Raises
    ------
    FieldError
        ``guest``: a spec that cannot be read, an inviter who is unknown, ambiguous, has left
        or is a guest themselves, a name that belongs to a member (list them as an attendee)
        or to a member who left, or one guest named twice.
    """
    members = store.members()
    people = Directory.of(members)
    by_name: dict[str, list[ClubMember]] = {}
    for member in members:
        if member.name:
            by_name.setdefault(_folded(member.name), []).append(member)
    taken = {m.id for m in members}
    guests: list[ClubMember] = []
    for spec in specs:
        name, typed = parse_guest(spec)
        inviter = member_named(people, typed, "guest")
        host = next(m for m in members if m.id == inviter)
        if not host.active:
            what = "is a guest too" if host.is_guest else "has left the club"
            raise FieldError("guest", f"{spec!r}: the inviter {people.label(inviter)} {what}")
        same = by_name.get(_folded(name), [])
        members_named = [m for m in same if not m.is_guest]
        if members_named:
            ids = ", ".join(m.id for m in members_named)
            if not any(m.active for m in members_named):
                # Listing them as an attendee is refused too: say what is.
                raise FieldError("guest", f"{name!r} is a member who left the club ({ids})")
            raise FieldError(
                "guest", f"{name!r} is a member ({ids}): list them as an attendee instead"
            )
        if any(_folded(g.name or "") == _folded(name) for g in guests):
            raise FieldError("guest", f"{name!r} is named twice")
        if same:  # came before as a guest: the same person, invited by whoever asks now
            guest = same[0].model_copy(update={"guest_of": inviter, "name": name})
        else:
            guest = ClubMember(id=_new_id(name, taken), name=name, active=False, guest_of=inviter)
            taken.add(guest.id)
        guests.append(guest)
    return guests


def absent_inviters(
    people: Directory, attendees: Collection[str], members: Sequence[ClubMember]
) -> list[str]:
    """A note for each attending guest whose inviter does not attend (seated like anyone)."""
    by_id = {m.id: m for m in members}
    notes = []
    for member in attendees:
        inviter = by_id[member].guest_of if member in by_id else None
        if inviter is not None and inviter not in attendees:
            notes.append(
                f"guest {people.label(member)} comes without {people.label(inviter)} who invited "
                "them: seated like any member"
            )
    return notes
