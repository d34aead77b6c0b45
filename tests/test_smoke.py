"""End-to-end: the sample club is planned with every rule held and beats a random seating."""

from seating.compile.objective import objective, violations
from seating.compile.plans import compiled_dinners
from seating.read import sample_problem
from seating.solve import solve
from seating.solvers.baseline import random_plan
from seating.solvers.local.search import LocalSearchSettings, solve_local


def test_sample_club_plan_holds_rules_and_beats_random():
    problem = sample_problem()
    result = solve(problem, method="local", seed=3, time_limit=60)
    assert result.status.has_plan
    dinner = compiled_dinners(problem, result)[0]
    seated = sorted(m for t in result.dinners[0].tables for m in t.members)
    assert seated == sorted(dinner.member_ids)
    outcome = solve_local(dinner, seed=3, settings=LocalSearchSettings(max_cycles=3))
    assert violations(dinner, outcome.table_of) == []
    assert outcome.objective == objective(dinner, outcome.table_of)
    assert outcome.objective < 0.6 * objective(dinner, random_plan(dinner, seed=3))
