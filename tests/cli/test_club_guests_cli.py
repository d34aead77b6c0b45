"""Guests for one dinner (`seating club plan --guest "Name:inviter"`): registered with the
draft and not as members, seated with their inviter, in the recorded history like anyone, the
same person when they come back, warned about (not refused) when their inviter stays home."""

from __future__ import annotations

import datetime as dt

import pytest

from club_helpers import dump, ok, one_line_error, run
from seating.club.records import ClubMember, RecordedDinner, SeatedTable
from seating.club.store import ClubStore

DAY = "2026-03-05"


@pytest.fixture
def club(tmp_path):
    db = tmp_path / "club.db"
    with ClubStore(db, create=True) as store:
        store.import_members(
            [ClubMember(id=f"p{k}", name=f"Person {k}") for k in range(1, 8)]
            + [ClubMember(id="gone", name="Left Member", active=False)]
        )
        store.import_history(
            [RecordedDinner(dt.date(2026, 1, 8), (SeatedTable("T1", ("p1", "p2", "p3")),))]
        )
    return db


def plan(db, *args: str, date: str = DAY):
    return run("club", "plan", "--date", date, "--table-sizes", "3", "--method", "cpsat",
               "--db", db, *args)  # fmt: skip


def test_a_guest_is_registered_with_the_draft_and_sits_with_the_inviter(club, tmp_path):
    result = plan(club, "--attendee", "p1,p2,p3,p4,p5", "--guest", "Jan Peeters:Person 4")
    assert result.exit_code == 0, result.stderr
    assert "Jan Peeters (guest of" in result.stdout  # the panel wraps the name
    with ClubStore(club) as store:
        draft = store.draft()
        guest = {m.id: m for m in store.members()}["guest-jan-peeters"]
    assert guest == ClubMember(id="guest-jan-peeters", name="Jan Peeters", active=False,
                               guest_of="p4")  # fmt: skip
    assert draft.table_of()["guest-jan-peeters"] == draft.table_of()["p4"]
    status = ok("club", "status", "--db", club)
    assert "members: 7 active, 1 left, 1 guest\n" in status.stdout

    printed = ok("club", "print", "--out", tmp_path / "p", "--db", club)
    page = (tmp_path / "p" / f"dinner-{DAY}.html").read_text(encoding="utf-8")
    assert "Jan Peeters" in page and "guest of Person 4" in page and printed.stderr == ""

    # Undoing the plan removes the new guest with it.
    ok("club", "undo", "--db", club)
    with ClubStore(club) as store:
        assert "guest-jan-peeters" not in store.member_ids() and store.drafts() == []


def test_a_recorded_guest_is_in_the_history_and_the_same_person_next_time(club):
    ok("club", "plan", "--date", DAY, "--attendee", "p1,p2,p3", "--guest", "Jan Peeters:p1",
       "--table-sizes", "4", "--db", club)  # fmt: skip
    ok("club", "record", "--allow-future", "--db", club)
    with ClubStore(club) as store:
        assert "guest-jan-peeters" in store.dinners()[-1].seating()
        assert not any(m.active for m in store.members() if m.id.startswith("guest-"))
    # Invited again, by someone else, under the name typed differently: the same person.
    again = run("club", "plan", "--date", "2026-04-02", "--attendee", "p5,p6",
                "--guest", "jan  PEETERS:p5", "--table-sizes", "3", "--db", club)  # fmt: skip
    assert again.exit_code == 0, again.stderr
    with ClubStore(club) as store:
        guests = [m for m in store.members() if m.is_guest]
        assert [(g.id, g.guest_of) for g in guests] == [("guest-jan-peeters", "p5")]
        assert "guest-jan-peeters" in store.draft().attendees
    # Every active member by default: the guest of last time is not planned unless named.
    ok("club", "discard", "--db", club)
    ok("club", "plan", "--date", "2026-04-02", "--table-sizes", "4", "--db", club)
    with ClubStore(club) as store:
        assert "guest-jan-peeters" not in store.draft().attendees


def test_a_guest_without_their_inviter_is_seated_with_a_note(club):
    result = plan(club, "--attendee", "p1,p2", "--guest", "Jan Peeters:p7")
    assert result.exit_code == 0, result.stderr
    assert (
        "note: guest guest-jan-peeters (Jan Peeters) comes without p7 (Person 7) who invited "
        "them: seated like any member"
    ) in result.stderr
    with ClubStore(club) as store:
        assert "guest-jan-peeters" in store.draft().attendees


@pytest.mark.parametrize(
    ("guests", "words"),
    [(["Jan Peeters"], ["--guest: expected 'NAME:INVITER'", "'Jan Peeters'"]),
     ([":p1"], ["--guest: expected 'NAME:INVITER'"]),
     (["Jan Peeters:"], ["--guest: expected 'NAME:INVITER'"]),
     (["Jan Peeters:zz"], ["--guest: unknown member 'zz'"]),
     (["Jan Peeters:gone"], ["--guest", "the inviter gone (Left Member) has left the club"]),
     (["Person 3:p1"], ["--guest: 'Person 3' is a member (p3): list them as an attendee"]),
     (["Left Member:p1"], ["--guest: 'Left Member' is a member who left the club (gone)"]),
     (["Jan Peeters:p1", "jan peeters:p2"], ["--guest: 'jan peeters' is named twice"])],
)  # fmt: skip
def test_bad_guests_exit_2_with_one_line_and_register_nothing(club, guests, words):
    before = dump(club)
    args = [a for g in guests for a in ("--guest", g)]
    one_line_error(plan(club, "--attendee", "p1,p2", *args), 2, *words)
    assert dump(club) == before


def test_a_guest_may_not_invite_and_no_plan_registers_no_guest(club):
    ok("club", "plan", "--date", DAY, "--attendee", "p1,p2", "--guest", "Jan Peeters:p1",
       "--table-sizes", "4", "--db", club)  # fmt: skip
    ok("club", "record", "--allow-future", "--db", club)
    before = dump(club)
    one_line_error(
        plan(club, "--guest", "Ann Smet:Jan Peeters", date="2026-04-02"),
        2,
        "--guest",
        "is a guest too",
    )
    assert dump(club) == before
    # A plan that cannot hold the rules saves nothing, guests included.
    ok("club", "settings", "--apart", "p1,p2", "--db", club)
    before = dump(club)
    result = run("club", "plan", "--date", "2026-04-02", "--attendee", "p1,p2",
                 "--guest", "Ann Smet:p1", "--table-sizes", "3", "--db", club)  # fmt: skip
    assert result.exit_code == 1 and "no plan" in result.stderr, result.stderr
    assert dump(club) == before


def test_an_inviter_who_cancels_leaves_a_note_about_their_guest(club):
    """`reseat --cancel` of the member who invited a guest: the guest stays (the organiser
    decides), seated like anyone, and a note says so."""
    assert plan(club, "--attendee", "p1,p2,p3,p4,p5", "--guest", "Jan Peeters:p4").exit_code == 0
    result = run("club", "reseat", "--cancel", "p4", "--db", club)
    assert result.exit_code == 0, result.stderr
    assert (
        "note: guest guest-jan-peeters (Jan Peeters) now comes without p4 (Person 4) who invited "
        "them: seated like any member (cancel the guest too if they do not come)"
    ) in result.stderr
    with ClubStore(club) as store:
        attendees = store.draft().attendees
    assert "guest-jan-peeters" in attendees and "p4" not in attendees
