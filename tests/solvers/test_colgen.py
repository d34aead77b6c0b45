"""Column generation (issue 15): the bound is a claim, so check it against brute force.

The bound must never exceed the optimum (brute force, tiny dinners with every rule type), nor
the objective of any plan; ``method="exact"`` must find the brute-force optimum; a search cut
short must report no unproven number. Every run here stops on rounds or converges, never on
the clock.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from helpers import CPSAT_TIME, brute_force, checked, first_dinner, problems, tolerance
from seating import Status, solve
from seating.compile.bounds import degree_bound
from seating.compile.objective import objective, violations
from seating.compile.problem import compile_dinner
from seating.policies.synthetic import synthetic_club
from seating.result import Result
from seating.solvers.colgen.bound import Settle, column_generation
from seating.solvers.colgen.exact import prove
from seating.solvers.colgen.run import skip_reason
from seating.solvers.colgen.tables import Pricing, table_cost, table_holds_rules, table_types
from seating.solvers.local.search import LocalSearchSettings, solve_local
from seating.solvers.outcome import DinnerOutcome
from seating.stop import CancelFlag, Stop

every_rule = problems(club_rules=True)
weights_and_fairness = problems(exact_weights=False)


def _compile(data: dict[str, Any]):
    return first_dinner(data)[1]


def _worst_plan(exact) -> np.ndarray:
    """The feasible plan of highest cost: the hardest start for the proof."""
    return exact.plans[exact.feasible][int(np.argmax(exact.values))]


def _check_bound(data: dict[str, Any]) -> None:
    p = _compile(data)
    exact = brute_force(p)
    if not exact.is_feasible:
        reject()
    start = _worst_plan(exact)
    found = column_generation(p, start, Stop(), max_rounds=200)
    assert found.bound is not None, found.reason
    assert found.bound <= exact.best + tolerance(p) + 1e-6
    if found.converged:
        assert found.lagrangian <= exact.best + 1e-6
    # Every table the master knows holds every rule of its type and costs what it says.
    types = table_types(p)
    for kind, members, cost in found.master.columns:
        assert table_holds_rules(p, types[kind], np.array(members)), (types[kind], members)
        assert cost == pytest.approx(table_cost(p, np.array(members)), abs=1e-9)
    # The proof from the worst plan ends at the brute-force optimum.
    worst = objective(p, start)
    proof = prove(p, worst, found, Stop())
    assert proof.optimal, proof.stats
    best = worst if proof.objective is None else proof.objective
    assert best == pytest.approx(exact.best, abs=tolerance(p) + 1e-6)
    if proof.table_of is not None:
        assert violations(p, proof.table_of) == []
        assert objective(p, proof.table_of) == pytest.approx(proof.objective)


@settings(max_examples=80, deadline=None)
@given(every_rule)
def test_bound_and_proof_agree_with_brute_force_with_every_rule(data):
    """Hosts, company and industry caps, apart, together, cooldown, guests, languages,
    newcomers: the bound is at most the optimum, and the proof finds the optimum."""
    _check_bound(data)


@settings(max_examples=60, deadline=None)
@given(weights_and_fairness)
def test_bound_and_proof_agree_with_brute_force_with_fractional_weights_and_fairness(data):
    """Faded and favoured repeats (negative weights), targets and the fairness term."""
    _check_bound(data)


def _club_dinner(seed: int, attendees: int = 44):
    problem = synthetic_club(
        num_members=2 * attendees,
        num_history=16,
        next_attendees=attendees,
        table_sizes=(8, 6),
        num_hosts=3,
        seed=seed,
    )
    return compile_dinner(checked(problem), 0)


@pytest.mark.parametrize("seed", [0, 1])
def test_bound_never_exceeds_any_plan_found(seed):
    """On a 44-attendee club dinner: every round's bound is at most every plan's objective,
    and at convergence the bound is at least the cheap degree bound."""
    p = _club_dinner(seed)
    local = solve_local(p, seed=seed, settings=LocalSearchSettings(max_cycles=3, patience=2))
    assert local.status.has_plan
    trace: list[tuple[int, float, float, float]] = []
    found = column_generation(p, local.table_of, Stop(), trace=trace, max_rounds=400)
    assert found.converged, found.reason
    assert found.bound is not None
    plans = [local.table_of]
    plans += [
        solve_local(p, seed=s, settings=LocalSearchSettings(max_cycles=1, patience=1)).table_of
        for s in range(3)
    ]
    for plan in plans:
        assert violations(p, plan) == []
        assert found.bound <= objective(p, plan) + 1e-9
        assert all(bound <= objective(p, plan) + 1e-6 for *_, bound in trace)
    assert found.bound >= degree_bound(p) - 1e-9
    assert found.lagrangian <= found.lp_value + 1e-6


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_settling_early_keeps_the_bound_convergence_gives(seed):
    """``auto``'s early stops: when the master LP leaves no room the bound reported is the
    one full convergence reaches, in fewer rounds; when the bound stopped rising it is at
    most that one and within the spread allowed of the last bounds."""
    p = _club_dinner(seed)
    local = solve_local(p, seed=seed, settings=LocalSearchSettings(max_cycles=3, patience=2))
    full = column_generation(p, local.table_of, Stop(), max_rounds=400)
    assert full.converged, full.reason
    early = column_generation(p, local.table_of, Stop(), max_rounds=400, settle=Settle())
    assert early.bound is not None and early.bound <= full.bound
    assert early.rounds <= full.rounds
    if early.reason == "the bound cannot rise further":
        assert early.bound == full.bound
        assert early.lp_value is not None and np.ceil(early.lp_value - 1e-6) <= early.bound
    else:
        assert early.reason in ("the bound stopped rising", "converged"), early.reason
    # Without room for the bound to rise, the early stop must hold back until convergence.
    creep = column_generation(
        p, local.table_of, Stop(), max_rounds=400, settle=Settle(room=False, spread=0.0)
    )
    assert creep.converged and creep.bound == full.bound


@settings(max_examples=40, deadline=None)
@given(every_rule)
def test_an_early_stop_never_reports_more_than_the_optimum(data):
    """The settled bound is a bound too: at most the brute-force optimum, with every rule."""
    p = _compile(data)
    exact = brute_force(p)
    if not exact.is_feasible:
        reject()
    found = column_generation(
        p, _worst_plan(exact), Stop(), max_rounds=200, settle=Settle(patience=1, spread=0.5)
    )
    assert found.bound is not None, found.reason
    assert found.bound <= exact.best + tolerance(p) + 1e-6


def test_a_cancelled_search_reports_no_unproven_bound():
    """A stop before the first round gives no bound at all, and says why."""
    p = _club_dinner(0)
    local = solve_local(p, seed=0, settings=LocalSearchSettings(max_cycles=1, patience=1))
    cancel = CancelFlag()
    cancel.cancel()
    found = column_generation(p, local.table_of, cancel)
    assert found.bound is None and found.reason == "cancelled"
    proof = prove(p, local.objective, found, cancel)
    assert not proof.optimal and proof.table_of is None


def test_the_node_limit_leaves_the_last_proven_bound():
    """Searches cut by their node limit give no bound for their round: the bound reported
    is from a round whose searches all finished (here: none finished, so none)."""
    p = _club_dinner(1)
    local = solve_local(p, seed=0, settings=LocalSearchSettings(max_cycles=1, patience=1))
    found = column_generation(p, local.table_of, Stop(), node_limit=1)
    assert found.bound is None
    assert found.reason == "a pricing search reached its node limit"


def test_pricing_finds_the_cheapest_table_of_each_type():
    """The compiled search's minimum equals the minimum over every table listed by
    enumeration with a generous threshold."""
    p = _club_dinner(2, attendees=20)
    pricing = Pricing(p)
    rng = np.random.default_rng(0)
    pi = rng.uniform(0.0, 3.0, p.num_attendees)
    for kind in pricing.types:
        _, status, best, _ = pricing.search(kind, pi, 0.0)
        assert status == 0
        listed, status, _, _ = pricing.search(
            kind, pi, best + 2.0, enumerate_all=True, max_out=200_000
        )
        assert status == 0
        values = [cost - pi[list(m)].sum() for m, cost in listed]
        assert min(values) == pytest.approx(best)
        for members, cost in listed:
            assert table_holds_rules(p, kind, np.array(members))
            assert cost == pytest.approx(table_cost(p, np.array(members)))


@settings(max_examples=25, deadline=None)
@given(problems(max_attendees=6))
def test_solve_exact_gives_the_brute_force_optimum(data):
    """``solve(method="exact")``: status optimal at the brute-force optimum."""
    p = _compile(data)
    exact = brute_force(p)
    if not exact.is_feasible:
        reject()
    # A generous limit, not a timing: the proof of a dinner this small ends on its own in
    # milliseconds, but the first call compiles the partition search (seconds under load).
    result = solve(data, method="exact", seed=0, time_limit=CPSAT_TIME)
    assert result.status is Status.OPTIMAL, result.stats
    assert result.objective == pytest.approx(exact.best, abs=tolerance(p) + 1e-6)
    assert result.bound <= result.objective + 1e-9


def test_exact_summary_and_stats_name_the_phases():
    p_data = synthetic_club(
        num_members=60, num_history=10, next_attendees=30, table_sizes=(8,), num_hosts=2
    )
    result: Result = solve(p_data, method="exact", seed=0)
    assert result.method == "local+colgen"
    assert "colgen" in result.stats
    assert result.bound is not None and result.bound <= result.objective


@settings(max_examples=40, deadline=None)
@given(every_rule, st.integers(0, 2**31 - 1))
def test_pricing_minimum_equals_the_minimum_over_every_table(data, seed):
    """At random duals, the compiled search's cheapest table of each type is the cheapest of
    every set of attendees that may sit at such a table (all subsets, checked one by one)."""
    p = _compile(data)
    pricing = Pricing(p)
    pi = np.random.default_rng(seed).uniform(0.0, 4.0, p.num_attendees)
    for kind in pricing.types:
        free = [i for i in range(p.num_attendees) if p.host_table[i] < 0]
        values = []
        for size in range(kind.capacity - len(kind.fixed) + 1):
            for extra in itertools.combinations(free, size):
                members = np.array(sorted((*kind.fixed, *extra)), dtype=np.int64)
                if members.size and table_holds_rules(p, kind, members):
                    values.append(table_cost(p, members) - pi[members].sum())
        _, status, best, _ = pricing.search(kind, pi, 0.0)
        assert status == 0
        expected = min([0.0, *values])
        assert best == pytest.approx(expected, abs=1e-9)


def test_the_enumeration_memory_cap_is_reported():
    """More tables to list than the cap: no proof, the bound of column generation kept, and
    the statistics say why."""
    p = _club_dinner(0)
    local = solve_local(p, seed=0, settings=LocalSearchSettings(max_cycles=1, patience=1))
    found = column_generation(p, local.table_of, Stop(), max_rounds=400)
    assert found.bound is not None and found.bound < local.objective
    proof = prove(p, local.objective, found, Stop(), max_tables=1)
    assert not proof.optimal and proof.table_of is None
    assert proof.bound == found.bound
    assert "memory cap" in str(proof.stats["stopped"])


def test_auto_skips_column_generation_on_very_large_dinners_and_says_why():
    problem = synthetic_club(num_members=320, num_history=2, next_attendees=301, seed=0)
    p = compile_dinner(checked(problem), 0)
    plan = DinnerOutcome(
        status=Status.FEASIBLE, table_of=np.zeros(p.num_attendees, dtype=np.int64), objective=5.0
    )
    assert skip_reason(p, plan, 0.0) == "301 attendees, more than 300"
    small = _club_dinner(0)
    proven = DinnerOutcome(
        status=Status.FEASIBLE,
        table_of=np.zeros(small.num_attendees, dtype=np.int64),
        objective=5.0,
    )
    assert skip_reason(small, proven, 5.0) == "the cheap bound proves the plan optimal"
    assert skip_reason(small, proven, 4.0) is None
    assert skip_reason(p, DinnerOutcome(status=Status.UNKNOWN), 0.0) == "no plan to start from"
