"""Hypothesis properties of the club rules (a shared language, newcomers, guests, introductions,
the soft recency penalty) over random small problems, checked against exhaustive enumeration.

Every solver run stops on iteration counts or proves optimality in milliseconds.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from helpers import (
    CPSAT_TIME,
    FAST,
    assert_well_formed,
    broken_table_rule_units,
    brute_force,
    checked,
    expected_kernel_cost,
    first_dinner,
    kernel_cycles,
    problems,
    table_of_plan,
    tolerance,
)
from seating import InputError, Status, solve
from seating.adjust import reseat
from seating.compile.objective import objective, violations
from seating.compile.problem import compile_dinner
from seating.compile.table_rules import TABLE, table_violations
from seating.solvers.cpsat import solve_cpsat
from seating.solvers.local.labels import balanced_labels, pair_form, reducible
from seating.solvers.local.search import build_units, solve_local

club_problems = problems(club_rules=True)


@settings(max_examples=60, deadline=None)
@given(club_problems)
def test_cpsat_optimum_equals_brute_force_with_club_rules(data):
    """CP-SAT with every club rule: the brute-force optimum (or infeasible, with a reason)."""
    _, p = first_dinner(data)
    exact = brute_force(p)
    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, seed=0, num_workers=1)
    if not exact.is_feasible:
        assert outcome.status is Status.INFEASIBLE
        assert outcome.reason
        return
    assert outcome.status is Status.OPTIMAL
    assert violations(p, outcome.table_of) == []
    assert outcome.objective == pytest.approx(exact.best, abs=tolerance(p))


@settings(max_examples=60, deadline=None)
@given(club_problems, st.integers(0, 2**31 - 1))
def test_local_search_holds_club_rules_whenever_a_plan_exists(data, seed):
    """The local search finds a plan holding every club rule whenever brute force finds one."""
    _, p = first_dinner(data)
    exact = brute_force(p)
    if not exact.is_feasible:
        reject()
    outcome = solve_local(p, seed=seed, settings=FAST)
    assert outcome.status is Status.FEASIBLE, outcome.stats
    assert violations(p, outcome.table_of) == []
    assert outcome.objective == objective(p, outcome.table_of)
    assert outcome.objective >= exact.best - 1e-9


@settings(max_examples=40, deadline=None)
@given(club_problems)
def test_violations_agree_with_brute_force(data):
    """``violations`` is empty exactly on the plans brute force finds feasible."""
    _, p = first_dinner(data)
    exact = brute_force(p)
    rng = np.random.default_rng(0)
    for k in rng.choice(len(exact.plans), size=min(40, len(exact.plans)), replace=False):
        assert (violations(p, exact.plans[k]) == []) == bool(exact.feasible[k])


def seated_cycles(p, units, seed: int):
    """The kernel's cycles on ``p`` with a finite cost and a plan within the capacities: the
    cost and each member's table."""
    for cost, plan in kernel_cycles(p, seed, FAST):
        if not np.isfinite(cost):
            continue
        table_of = plan[units.of_member]
        if not (np.bincount(table_of, minlength=p.num_tables) > p.capacity).any():
            yield cost, table_of


@settings(max_examples=40, deadline=None)
@given(club_problems, st.integers(0, 2**31 - 1))
def test_kernel_cost_with_table_rules_matches_a_full_recount(data, seed):
    """The kernel's cost of each cycle's plan: the objective (less pairs inside a unit) plus a
    penalty per forbidden pair, label excess and broken table-rule unit."""
    _, p = first_dinner(data)
    units = build_units(p)
    if units is None or not p.table_rules.active:
        reject()
    for cost, table_of in seated_cycles(p, units, seed):
        assert cost == pytest.approx(expected_kernel_cost(p, table_of), rel=1e-9, abs=1e-6)
        # Zero broken units exactly when the table rules hold.
        held = not any(
            table_violations(p.table_rules, np.nonzero(table_of == t)[0])
            for t in range(p.num_tables)
        ) and not any("shares a language" in line for line in violations(p, table_of))
        assert held == (broken_table_rule_units(p, table_of) == 0)


@settings(max_examples=40, deadline=None)
@given(club_problems, st.integers(0, 2**31 - 1))
def test_kernel_cost_on_the_pair_form_matches_a_full_recount(data, seed):
    """On the fast path the table rules become pair rules of a larger dinner (a placeholder
    per table keeps out who does not speak its label): the kernel's cost of that dinner's
    plans is its objective plus a penalty per forbidden pair, with no table rule left."""
    _, p = first_dinner(data)
    if not reducible(p):
        reject()
    labelled = p.table_rules.language == TABLE and p.table_rules.speaks.shape[1] > 0
    form = pair_form(p, balanced_labels(p) if labelled else None)
    assert not form.table_rules.active
    units = build_units(form)
    if units is None:
        reject()
    for cost, table_of in seated_cycles(form, units, seed):
        assert cost == pytest.approx(expected_kernel_cost(form, table_of), rel=1e-9, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(problems(club_rules=True, seasons=True), st.sampled_from(["auto", "cpsat", "local"]))
def test_every_method_holds_club_rules(data, method):
    """Through seating.solve (one or two dinners), every method's plan holds every club rule,
    with objective and metrics recomputed from the plan."""
    try:
        problem = checked(data)
    except InputError:
        reject()
    result = solve(problem, method=method, seed=0, num_workers=1, time_limit=CPSAT_TIME)
    if result.status.has_plan:
        assert_well_formed(problem, result)
    elif len(problem.dinners) == 1:
        assert result.status is Status.INFEASIBLE and result.reason
        assert not brute_force(compile_dinner(problem, 0)).is_feasible


@settings(max_examples=30, deadline=None)
@given(club_problems, st.data())
def test_reseat_holds_club_rules(data, draws):
    """Re-seating after any draft holds every club rule (the rule families are shared)."""
    problem, p = first_dinner(data)
    exact = brute_force(p)
    seat = st.none() | st.sampled_from(p.table_ids)
    seats = draws.draw(st.lists(seat, min_size=p.num_attendees, max_size=p.num_attendees))
    draft = {m: t for m, t in zip(p.member_ids, seats, strict=True) if t is not None}
    result = reseat(problem, draft, time_limit=CPSAT_TIME, seed=0).result
    if not exact.is_feasible:
        assert result.status is Status.INFEASIBLE and result.reason
        return
    assert result.status.has_plan
    assert violations(p, table_of_plan(p, result.dinners[0])) == []
