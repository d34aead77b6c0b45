"""`seating club member MEMBER [--host/--no-host] [--left/--back] [--company] [--languages]
[--joined]`: one member shown, or changed as the web app's members page changes them, with
the same checks as an import, and one change for `seating club undo`."""

from __future__ import annotations

import pytest

from club_helpers import dump, ok, one_line_error, run, write
from seating.club.store import ClubStore


@pytest.fixture
def club(tmp_path):
    members = write(tmp_path, "m.csv", "id,name,company\nm1,An Peeters,Acme\nm2,Bo Maes,\n")
    db = tmp_path / "club.db"
    ok("club", "import", members, "--db", db)
    return db


def test_a_member_is_shown_by_name(club):
    result = ok("club", "member", "An Peeters", "--db", club)
    assert result.stdout == (
        "m1 (An Peeters): active, host no, company Acme, languages -, member since -\n"
    )


def test_a_change_is_stored_shown_and_undone_whole(club):
    before = dump(club)
    result = ok("club", "member", "m1", "--host", "--languages", "nl; fr", "--joined",
                "18/09/2025", "--company", "", "--db", club)  # fmt: skip
    assert result.stdout == (
        "m1 (An Peeters): active, host yes, company -, languages nl, fr, member since 2025-09-18\n"
    )
    with ClubStore(club) as store:
        (m1,) = [m for m in store.members() if m.id == "m1"]
    assert m1.host and m1.languages == ["nl", "fr"] and m1.company is None
    undone = ok("club", "undo", "--db", club)
    assert "undid the change of member m1 (An Peeters)" in undone.stdout
    assert dump(club)["members"] == before["members"]


def test_left_and_back(club):
    assert "m2 (Bo Maes): left," in ok("club", "member", "Bo Maes", "--left", "--db", club).stdout
    assert "m2 (Bo Maes): active," in ok("club", "member", "m2", "--back", "--db", club).stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [(["zz"], ["member: unknown member 'zz'"]),
     (["m1", "--joined", "2999-01-01"], ["--joined: 2999-01-01 is in the future"]),
     (["m1", "--joined", "31/02/2025"], ["--joined:", "31/02/2025"])],
)  # fmt: skip
def test_bad_input_is_one_line_and_changes_nothing(club, args, words):
    before = dump(club)
    one_line_error(run("club", "member", *args, "--db", club), 2, *words)
    assert dump(club) == before
