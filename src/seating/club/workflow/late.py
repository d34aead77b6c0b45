"""Late changes to a draft: who cancels, who walks in, tables removed or added; checked against
the draft, and the tables after them (a host who cancels hands the table over)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from seating.club.names import Directory
from seating.club.records import Draft
from seating.club.store import ClubStore
from seating.club.workflow.errors import FieldError
from seating.models import Table


@dataclass(frozen=True)
class LateChanges:
    """What changed since a draft was made.

    Attributes
    ----------
    cancel
        Members of the draft who no longer come.
    walk_in
        Members without a seat who now come.
    remove_tables
        Table ids of the draft that are gone.
    add_tables
        New tables.
    """

    cancel: Sequence[str] = ()
    walk_in: Sequence[str] = ()
    remove_tables: Sequence[str] = ()
    add_tables: Sequence[Table] = ()


def check_late_changes(draft: Draft, changes: LateChanges) -> None:
    """The changes fit ``draft``: who cancels is seated, who walks in is not, the tables to
    remove are the draft's (cheap; :func:`prepare_reseat` checks it first too, a face may call
    it before reading the new tables).

    Raises
    ------
    FieldError
        ``cancel``: a member not seated; ``walk_in``: a member already seated;
        ``remove_tables``: a table the draft does not have.
    """
    before = draft.table_of()
    for member in changes.cancel:
        if member not in before:
            raise FieldError("cancel", f"member {member!r} is not seated in the draft")
    for member in changes.walk_in:
        if member in before:
            raise FieldError("walk_in", f"member {member!r} already has a seat")
    known_tables = {t.id for t in draft.tables}
    for table_id in changes.remove_tables:
        if table_id not in known_tables:
            raise FieldError("remove_tables", f"the draft has no table {table_id!r}")


def hand_over_hosts(
    store: ClubStore, draft: Draft, changes: LateChanges
) -> tuple[list[Table], list[str]]:
    """The tables after late changes: a table whose host cancelled is taken over by a walk-in
    flagged as a host in the club (in the order given), so it keeps a host and the walk-in
    does not land at a table that has one; otherwise it has no fixed host any more.

    Returns the tables and a note for each hand-over."""
    members = {m.id: m for m in store.members()}
    hosts_walking_in = [m for m in changes.walk_in if m in members and members[m].host]
    tables: list[Table] = []
    notes: list[str] = []
    for t in draft.tables:
        if t.id in changes.remove_tables:
            continue
        host = t.host
        if host in changes.cancel:
            host = hosts_walking_in.pop(0) if hosts_walking_in else None
            if host is not None:
                notes.append(
                    f"{members[host].display_name} ({host}) hosts table {t.id} instead of "
                    f"{members[t.host].display_name if t.host in members else t.host}, "
                    "who cancelled"
                )
        tables.append(Table(id=t.id, capacity=t.capacity, host=host))
    return [*tables, *changes.add_tables], notes


def guests_left_alone(store: ClubStore, draft: Draft, changes: LateChanges) -> list[str]:
    """A note for each guest of the draft who stays while the member who invited them
    cancels: the guest is now seated like any member, which the organiser may want to know
    (or cancel the guest too)."""
    members = store.members()
    people = Directory.of(members)
    inviter_of = {m.id: m.guest_of for m in members}
    return [
        f"guest {people.label(guest)} now comes without {people.label(inviter)} who invited "
        "them: seated like any member (cancel the guest too if they do not come)"
        for guest in draft.attendees
        if guest not in changes.cancel
        and (inviter := inviter_of.get(guest)) is not None
        and inviter in changes.cancel
    ]
