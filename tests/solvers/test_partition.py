"""The compiled set-partitioning search (issue 15): its answer is a proof, so check it against
brute force over every subset of the listed tables, whole and run in slices of work."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seating.solvers.colgen.partition import COMPLETE, NODE_LIMIT, PartitionSearch


@st.composite
def listed_tables(draw: st.DrawFn):
    """A few attendees, table types with counts, and tables with values of either sign."""
    n = draw(st.integers(1, 7))
    num_types = draw(st.integers(1, 3))
    counts = np.array([draw(st.integers(1, 3)) for _ in range(num_types)], dtype=np.int64)
    num_tables = draw(st.integers(1, 11))
    cap = draw(st.integers(1, 4))
    members = np.full((num_tables, cap), -1, dtype=np.int64)
    kind = np.zeros(num_tables, dtype=np.int64)
    value = np.zeros(num_tables)
    for t in range(num_tables):
        seated = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=cap, unique=True))
        members[t, : len(seated)] = seated
        kind[t] = draw(st.integers(0, num_types - 1))
        value[t] = draw(st.integers(-6, 6)) / 2
    budget = draw(st.integers(-12, 12)) / 2
    return n, members, kind, value, counts, budget


def _cheapest_by_brute_force(n, members, kind, value, counts, budget):
    best = None
    for size in range(len(value) + 1):
        for subset in itertools.combinations(range(len(value)), size):
            seats = [a for t in subset for a in members[t] if a >= 0]
            if sorted(seats) != list(range(n)):
                continue
            if (np.bincount(kind[list(subset)], minlength=len(counts)) > counts).any():
                continue
            total = float(value[list(subset)].sum())
            if total <= budget + 1e-9 and (best is None or total < best):
                best = total
    return best


def _check(chosen: np.ndarray, n, members, kind, counts) -> None:
    seats = sorted(a for t in np.nonzero(chosen)[0] for a in members[t] if a >= 0)
    assert seats == list(range(n))
    assert (np.bincount(kind[chosen], minlength=len(counts)) <= counts).all()


@settings(max_examples=300, deadline=None)
@given(listed_tables(), st.integers(1, 5))
def test_the_cheapest_partition_is_the_brute_force_one(case, slice_size):
    """Found exactly when brute force finds a partition within the budget, at the same value;
    a search run in slices of a few table checks ends where one run does."""
    n, members, kind, value, counts, budget = case
    expected = _cheapest_by_brute_force(n, members, kind, value, counts, budget)
    whole = PartitionSearch(members, kind, value, counts, n, budget)
    assert whole.run(10**9) == COMPLETE
    assert whole.found == (expected is not None)
    if expected is not None:
        _check(whole.chosen, n, members, kind, counts)
        assert value[whole.chosen].sum() == pytest.approx(expected)
    sliced = PartitionSearch(members, kind, value, counts, n, budget)
    while sliced.run(slice_size) != COMPLETE:
        pass
    assert sliced.found == whole.found
    assert sliced.work == whole.work
    assert (sliced.chosen == whole.chosen).all()


def test_a_search_cut_by_its_work_limit_says_so():
    """Three disjoint pairs, tables of every pair of six attendees: the search needs more than
    one table check, and a limit of one leaves it unfinished (and finished after more)."""
    n = 6
    pairs = list(itertools.combinations(range(n), 2))
    members = np.array(pairs, dtype=np.int64)
    kind = np.zeros(len(pairs), dtype=np.int64)
    value = np.array([float(i + j) for i, j in pairs])
    search = PartitionSearch(members, kind, value, np.array([3]), n, 100.0)
    assert search.run(1) == NODE_LIMIT
    assert not search.found or search.work >= 1
    assert search.run(10**6) == COMPLETE
    assert search.found
    assert value[search.chosen].sum() == pytest.approx(15.0)  # every partition costs 0+..+5
