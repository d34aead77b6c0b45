"""Planning a season through the workflow: a draft per dinner saved in one go, each dinner
counting the earlier ones, hosts who do not come, and requests refused before the search with
nothing written."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest

from club_helpers import assert_seats_everyone, dump, small_store
from seating.club.records import Draft, DraftTable
from seating.club.store import ClubStore, StoreError
from seating.club.workflow import (
    TableSizes,
    change_settings,
    plan_club_season,
    prepare_season,
    season_tables,
)
from seating.errors import InputError
from seating.models import Table

DATES = [dt.date(2026, 1, 8), dt.date(2026, 2, 5), dt.date(2026, 3, 5), dt.date(2026, 4, 2)]
SEARCH = {"method": "auto", "time_limit": 5.0, "seed": 1}
NINE = [f"p{k}" for k in range(1, 10)]


def pairs(tables: list[list[str]]) -> Counter:
    return Counter(frozenset(p) for t in tables for p in itertools.combinations(t, 2))


def met_before(history: list[list[list[str]]], drafts: list[Draft]) -> list[int]:
    """Pairs seated at each draft who sat together before, counted by hand."""
    seen = sum((pairs(tables) for tables in history), Counter())
    counts = []
    for draft in drafts:
        now = pairs([t.members for t in draft.tables])
        counts.append(sum(1 for pair in now if seen[pair]))
        seen += now
    return counts


@pytest.fixture
def store(tmp_path):
    """Nine members, p1 a host, one recorded dinner (2025-12-04) at three tables."""
    history = {"2025-12-04": [NINE[:3], NINE[3:6], NINE[6:]]}
    with small_store(tmp_path, 9, hosts=("p1",), history=history) as store:
        yield store


def test_a_season_saves_a_draft_per_dinner_each_counting_the_earlier_ones(store):
    dinners = {day: None for day in DATES} | {DATES[1]: NINE[:6]}
    season = plan_club_season(store, dinners, tables=TableSizes((3,)), **SEARCH)
    assert [d.date for d in season.drafts] == DATES == [d.date for d in store.drafts()]
    assert season.drafts == store.drafts() and season.notes == []
    for draft, (_, people, _) in zip(season.drafts, season.dinners, strict=True):
        assert_seats_everyone(draft, list(people))
    assert len(season.drafts[1].attendees) == 6
    recorded = [list(map(list, (t.members for t in d.tables))) for d in store.dinners()]
    expected = met_before(recorded, season.drafts)
    assert [m.repeat_pairs for m in season.per_dinner] == expected
    assert season.result.metrics.repeat_pairs == sum(expected)


def test_an_earlier_draft_counts_and_is_noted(store):
    store.save_draft(Draft(date=dt.date(2025, 12, 30), tables=[
        DraftTable(id="T1", capacity=3, members=["p1", "p5", "p9"])]))  # fmt: skip
    change_settings(store, rules={"cooldown": 1})
    season = plan_club_season(store, {DATES[0]: None}, tables=TableSizes((3,)), **SEARCH)
    assert season.notes == [
        "counting the draft of 2025-12-30 as if it took place (not recorded yet)"
    ]
    (table_of_p1,) = [t.members for t in season.drafts[0].tables if "p1" in t.members]
    assert not {"p5", "p9"} & set(table_of_p1)


def test_a_host_who_does_not_come_leaves_the_table_without_a_fixed_host():
    tables = [Table(id="A", capacity=3, host="p2"), Table(id="B", capacity=3)]
    dinners = {DATES[0]: ["p1", "p2", "p3"], DATES[1]: ["p1", "p3", "p4"]}
    specs, notes = season_tables(dinners, tables, source="the tables of t.csv")
    assert [t.host for t in specs[0].tables] == ["p2", None]
    assert [t.host for t in specs[1].tables] == [None, None]
    assert notes == [
        "2026-02-05: 'p2', host of table A, is not coming; the table has no fixed host that night"
    ]
    with pytest.raises(InputError, match="dinner 2026-01-08: 7 attendees but the tables of "):
        season_tables({DATES[0]: NINE[:7]}, tables, source="the tables of t.csv")
    sized, notes = season_tables({DATES[0]: NINE}, TableSizes((4,)))
    assert [t.capacity for t in sized[0].tables] == [4, 4, 4] and notes == []


def test_the_search_reads_no_database(store):
    job = prepare_season(store, {DATES[0]: None, DATES[1]: None}, tables=TableSizes((3,)))
    store.close()
    result = job.search(**SEARCH)
    with ClubStore(store.path) as again:
        season = job.save(again, result)
        assert again.drafts() == season.drafts and len(season.drafts) == 2


@pytest.mark.parametrize(
    ("dinners", "error", "message"),
    [
        ({}, InputError, "no dinners to plan"),
        ({dt.date(2025, 12, 4): None}, StoreError, "the dinner of 2025-12-04 is already recorded"),
        ({dt.date(2025, 11, 6): None, DATES[0]: None}, InputError,
         "the dinner of 2025-12-04 is recorded but comes after 2025-11-06"),
        ({DATES[0]: None, DATES[3]: None}, InputError,
         "a draft plan for 2026-02-05 lies between the dinners to plan"),
        ({DATES[1]: None}, StoreError, "a draft plan for 2026-02-05 exists (use --replace"),
        ({DATES[0]: ["p1", "zz"]}, InputError, "dinner 2026-01-08: unknown member id 'zz'"),
        ({DATES[2]: NINE, DATES[3]: ["p1"]}, InputError, "dinner 2026-03-05: 9 attendees but "
         "the tables seat 4"),
    ],
)  # fmt: skip
def test_a_bad_season_is_one_line_and_writes_nothing(store, dinners, error, message):
    store.save_draft(Draft(date=DATES[1], tables=[DraftTable(id="T1", capacity=2, members=["p1"])]))
    before = dump(store.path)
    tables = [Table(id="T1", capacity=4)] if "seat 4" in message else TableSizes((3,))
    with pytest.raises(error) as caught:
        plan_club_season(store, dinners, tables=tables, **SEARCH)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert dump(store.path) == before


def test_replace_plans_existing_drafts_afresh(store):
    store.save_draft(Draft(date=DATES[1], tables=[DraftTable(id="T1", capacity=2, members=["p1"])]))
    season = plan_club_season(
        store, {DATES[0]: None, DATES[1]: None}, tables=TableSizes((3,)), replace=True, **SEARCH
    )
    assert store.drafts() == season.drafts and len(store.draft(DATES[1]).attendees) == 9


def test_a_season_the_rules_forbid_saves_nothing(tmp_path):
    # Four of one company at three tables, at most one of a company per table.
    companies = {f"p{k}": "Acme" for k in range(1, 5)}
    with small_store(tmp_path, 9, companies=companies) as store:
        change_settings(store, rules={"max_per_company": 1})
        before = dump(store.path)
        season = plan_club_season(store, dict.fromkeys(DATES[:2]), tables=TableSizes((3,)),
                                  **SEARCH)  # fmt: skip
        assert not season.result.status.has_plan and "company" in season.result.reason
        assert season.drafts == [] and season.per_dinner == []
        assert dump(store.path) == before
