"""The deadline inside the compiled loops (issue 11): once ``halt`` is set, annealing and tabu
end at their next check with a plan, however many steps they were given, and so does a
descent; the driver repairs a cut plan that breaks a rule by an uncut descent; and a search
that is not halted runs exactly as before (same seed, same plan)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from helpers import compiled
from seating.compile.objective import violations
from seating.policies.synthetic import synthetic_club
from seating.solvers.local import search as local
from seating.solvers.local.search import build_units, solve_local
from seating.stop import Stop

ENDLESS = 10**15  # steps no kernel could finish: the test ends only if the halt works


@pytest.fixture(scope="module", params=[False, True], ids=["singles", "groups"])
def dinner(request):
    problem = synthetic_club(num_members=60, num_history=6, next_attendees=30, seed=2)
    data = problem.model_dump(mode="json")
    if request.param:  # keep-together groups: the general paths of the kernels
        ids = data["dinners"][0]["attendees"]
        data["rules"]["together"] = [ids[-2:]]
    return compiled(data)


def _halted_data(dinner):
    units = build_units(dinner)
    data = local._kernel_data(dinner, units, local._penalty(dinner))
    data[-1][0] = 1
    return units, data


def test_a_halted_search_is_repaired_into_a_plan_that_holds_the_rules(dinner):
    units, data = _halted_data(dinner)
    start = np.full(units.count, -1, dtype=np.int64)
    out = np.empty(units.count, dtype=np.int64)
    cost = local._kernel.search(data, start, 0, ENDLESS, 1.0, 0.1, out)
    assert np.isfinite(cost)
    # The driver's repair: an uncut descent from the cut plan.
    repaired = out.copy()
    repaired_cost = local._repair(data, repaired)
    assert violations(dinner, repaired[units.of_member]) == []
    assert repaired_cost <= cost + 1e-9
    assert data[-1][0] == 1  # still halted for the phases after it


def test_a_halted_descent_stops_at_its_first_check(dinner):
    """Halted before it starts, the descent leaves the greedy start as it is; not halted, it
    improves it (a descent at 1,000 attendees ran for seconds past the deadline)."""
    units, data = _halted_data(dinner)
    start = np.full(units.count, -1, dtype=np.int64)
    halted, free = np.empty_like(start), np.empty_like(start)
    halted_cost = local._kernel.search(data, start, 0, 0, 1.0, 0.1, halted)
    data[-1][0] = 0
    free_cost = local._kernel.search(data, start, 0, 0, 1.0, 0.1, free)
    assert free_cost < halted_cost - 1e-9


def test_solve_local_cut_from_the_start_gives_a_plan_that_holds_the_rules(dinner):
    cancelled = CancelWhileCompiledCodeRuns()
    cancelled.said = True
    outcome = solve_local(dinner, seed=0, stop=cancelled)
    assert outcome.status.has_plan
    assert violations(dinner, outcome.table_of) == []


def test_a_halted_tabu_search_ends_with_its_start_or_better(dinner):
    units, data = _halted_data(dinner)
    start = np.full(units.count, -1, dtype=np.int64)
    seated = np.empty(units.count, dtype=np.int64)
    start_cost = local._kernel.search(data, start, 0, 0, 1.0, 0.1, seated)
    out = np.empty(units.count, dtype=np.int64)
    cost = local._kernel.tabu(data, seated, 1, ENDLESS, 4, 8000, 10, out)
    assert cost <= start_cost + 1e-9


class CancelWhileCompiledCodeRuns(Stop):
    """A cancel that arrives while a kernel runs: the first look from another thread (the
    deadline watcher) finds it, and it stays cancelled."""

    def __init__(self) -> None:
        self.said = False

    def stopped(self, best: float | None = None) -> bool:
        if threading.current_thread() is not threading.main_thread():
            self.said = True
        if self.said:
            self.reason = "cancelled"
        return self.said


def test_a_cancel_during_an_endless_first_cycle_returns_a_plan(dinner):
    endless = local.LocalSearchSettings(iterations_per_unit=ENDLESS // 100, tabu_steps=ENDLESS)
    outcome = solve_local(dinner, seed=0, settings=endless, stop=CancelWhileCompiledCodeRuns())
    assert outcome.status.has_plan
    assert outcome.stats["stopped"] == "cancelled"
    assert outcome.stats["cycles"] == 1


def test_without_a_halt_the_same_seed_gives_the_same_plan(dinner):
    quick = local.LocalSearchSettings(max_cycles=2, time_limit=1e6)
    a = solve_local(dinner, seed=5, settings=quick)
    b = solve_local(dinner, seed=5, settings=quick)
    assert a.objective == b.objective
    assert np.array_equal(a.table_of, b.table_of)
