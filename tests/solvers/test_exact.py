"""The proof of ``method="exact"`` cut short (issue 15): it reports the bound its finished steps
proved and never an unproven number."""

from __future__ import annotations

import itertools

import pytest

from helpers import checked
from seating.compile.objective import objective
from seating.compile.problem import compile_dinner
from seating.policies.synthetic import synthetic_club
from seating.solvers.colgen.bound import column_generation
from seating.solvers.colgen.exact import prove
from seating.solvers.local.search import LocalSearchSettings, solve_local
from seating.stop import Stop, TimeBudget


def _ticks(step: float = 1.0):
    """A clock that moves ``step`` seconds each time it is read: a budget of ``k`` seconds
    runs out after a fixed number of looks, whatever the machine's speed."""
    counter = itertools.count()
    return lambda: step * next(counter)


@pytest.fixture(scope="module")
def dinner_and_proof():
    problem = synthetic_club(
        num_members=80, num_history=16, next_attendees=40, table_sizes=(8,), num_hosts=2, seed=0
    )
    p = compile_dinner(checked(problem), 0)
    local = solve_local(p, seed=0, settings=LocalSearchSettings(max_cycles=1, patience=1))
    found = column_generation(p, local.table_of, Stop())
    full = prove(p, local.objective, found, Stop())
    assert full.optimal, full.stats
    best = local.objective if full.objective is None else full.objective
    return p, local, found, best, full


@pytest.mark.parametrize("looks", [1, 2, 3, 4, 6, 10, 20, 40, 80])
def test_a_proof_cut_short_reports_only_what_it_proved(dinner_and_proof, looks):
    """Stopped before, during and after the listing and the partition search (run in slices
    of 500 table checks, a look at the clock after each)."""
    p, local, found, best, full = dinner_and_proof
    cut = prove(p, local.objective, found, TimeBudget(looks, clock=_ticks()), slice_checks=500)
    assert cut.bound <= best + 1e-9
    if cut.table_of is not None:
        assert cut.optimal
        assert objective(p, cut.table_of) == pytest.approx(best)
    if looks >= 80:  # enough looks for the whole proof (it needs about 60)
        assert cut.optimal and cut.bound == pytest.approx(full.bound)
    if not cut.optimal:
        assert cut.stats["stopped"] == "time limit", cut.stats
        assert cut.bound <= full.bound + 1e-9
