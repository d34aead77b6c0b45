"""Changing a draft through the workflow: pins and swaps, re-planning around them, re-seating
after late changes, a draft changed meanwhile, and bad requests (one line naming the id or
field, the draft as it was)."""

from __future__ import annotations

import datetime as dt

import pytest

from club_helpers import assert_seats_everyone, dump, small_store
from seating.club.records import ClubMember, Draft, DraftTable
from seating.club.store import StoreError
from seating.club.workflow import (
    FieldError,
    LateChanges,
    change_settings,
    pinned,
    prepare_repin,
    prepare_reseat,
    repin_draft,
    reseat_draft,
    swapped,
    unpin,
)
from seating.errors import InputError
from seating.models import Table

DAY = dt.date(2026, 3, 5)
SEARCH = {"time_limit": 5.0, "seed": 1}


@pytest.fixture
def store(tmp_path):
    """Ten members (p10 not seated) and the draft of 2026-03-05: A (host p1) p1-p3, B p4-p6,
    C p7-p9, four seats each."""
    with small_store(tmp_path, 10, hosts=("p1",)) as store:
        store.save_draft(
            Draft(
                date=DAY,
                tables=[
                    DraftTable(id="A", capacity=4, host="p1", members=["p1", "p2", "p3"]),
                    DraftTable(id="B", capacity=4, members=["p4", "p5", "p6"]),
                    DraftTable(id="C", capacity=4, members=["p7", "p8", "p9"]),
                ],
            )
        )
        yield store


def test_pins_and_swaps_name_who_cannot_move(store):
    draft = store.draft()
    assert pinned(draft, "p4", "A") == {"p4": "A"}
    assert swapped(draft, "p2", "p5") == {"p2": "B", "p5": "A"}
    with pytest.raises(InputError, match=r"^pin: member 'p10' is not seated in the draft of 2026"):
        pinned(draft, "p10", "A")
    with pytest.raises(InputError, match=r"^swap: member 'zz' is not seated in the draft$"):
        swapped(draft, "p2", "zz")
    with pytest.raises(InputError, match=r"^swap: 'p2' and 'p3' already sit at A$"):
        swapped(draft, "p2", "p3")


def test_fewest_moves_pins_and_says_who_moved(store):
    draft = store.draft()
    adjusted = repin_draft(store, draft, pinned(draft, "p4", "A"), fewest_moves=True, **SEARCH)
    new = store.draft()
    assert adjusted.draft == new and new.pins == {"p4": "A"} == adjusted.pins
    assert new.table_of()["p4"] == "A"
    assert_seats_everyone(new, draft.attendees)
    assert adjusted.adjustment is not None and adjusted.adjustment.minimal
    assert [m.member for m in adjusted.adjustment.moves] == adjusted.moved == ["p4"]


def test_reoptimising_keeps_the_pins(store):
    draft = store.draft()
    adjusted = repin_draft(
        store, draft, swapped(draft, "p2", "p5"), fewest_moves=False, method="local", **SEARCH
    )
    new = store.draft()
    assert adjusted.adjustment is None and adjusted.draft == new
    assert (new.table_of()["p2"], new.table_of()["p5"]) == ("B", "A")
    assert_seats_everyone(new, draft.attendees)
    before, after = draft.table_of(), new.table_of()
    assert adjusted.moved == sorted(m for m in after if before[m] != after[m])


def test_unpin_releases_a_pin_and_leaves_the_plan(store):
    draft = store.draft()
    repin_draft(store, draft, pinned(draft, "p4", "A"), fewest_moves=True, **SEARCH)
    planned = store.draft()
    with pytest.raises(InputError, match=r"^unpin: member 'p5' is not pinned in the draft$"):
        unpin(store, planned, "p5")
    released = unpin(store, planned, "p4")
    assert store.draft() == released == planned.model_copy(update={"pins": {}})


def test_reseat_after_late_changes(store):
    draft = store.draft()
    repin_draft(store, draft, pinned(draft, "p8", "C"), fewest_moves=True, **SEARCH)
    changes = LateChanges(
        cancel=["p2"], walk_in=["p10"], remove_tables=["C"],
        add_tables=[Table(id="D", capacity=4)],
    )  # fmt: skip
    adjusted = reseat_draft(store, store.draft(), changes, **SEARCH)
    new = store.draft()
    assert adjusted.draft == new
    assert_seats_everyone(new, [*(f"p{k}" for k in range(3, 11)), "p1"])
    assert [t.id for t in new.tables] == ["A", "B", "D"]
    assert adjusted.cancelled == ["p2"] and adjusted.released == ["p8"] and new.pins == {}
    assert [m.member for m in adjusted.adjustment.seated] == ["p10"]
    assert {m.member for m in adjusted.adjustment.moves} >= {"p7", "p8", "p9"}
    assert all("table C was removed" in m.why for m in adjusted.adjustment.moves
               if m.member in ("p7", "p8", "p9"))  # fmt: skip


def test_a_cancelled_host_leaves_the_table_without_a_host(store):
    adjusted = reseat_draft(store, store.draft(), LateChanges(cancel=["p1"]), **SEARCH)
    assert [t.host for t in adjusted.draft.tables] == [None, None, None]
    assert adjusted.moved == [] and adjusted.adjustment.moves == []


@pytest.mark.parametrize(
    ("changes", "error", "field", "message"),
    [
        ({"cancel": ["p99"]}, FieldError, "cancel", "member 'p99' is not seated in the draft"),
        ({"walk_in": ["p5"]}, FieldError, "walk_in", "member 'p5' already has a seat"),
        ({"remove_tables": ["Z"]}, FieldError, "remove_tables", "the draft has no table 'Z'"),
        ({"remove_tables": ["A", "B", "C"]}, FieldError, "remove_tables",
         "no table would be left (add one with --add-table)"),
        ({"walk_in": ["zz"]}, InputError, None, "attendees: unknown member id 'zz'"),
        ({"walk_in": ["p10"], "remove_tables": ["A", "B"]}, InputError, None,
         "total capacity 4 is below attendance 10"),
    ],
)  # fmt: skip
def test_bad_late_changes_are_one_line_and_keep_the_draft(store, changes, error, field, message):
    before = dump(store.path)
    with pytest.raises(error) as caught:
        reseat_draft(store, store.draft(), LateChanges(**changes), **SEARCH)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    if field is not None:
        assert (caught.value.field, caught.value.problem) == (field, message)
    assert dump(store.path) == before


def test_a_draft_changed_meanwhile_is_not_overwritten(store):
    draft = store.draft()
    job = prepare_reseat(store, draft, LateChanges(cancel=["p3"]))
    found = job.search(**SEARCH)
    theirs = draft.model_copy(update={"method": "by hand"})
    store.save_draft(theirs, expected=draft)  # another command, between search and save
    before = dump(store.path)
    with pytest.raises(StoreError, match="was changed by another command meanwhile"):
        job.save(store, found)
    assert dump(store.path) == before and store.draft() == theirs


def test_a_change_the_rules_forbid_saves_nothing(store):
    change_settings(store, apart=[["p2", "p4"]])
    draft = store.draft()
    before = dump(store.path)
    job = prepare_repin(store, draft, {"p2": "B", "p4": "B"}, fewest_moves=True)
    adjusted = job.save(store, job.search(**SEARCH))
    assert adjusted.draft is None and not adjusted.result.status.has_plan
    assert dump(store.path) == before


def test_a_member_who_left_since_is_named(store):
    store.import_members([ClubMember(id="p5", name="Person 5", active=False)])
    draft = store.draft()
    with pytest.raises(InputError, match="attendees: member 'p5' \\(Person 5\\) has left"):
        prepare_repin(store, draft, pinned(draft, "p4", "A"))


def test_pin_and_swap_move_only_the_people_named_by_default(store):
    draft = store.draft()
    adjusted = repin_draft(store, draft, swapped(draft, "p2", "p5"), **SEARCH)
    assert adjusted.adjustment is not None  # fewest moves, with the moves to show
    assert sorted(m.member for m in adjusted.adjustment.moves) == adjusted.moved == ["p2", "p5"]


def test_a_walk_in_host_takes_over_the_table_of_a_cancelled_host(store):
    store.import_members([ClubMember(id="p10", name="Person 10", host=True)])
    draft = store.draft()
    adjusted = reseat_draft(store, draft, LateChanges(cancel=["p1"], walk_in=["p10"]), **SEARCH)
    new = store.draft()
    table_a = next(t for t in new.tables if t.id == "A")
    assert table_a.host == "p10" and "p10" in table_a.members
    assert adjusted.moved == []  # p10 takes p1's seat: nobody else moves
    assert any("Person 10 (p10) hosts table A instead of Person 1" in n for n in adjusted.notes)


def test_a_walk_in_who_is_no_host_leaves_the_table_without_a_fixed_host(store):
    draft = store.draft()
    reseat_draft(store, draft, LateChanges(cancel=["p1"], walk_in=["p10"]), **SEARCH)
    assert next(t for t in store.draft().tables if t.id == "A").host is None
