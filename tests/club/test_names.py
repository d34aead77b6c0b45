"""Members named by id or by name: resolving, "did you mean", ambiguity, attendee lists with
names and comments, and ids put to names in warnings."""

from __future__ import annotations

import pytest

from club_helpers import write
from seating.club import files as csvio
from seating.club.files import CsvError
from seating.club.names import Directory
from seating.club.records import ClubMember
from seating.club.values import TypedValueError
from seating.club.workflow import FieldError, members_named

CLUB = Directory.of(
    [
        ClubMember(id="M005", name="Els Maes"),
        ClubMember(id="M006", name="Jan Peeters"),
        ClubMember(id="M017", name="Jan Peeters"),
        ClubMember(id="M026", name="Wim Peeters"),
        ClubMember(id="M050", name="Ursula Lambert"),
        ClubMember(id="M014"),
    ]
)


@pytest.mark.parametrize(
    ("typed", "member"),
    [("M005", "M005"), ("m005", "M005"), ("Els Maes", "M005"), ("maes  els", "M005"),
     ("Wim Peeters", "M026"), ("ursula lambert", "M050"), ("Peeters, Wim", "M026")],
)  # fmt: skip
def test_members_are_found_by_id_or_name(typed, member):
    assert CLUB.resolve(typed) == member


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("M0O5", "unknown member 'M0O5' (did you mean M005 (Els Maes)?)"),
        ("Ursla Lambert", "did you mean M050 (Ursula Lambert)?"),
        ("Jan Peeters", "'Jan Peeters' names 2 members (M006, M017): give the id"),
        ("Zorro", "unknown member 'Zorro'"),
    ],
)
def test_typos_get_suggestions_and_ambiguous_names_are_refused(typed, words):
    with pytest.raises(TypedValueError) as info:
        CLUB.resolve(typed)
    assert words in str(info.value)


def test_option_values_take_names_ids_and_the_old_space_separated_ids():
    assert members_named(CLUB, ["Ursula Lambert,M005", "M026 M014"], "attendee") == [
        "M050", "M005", "M026", "M014"
    ]  # fmt: skip
    with pytest.raises(FieldError) as info:
        members_named(CLUB, ["Ursula Lambret"], "attendee")
    assert info.value.field == "attendee" and "did you mean M050" in info.value.problem


def test_attendee_lists_take_names_and_comments(tmp_path):
    path = write(
        tmp_path, "a.txt", "# who comes\nM014 # Els' colleague\nUrsula Lambert\nPeeters, Wim\n"
    )
    assert csvio.read_id_list(path, resolve=CLUB.resolve) == ["M014", "M050", "M026"]
    assert csvio.read_id_list(path) == ["M014", "Ursula Lambert", "Peeters, Wim"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("M005\nM0O5\n", "a.txt, row 2: unknown member 'M0O5' (did you mean M005 (Els Maes)?)"),
        ("M005\nels maes\n", "a.txt, row 2: member 'M005' is listed twice (first on row 1)"),
        ("naam\nJan Peeters\n", "a.txt, row 2, field 'naam': 'Jan Peeters' names 2 members"),
    ],
)
def test_bad_attendee_lists_name_the_row(tmp_path, text, words):
    path = write(tmp_path, "a.txt", text)
    with pytest.raises(CsvError) as info:
        csvio.read_id_list(path, resolve=CLUB.resolve)
    assert str(info.value).replace(str(tmp_path) + "/", "").startswith(words)


def test_warnings_put_names_to_ids():
    line = "'M005' and 'M026' may not sit together (apart or cooldown); M0050 and M014 stay"
    assert CLUB.with_names(line) == (
        "M005 (Els Maes) and M026 (Wim Peeters) may not sit together (apart or cooldown); "
        "M0050 and M014 stay"
    )
