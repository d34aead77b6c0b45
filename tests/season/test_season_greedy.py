"""The freedom greedy (Triska & Musliu): valid rounds, the repeats it reports, the rounds it
is given kept, and the deadline on its runs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from seating.season._greedy import freedom_greedy
from seating.season.golf import golf_problem
from seating.season.model import build_model
from seating.stop import CancelFlag, Stop, TimeBudget


def _empty(model):
    return np.full((model.num_dinners, model.max_tables, model.max_capacity), -1, dtype=np.int64)


def _repeats(out, cap):
    met = {}
    for r, t in itertools.product(range(out.shape[0]), range(out.shape[1])):
        seated = out[r, t, : cap[r, t]].tolist()
        for pair in itertools.combinations(sorted(seated), 2):
            met[pair] = met.get(pair, 0) + 1
    return sum(m - 1 for m in met.values() if m > 1)


@pytest.mark.parametrize(("g", "s", "w", "players"), [(3, 3, 5, None), (4, 4, 6, None),
                                                      (5, 3, 8, 17), (3, 2, 7, 7)])  # fmt: skip
def test_every_round_seats_everybody_once_and_repeats_are_recounted(g, s, w, players):
    model = build_model(golf_problem(g, s, w, players=players))
    cap = model.data[0]
    out = _empty(model)
    reported = freedom_greedy(cap, model.num_players, 3, 2, out, 0)
    for r in range(w):
        seated = [p for t in range(cap.shape[1]) for p in out[r, t, : cap[r, t]].tolist()]
        assert sorted(seated) == list(range(model.num_players))
    assert reported == _repeats(out, cap)


def test_given_rounds_are_kept_and_counted():
    model = build_model(golf_problem(3, 3, 4))
    cap = model.data[0]
    out = _empty(model)
    freedom_greedy(cap, 9, 0, 1, out, 0)
    first_two = out[:2].copy()
    again = _empty(model)
    again[:2] = first_two
    reported = freedom_greedy(cap, 9, 5, 3, again, 2)
    np.testing.assert_array_equal(again[:2], first_two)
    assert reported == _repeats(again, cap)


def test_runs_after_the_first_stop_at_the_deadline():
    model = build_model(golf_problem(5, 4, 8))
    cap = model.data[0]
    one, cut, many = _empty(model), _empty(model), _empty(model)
    freedom_greedy(cap, 20, 7, 1, one, 0)
    # Stopped from the start (cancelled): only the first run happens, and it seats every
    # player once per round at random, unscored (the deadline inside the run).
    cancelled = CancelFlag()
    cancelled.cancel()
    repeats = freedom_greedy(cap, 20, 7, 8, cut, 0, stop=cancelled)
    for r in range(cut.shape[0]):
        seated = cut[r][cut[r] >= 0]
        np.testing.assert_array_equal(np.sort(seated), np.arange(20))
        np.testing.assert_array_equal((cut[r] >= 0).sum(axis=1), cap[r])
    assert repeats == _repeats(cut, cap)
    # The same run, not stopped, is the scored one.
    uncut = _empty(model)
    freedom_greedy(cap, 20, 7, 1, uncut, 0, stop=_Counting())
    np.testing.assert_array_equal(uncut, one)
    # Time left: every run happens (the criterion is checked before each run after the first,
    # and by the watcher during each run): the schedule of eight runs without a criterion.
    checks = _Counting()
    freedom_greedy(cap, 20, 7, 8, many, 0, stop=checks)
    assert checks.count >= 7
    eight = _empty(model)
    freedom_greedy(cap, 20, 7, 8, eight, 0)
    np.testing.assert_array_equal(many, eight)


class _Counting(Stop):
    """Never stops; counts the checks."""

    count = 0

    def stopped(self, best: float | None = None) -> bool:
        self.count += 1
        return False


def test_the_first_run_finishes_in_the_grace_and_later_runs_get_none():
    """Past the deadline but within the grace of a first plan (a clock that never moves), the
    first run is the scored run, not the random fill; no run follows it."""
    model = build_model(golf_problem(5, 4, 8))
    cap = model.data[0]
    one, graced, cut = _empty(model), _empty(model), _empty(model)
    freedom_greedy(cap, 20, 7, 1, one, 0)
    late = TimeBudget(0.0, clock=lambda: 100.0, grace=1.0)
    assert freedom_greedy(cap, 20, 7, 8, graced, 0, stop=late) == _repeats(one, cap)
    np.testing.assert_array_equal(graced, one)
    # Without a grace the first run is cut at once: players seated at random, more repeats.
    repeats = freedom_greedy(cap, 20, 7, 8, cut, 0, stop=TimeBudget(0.0, clock=lambda: 100.0))
    assert repeats > _repeats(one, cap)
