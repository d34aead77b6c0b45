"""Pair meetings, counted once (seating.compile.meetings), and every place that reads them."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from seating.club.records import ClubMember, RecordedDinner, SeatedTable
from seating.club.report.meetings import meeting_stats
from seating.compile.history import NEVER, MeetingHistory, meeting_history
from seating.compile.meetings import MeetingTally, meeting_counts, schedule_counts, tally
from seating.models import PastDinner
from seating.policies.season_metrics import member_table, pair_matrix


@st.composite
def seasons(draw, max_members: int = 7, max_dinners: int = 6):
    """Members, and dinners (oldest first) seating a random subset of them at 1-3 tables."""
    n = draw(st.integers(1, max_members))
    ids = [f"m{k}" for k in range(n)]
    dinners = []
    for k in range(draw(st.integers(0, max_dinners))):
        labels = draw(st.lists(st.integers(-1, 2), min_size=n, max_size=n))
        tables = [[m for m, lab in zip(ids, labels, strict=True) if lab == t] for t in range(3)]
        dinners.append(PastDinner(date=dt.date(2026, 1, 1 + k), tables=[t for t in tables if t]))
    return ids, dinners


def brute_force(ids, dinners):
    """Counts, position of the last meeting and attendance, one pair and one dinner at a time."""
    n = len(ids)
    counts = np.zeros((n, n), dtype=np.int64)
    last = np.full((n, n), -1, dtype=np.int64)
    attended = np.zeros(n, dtype=np.int64)
    for k, dinner in enumerate(dinners):
        for table in dinner.tables:
            for member in table:
                attended[ids.index(member)] += 1
            for a, b in itertools.combinations(table, 2):
                i, j = ids.index(a), ids.index(b)
                counts[i, j] += 1
                counts[j, i] += 1
                last[i, j] = last[j, i] = k
    return counts, last, attended


@settings(max_examples=150, deadline=None)
@given(seasons())
def test_counts_equal_a_brute_force_count(season):
    ids, dinners = season
    index = {m: i for i, m in enumerate(ids)}
    counts, last, attended = brute_force(ids, dinners)
    met = tally(dinners, index)
    np.testing.assert_array_equal(met.counts, counts)
    np.testing.assert_array_equal(met.last, last)
    np.testing.assert_array_equal(met.attended, attended)
    np.testing.assert_array_equal(met.faded, counts.astype(float))
    assert met.dinners == len(dinners)
    np.testing.assert_array_equal(meeting_counts(dinners, index), counts)


@settings(max_examples=50, deadline=None)
@given(seasons(), st.data())
def test_members_outside_the_index_are_ignored(season, data):
    """Counting a subset of the members gives the block of the full count."""
    ids, dinners = season
    keep = data.draw(st.lists(st.sampled_from(ids), unique=True))
    full = meeting_counts(dinners, {m: i for i, m in enumerate(ids)})
    rows = [ids.index(m) for m in keep]
    part = meeting_counts(dinners, {m: i for i, m in enumerate(keep)})
    np.testing.assert_array_equal(part, full[np.ix_(rows, rows)])


def test_weighted_meetings_fade():
    """faded adds each dinner's weight; fade() scales everything counted before."""
    met = MeetingTally(3)
    met.add([np.array([0, 1]), np.array([2])], weight=0.5)
    met.fade(0.5)
    met.add([np.array([0, 1, 2])])
    assert met.faded[0, 1] == 1.25 and met.faded[0, 2] == 1.0 and met.counts[0, 1] == 2
    assert met.last[0, 1] == 1 and (met.attended == 2).all() and met.dinners == 2


def test_a_schedule_is_counted_as_dinners_of_tables():
    """A (rounds, groups, size) schedule of indices counts as the dinners it describes."""
    schedule = np.array([[[0, 1], [2, 3]], [[0, 2], [1, 3]], [[0, 1], [2, 3]]])
    ids = ["a", "b", "c", "d"]
    dinners = [
        PastDinner(date=dt.date(2026, 1, 1 + r), tables=[[ids[p] for p in g] for g in rnd])
        for r, rnd in enumerate(schedule.tolist())
    ]
    expected = meeting_counts(dinners, {m: i for i, m in enumerate(ids)})
    np.testing.assert_array_equal(schedule_counts(schedule, 4), expected)
    assert schedule_counts(schedule, 4)[0, 1] == 2


@settings(max_examples=60, deadline=None)
@given(seasons())
def test_every_reader_of_pair_meetings_agrees(season):
    """The dinner's history, the season metrics and the club report count the same meetings."""
    ids, dinners = season
    index = {m: i for i, m in enumerate(ids)}
    counts, last, attended = brute_force(ids, dinners)
    # The compiled dinner's history, given the dinners newest first (it sorts by date).
    history = meeting_history(list(reversed(dinners)), index)
    np.testing.assert_array_equal(history.counts, counts)
    ages = np.where(last >= 0, len(dinners) - 1 - last, NEVER)
    np.testing.assert_array_equal(history.last_age, ages)
    # The notebooks' pair matrix and member table.
    np.testing.assert_array_equal(pair_matrix(dinners, ids).to_numpy(), counts)
    table = member_table(dinners, members=ids)
    np.testing.assert_array_equal(table["dinners"].to_numpy(), attended)
    np.testing.assert_array_equal(table["contacts"].to_numpy(), (counts > 0).sum(axis=1))
    # The club's report, on the same dinners as the store records them.
    recorded = [
        RecordedDinner(
            d.date, tuple(SeatedTable(f"T{t}", tuple(m)) for t, m in enumerate(d.tables))
        )
        for d in dinners
    ]
    stats = meeting_stats([ClubMember(id=m) for m in ids], list(reversed(recorded)))
    np.testing.assert_array_equal(stats.counts, counts)
    np.testing.assert_array_equal(stats.last, last)
    np.testing.assert_array_equal(stats.attended, attended)


def test_no_history_is_the_history_of_an_empty_tally():
    """meeting_history skips the tally when there is nothing to count: same arrays, same types."""
    index = {f"m{k}": k for k in range(4)}
    quick = meeting_history([], index)
    counted = MeetingHistory.of(MeetingTally(4))
    for field in ("counts", "faded", "last_age"):
        np.testing.assert_array_equal(getattr(quick, field), getattr(counted, field))
        assert getattr(quick, field).dtype == getattr(counted, field).dtype
    assert quick.num_dinners == counted.num_dinners == 0
