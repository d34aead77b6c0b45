"""Hypothesis properties over random small problems (members with companies, random history,
tables, hosts, keep-together/apart, policies), checked against exhaustive enumeration.

Every solver run here stops on iteration counts or proves optimality in milliseconds; no test
depends on wall-clock time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from helpers import (
    CPSAT_TIME,
    FAST,
    assert_well_formed,
    brute_force,
    checked,
    expected_kernel_cost,
    first_dinner,
    kernel_cycles,
    meetings_of_plan,
    problems,
    table_of_plan,
    tolerance,
)
from seating import InputError, Status, solve
from seating.adjust import reseat
from seating.compile.bounds import degree_bound
from seating.compile.objective import objective, same_table, violations
from seating.compile.problem import compile_dinner
from seating.solvers.cpsat import solve_cpsat
from seating.solvers.local.search import build_units, solve_local


@settings(max_examples=60)
@given(problems())
def test_cpsat_optimum_equals_brute_force(data):
    """CP-SAT: optimal with the brute-force optimum and bound == objective, or infeasible when
    no assignment holds the rules; the degree bound is never above the optimum."""
    _, p = first_dinner(data)
    exact = brute_force(p)
    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, seed=0, num_workers=1)
    if not exact.is_feasible:
        assert outcome.status is Status.INFEASIBLE
        assert outcome.reason
        return
    tol = tolerance(p)
    assert outcome.status is Status.OPTIMAL
    assert violations(p, outcome.table_of) == []
    assert outcome.objective == objective(p, outcome.table_of)
    assert outcome.objective == pytest.approx(exact.best, abs=tol)
    assert outcome.bound == pytest.approx(outcome.objective, abs=tol)
    assert degree_bound(p) <= exact.best + 1e-9


@settings(max_examples=30)
@given(problems(exact_weights=False))
def test_cpsat_near_optimal_with_any_weights(data):
    """Arbitrary repeat weights and half-lives (fractional pair weights): CP-SAT's plan is the
    brute-force optimum up to its x1000 rounding, and its bound is no further off."""
    _, p = first_dinner(data)
    exact = brute_force(p)
    if not exact.is_feasible:
        reject()
    tol = tolerance(p)
    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, seed=0, num_workers=1)
    assert outcome.status is Status.OPTIMAL
    assert violations(p, outcome.table_of) == []
    assert outcome.objective == pytest.approx(exact.best, abs=tol)
    assert outcome.bound <= outcome.objective + tol


@settings(max_examples=60)
@given(problems(), st.integers(0, 2**31 - 1))
def test_local_search_finds_a_feasible_plan_whenever_one_exists(data, seed):
    """The heuristic: whenever brute force finds a feasible plan, the local search returns one
    that seats every attendee once, holds every rule and reports objective(plan)."""
    _, p = first_dinner(data)
    exact = brute_force(p)
    if not exact.is_feasible:
        reject()
    outcome = solve_local(p, seed=seed, settings=FAST)
    assert outcome.status is Status.FEASIBLE, outcome.stats
    plan = outcome.table_of
    assert plan.shape == (p.num_attendees,)
    assert ((plan >= 0) & (plan < p.num_tables)).all()
    assert (np.bincount(plan, minlength=p.num_tables) <= p.capacity).all()
    assert violations(p, plan) == []
    assert outcome.objective == objective(p, plan)
    assert outcome.objective >= exact.best - 1e-9


@settings(max_examples=40)
@given(problems(), st.integers(0, 2**31 - 1))
def test_local_search_same_seed_same_plan(data, seed):
    """The local search is a function of (problem, seed) when it stops on iteration counts."""
    _, p = first_dinner(data)
    a = solve_local(p, seed=seed, settings=FAST)
    b = solve_local(p, seed=seed, settings=FAST)
    assert a.status == b.status
    if a.table_of is not None:
        np.testing.assert_array_equal(a.table_of, b.table_of)


@settings(max_examples=40)
@given(problems(), st.integers(0, 2**31 - 1))
def test_kernel_incremental_cost_matches_a_full_recount(data, seed):
    """The compiled search tracks its cost by O(1) deltas (moves, swaps, fairness, labels); at
    the end of every cycle that cost equals the cost recomputed from scratch."""
    _, p = first_dinner(data)
    units = build_units(p)
    if units is None:
        reject()
    seen = kernel_cycles(p, seed, FAST)
    assert seen
    for cost, plan in seen:
        if not np.isfinite(cost):
            continue
        table_of = plan[units.of_member]
        if (np.bincount(table_of, minlength=p.num_tables) > p.capacity).any():
            continue  # only a host group too large for its table can do this; not scored
        assert cost == pytest.approx(expected_kernel_cost(p, table_of), rel=1e-9, abs=1e-6)


@settings(max_examples=40)
@given(problems(seasons=True), st.sampled_from(["auto", "cpsat", "local"]))
def test_solve_result_is_always_well_formed(data, method):
    """Through seating.solve, with one or two dinners: a plan seats every attendee exactly once
    per dinner, holds every rule (cooldown across the season included), and its objective and
    metrics are those recomputed from the plan; otherwise status and reason say why not."""
    try:
        problem = checked(data)
    except InputError:
        reject()
    result = solve(problem, method=method, seed=0, num_workers=1, time_limit=CPSAT_TIME)
    if result.status.has_plan:
        assert_well_formed(problem, result)
        if len(problem.dinners) == 1 and result.status is Status.OPTIMAL:
            p = compile_dinner(problem, 0)
            assert result.objective == pytest.approx(brute_force(p).best, abs=tolerance(p))
    elif len(problem.dinners) == 1:
        assert result.status is Status.INFEASIBLE
        assert result.reason and result.dinners == []
        assert not brute_force(compile_dinner(problem, 0)).is_feasible
    else:
        # A later dinner without a plan is proven infeasible only given the earlier dinners'
        # plans, which is no proof for the season: 'timeout', saying so.
        assert result.status in (Status.INFEASIBLE, Status.UNKNOWN)
        assert result.reason and result.dinners == []
        if result.status is Status.UNKNOWN:
            assert "earlier dinners" in result.reason


def _pure(data: dict[str, Any], weight: float) -> dict[str, Any]:
    return {**data, "policy": {"repeat_weight": weight}}


@settings(max_examples=40)
@given(problems())
def test_repeat_weight_sign_flips_the_preferred_plan(data):
    """Solved exactly, the plan that avoids repeats (-1) seats pairs with no more earlier
    meetings than the plan that favours them (+1); the two objectives are min and -max of the
    same quantity, and 0 makes every plan cost 0."""
    _, avoid = first_dinner(_pure(data, -1.0))
    _, favour = first_dinner(_pure(data, 1.0))
    _, neutral = first_dinner(_pure(data, 0.0))
    exact = brute_force(avoid)
    if not exact.is_feasible:
        reject()
    a = solve_cpsat(avoid, time_limit=CPSAT_TIME, num_workers=1)
    f = solve_cpsat(favour, time_limit=CPSAT_TIME, num_workers=1)
    n = solve_cpsat(neutral, time_limit=CPSAT_TIME, num_workers=1)
    met_a, met_f = meetings_of_plan(avoid, a.table_of), meetings_of_plan(favour, f.table_of)
    assert met_a <= met_f
    assert a.objective == met_a == exact.best
    assert (
        f.objective
        == -met_f
        == -max(meetings_of_plan(avoid, plan) for plan in exact.plans[exact.feasible])
    )
    assert n.objective == 0.0


@settings(max_examples=30)
@given(problems())
def test_with_single_meetings_sign_flips_repeat_pairs(data):
    """When every pair met at most once, -1 gives at most as many repeat pairs as +1."""
    history = data["history"][:1]  # one past dinner: every count is 0 or 1
    data = {**data, "history": history}
    _, avoid = first_dinner(_pure(data, -1.0))
    _, favour = first_dinner(_pure(data, 1.0))
    if not brute_force(avoid).is_feasible:
        reject()
    assert avoid.meetings.max(initial=0) <= 1
    a = solve_cpsat(avoid, time_limit=CPSAT_TIME, num_workers=1)
    f = solve_cpsat(favour, time_limit=CPSAT_TIME, num_workers=1)

    def repeats(p, plan):
        return int(np.triu(same_table(plan) & p.met_before, 1).sum())

    assert repeats(avoid, a.table_of) <= repeats(favour, f.table_of)


@settings(max_examples=40)
@given(problems(), st.data())
def test_reseat_holds_every_rule_and_moves_the_fewest(data, draws):
    """Re-seating (its own CP-SAT model on the dinner model's rule families) after any draft:
    when a plan exists, the re-seat holds every hard rule, seats every attendee once, and
    moves as few drafted attendees as brute force can; when none exists it says infeasible."""
    problem, p = first_dinner(data)
    exact = brute_force(p)
    # A draft that seats some attendees anywhere (rules or not); the others are walk-ins.
    seat = st.none() | st.sampled_from(p.table_ids)
    seats = draws.draw(st.lists(seat, min_size=p.num_attendees, max_size=p.num_attendees))
    draft = {m: t for m, t in zip(p.member_ids, seats, strict=True) if t is not None}
    adjustment = reseat(problem, draft, time_limit=CPSAT_TIME, seed=0)
    result = adjustment.result
    if not exact.is_feasible:
        assert result.status is Status.INFEASIBLE and result.reason
        return
    assert result.status.has_plan and adjustment.minimal
    plan = table_of_plan(p, result.dinners[0])
    assert ((plan >= 0) & (plan < p.num_tables)).all()
    assert violations(p, plan) == []
    assert result.objective == pytest.approx(objective(p, plan))
    draft_at = np.array([p.table_ids.index(draft[m]) if m in draft else -1 for m in p.member_ids])
    moves = ((exact.plans != draft_at) & (draft_at >= 0)).sum(axis=1)
    assert len(adjustment.moves) == moves[exact.feasible].min()
    assert {m.member for m in adjustment.seated} == {m for m in p.member_ids if m not in draft}
