"""The workflow functions the web app needed, moved down to the club workflow so that every
face shares them: the rules a move would break, a member's flags, table sizes as typed, and the
club files read from an upload's bytes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from club_helpers import small_store
from seating.club import files
from seating.club.records import ClubMember, Draft, DraftTable
from seating.club.store import ClubStore
from seating.club.workflow import (
    FieldError,
    TableSizes,
    change_member,
    check_move,
    view_draft,
)

DAY = dt.date(2026, 3, 5)


@pytest.fixture
def store(tmp_path):
    """p1..p8; p1 hosts A; p2 and p5 work at Acme; p3 and p6 sat together on 2026-02-05; the
    draft of DAY: A (host p1, 3 seats) p1-p3, B (3 seats) p4-p6, C (3 seats) p7-p8."""
    companies = {"p2": "Acme", "p5": "Acme"}
    history = {"2026-02-05": [["p3", "p6"], ["p1", "p4"]]}
    with small_store(tmp_path, 8, companies=companies, hosts=("p1",), history=history) as store:
        store.save_settings(rules=store.rules().model_copy(update={"cooldown": 1}))
        store.save_draft(
            Draft(
                date=DAY,
                tables=[
                    DraftTable(id="A", capacity=3, host="p1", members=["p1", "p2", "p3"]),
                    DraftTable(id="B", capacity=3, members=["p4", "p5", "p6"]),
                    DraftTable(id="C", capacity=3, members=["p7", "p8"]),
                ],
            )
        )
        yield store


def test_a_move_that_keeps_every_rule_breaks_none(store):
    assert check_move(store, store.draft(), "p4", "C") == []


def test_a_move_names_every_rule_it_breaks(store):
    broken = check_move(store, store.draft(), "p5", "A")
    assert "table 'A' seats 4 > capacity 3" in broken
    assert "table 'A' seats 2 of company 'Acme' (max 1)" in broken
    assert check_move(store, store.draft(), "p6", "A") == [
        "table 'A' seats 4 > capacity 3",
        "'p3' and 'p6' may not sit together (apart or cooldown)",
    ]
    assert check_move(store, store.draft(), "p1", "C") == ["host 'p1' is not at table 'A'"]


def test_a_move_of_an_unknown_member_or_to_an_unknown_table_names_the_field(store):
    with pytest.raises(FieldError) as caught:
        check_move(store, store.draft(), "p9", "A")
    assert caught.value.field == "member" and "'p9'" in caught.value.problem
    with pytest.raises(FieldError) as caught:
        check_move(store, store.draft(), "p4", "Z")
    assert caught.value.field == "table" and "'Z'" in caught.value.problem


def test_checking_a_move_changes_nothing(store):
    before = store.draft()
    check_move(store, before, "p5", "A")
    assert store.draft() == before


def test_a_member_marked_as_left_is_named_when_the_draft_is_shown(store):
    changed = change_member(store, "p7", active=False)
    assert not changed.active and not changed.host
    assert change_member(store, "p8", host=True).host
    with pytest.raises(Exception, match="'p7'"):
        view_draft(store)
    change_member(store, "p7", active=True)
    assert view_draft(store).broken == []
    with pytest.raises(FieldError, match="unknown member id 'p99'"):
        change_member(store, "p99", host=True)


@given(st.lists(st.integers(1, 1000), min_size=1, max_size=5), st.sampled_from([",", " ", ", "]))
def test_table_sizes_read_as_typed(sizes, separator):
    assert TableSizes.parse(separator.join(map(str, sizes))).sizes == tuple(sizes)


@pytest.mark.parametrize("typed", ["", "8,x", "0", "1001", "-4"])
def test_bad_table_sizes_name_the_field(typed):
    with pytest.raises(FieldError) as caught:
        TableSizes.parse(typed)
    assert caught.value.field == "table_sizes" and repr(typed) in caught.value.problem


def test_an_upload_reads_as_the_file_would(tmp_path):
    text = "Lidnummer;Naam;Gastheer\nM1;An;ja\nM2;Bart;nee\n"
    path = tmp_path / "leden.csv"
    path.write_text(text, "utf-8")
    assert files.read_members_csv("leden.csv", data=text.encode()) == files.read_members_csv(path)
    rows, _ = files.preview_members("leden.csv", data=(text + "M3;Carla;misschien\n").encode())
    assert [(n, m is not None) for n, m, _ in rows] == [(2, True), (3, True), (4, False)]
    assert rows[2][2] == (
        "leden.csv, row 4, field 'Gastheer': expected yes or no, e.g. ja/nee, oui/non "
        "(got 'misschien')"
    )
    typed = "tafel, plaatsen, gastheer\nT1, 4, M1\nT2, 4\n"
    tables = files.read_tables_csv("tables", text=typed)
    assert [(t.id, t.capacity, t.host) for t in tables] == [("T1", 4, "M1"), ("T2", 4, None)]


def test_a_member_change_in_the_workflow_is_checked_as_an_import(tmp_path):
    with ClubStore(tmp_path / "c.db", create=True) as store:
        store.import_members([ClubMember(id="a", name="An", joined=dt.date(2020, 1, 1))])
        today = dt.date(2026, 1, 1)
        with pytest.raises(FieldError, match=r"^joined: 2026-01-02 is in the future"):
            change_member(store, "a", joined="02/01/2026", today=today)
        changed = change_member(store, "a", joined="", company="", languages="", today=today)
        assert (changed.joined, changed.company, changed.languages) == (None, None, [])
        assert store.last_change().what == "the change of member a (An)"
