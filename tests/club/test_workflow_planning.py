"""Planning a dinner through the workflow, without the command line: the draft saved, earlier
drafts counted as history, the checks before the search (one line naming the id or field,
nothing written), and a search that needs no database."""

from __future__ import annotations

import datetime as dt

import pytest

from club_helpers import NINE, SEARCH, assert_seats_everyone, dump, nine_member_store, small_store
from seating.club.records import ClubMember, Draft, DraftTable
from seating.club.store import ClubStore, StoreError
from seating.club.workflow import (
    FieldError,
    TableSizes,
    change_settings,
    evaluate_draft,
    later_draft_notes,
    plan_dinner,
    prepare_plan,
    view_draft,
    with_hosts,
)
from seating.errors import InputError
from seating.models import Table
from seating.result import Status

DAY = dt.date(2026, 3, 5)
LATER = dt.date(2026, 4, 2)


@pytest.fixture
def store(tmp_path):
    with nine_member_store(tmp_path) as store:
        yield store


def test_plan_dinner_saves_a_draft_that_seats_everyone_and_gives_hosts(store):
    planned = plan_dinner(store, DAY, tables=TableSizes((3,)), **SEARCH)
    assert planned.result.status.has_plan and planned.notes == []
    assert planned.draft == store.draft(DAY)
    assert_seats_everyone(planned.draft, NINE)
    assert len(planned.draft.tables) == 3
    assert {t.host for t in planned.draft.tables} == {"p1", "p2", None}
    _, broken = evaluate_draft(planned.problem, planned.draft)
    assert broken == []


def test_attendees_and_tables_as_given(store):
    tables = [Table(id="Rubens", capacity=3, host="p5"), Table(id="Bruegel", capacity=3)]
    chosen = ["p3", "p4", "p5", "p6", "p7"]
    planned = plan_dinner(store, DAY, attendees=chosen, tables=tables, auto_hosts=False, **SEARCH)
    assert_seats_everyone(planned.draft, chosen)
    assert [(t.id, t.host) for t in planned.draft.tables] == [("Rubens", "p5"), ("Bruegel", None)]


def test_an_earlier_draft_counts_as_history_and_is_noted(store):
    change_settings(store, rules={"cooldown": 1})
    first = plan_dinner(store, DAY, tables=TableSizes((3,)), **SEARCH)
    second = plan_dinner(store, LATER, tables=TableSizes((3,)), **SEARCH)
    assert second.notes == [
        "counting the draft of 2026-03-05 as if it took place (not recorded yet)"
    ]
    assert [d.date for d in second.problem.history] == [dt.date(2026, 2, 5), DAY]
    # Cooldown 1: nobody sits again with someone they sat with at the first (drafted) dinner.
    before = first.draft.table_of()
    for table in second.draft.tables:
        assert len({before[m] for m in table.members}) == len(table.members), table


def test_the_search_reads_no_database(tmp_path, store):
    job = prepare_plan(store, DAY, tables=TableSizes((3,)))
    store.close()  # a face may run the search elsewhere, e.g. in a worker thread
    result = job.search(**SEARCH)
    with ClubStore(store.path) as again:
        planned = job.save(again, result)
        assert again.draft(DAY) == planned.draft


@pytest.mark.parametrize(
    ("request_", "error", "message"),
    [
        ({"date": dt.date(2026, 2, 5)}, FieldError,
         "date: the dinner of 2026-02-05 is already recorded"),
        ({"attendees": ["p1", "zz"]}, InputError, "attendees: unknown member id 'zz'"),
        ({"attendees": ["p1", "p9"]}, InputError,
         "attendees: member 'p9' (Person 9) has left the club"),
        ({"tables": [Table(id="T1", capacity=4)]}, InputError,
         "total capacity 4 is below attendance 8"),
        ({"tables": [Table(id="T1", capacity=9, host="zz")]}, InputError, "'zz'"),
        ({"date": DAY, "replace": False}, StoreError,
         "a draft plan for 2026-03-05 exists (use --replace"),
    ],
)  # fmt: skip
def test_a_bad_request_is_one_line_and_writes_nothing(store, request_, error, message):
    store.import_members([ClubMember(id="p9", name="Person 9", active=False)])
    store.save_draft(Draft(date=DAY, tables=[DraftTable(id="T1", capacity=2, members=["p1"])]))
    before = dump(store.path)
    arguments = {"date": LATER, **request_}
    day = arguments.pop("date")
    with pytest.raises(error) as caught:
        plan_dinner(store, day, **arguments, **SEARCH)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert dump(store.path) == before
    if error is FieldError:
        assert caught.value.field == "date"


def test_replace_plans_afresh(store):
    store.save_draft(Draft(date=DAY, tables=[DraftTable(id="T1", capacity=2, members=["p1"])]))
    planned = plan_dinner(store, DAY, replace=True, tables=TableSizes((3,)), **SEARCH)
    assert store.draft(DAY) == planned.draft and len(planned.draft.attendees) == 9


def test_a_plan_the_rules_forbid_saves_nothing(tmp_path):
    # Three of one company, two tables, at most one of a company per table.
    companies = {"p1": "Acme", "p2": "Acme", "p3": "Acme"}
    with small_store(tmp_path, 3, companies=companies) as store:
        change_settings(store, rules={"max_per_company": 1})
        before = dump(store.path)
        planned = plan_dinner(
            store, DAY, tables=TableSizes((2,)), method="cpsat", time_limit=10.0, seed=1
        )
        assert planned.draft is None and planned.result.status is Status.INFEASIBLE
        assert "company" in planned.result.reason
        assert dump(store.path) == before


def test_view_draft_shows_the_rules_a_draft_breaks_since(store):
    planned = plan_dinner(store, DAY, tables=TableSizes((3,)), **SEARCH)
    mates = next(t.members for t in planned.draft.tables)
    change_settings(store, apart=[mates[:2]])
    view = view_draft(store)
    assert view.draft == planned.draft and view.notes == []
    assert len(view.broken) == 1 and all(repr(m) in view.broken[0] for m in mates[:2])
    assert view.result.objective is not None
    with pytest.raises(StoreError, match="no draft plan for 2026-04-02"):
        view_draft(store, LATER)


def test_later_drafts_that_an_earlier_change_breaks_are_noted(store):
    change_settings(store, rules={"cooldown": 1})
    together = Draft(date=LATER, tables=[DraftTable(id="T1", capacity=2, members=["p1", "p4"])])
    store.save_draft(together)
    assert later_draft_notes(store, DAY) == []
    store.save_draft(Draft(date=DAY, tables=[DraftTable(id="A", capacity=2, members=["p1", "p4"])]))
    (note,) = later_draft_notes(store, DAY)
    assert note.startswith("the draft of 2026-04-02 now breaks a rule: 'p1' and 'p4'")
    assert later_draft_notes(store, LATER) == []


def test_table_sizes_cycle_and_refuse_nonsense():
    assert [t.capacity for t in TableSizes((10, 8)).tables(30)] == [10, 8, 10, 8]
    assert [t.id for t in TableSizes((8,)).tables(9)] == ["T1", "T2"]
    assert TableSizes((8,)).tables(0) == []
    for sizes in ((), (0,), (8, 100_000)):
        with pytest.raises(InputError, match="table sizes: expected numbers from 1 to"):
            TableSizes(sizes)


def test_hosts_go_to_tables_without_one_by_name():
    members = {
        "a": ClubMember(id="a", name="Zoe", host=True),
        "b": ClubMember(id="b", name="Anna", host=True),
        "c": ClubMember(id="c", name="Bob"),
        "d": ClubMember(id="d", name="Ann", host=True),
    }
    tables = [Table(id="T1", capacity=4, host="d"), Table(id="T2", capacity=4),
              Table(id="T3", capacity=4)]  # fmt: skip
    hosted = with_hosts(tables, ["a", "b", "c", "d"], members)
    assert [t.host for t in hosted] == ["d", "b", "a"]
    assert [t.host for t in with_hosts(tables, ["c", "d"], members)] == ["d", None, None]
