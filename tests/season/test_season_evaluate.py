"""The season evaluation: incremental history, identical to the core's dinner-by-dinner code."""

import dataclasses

import numpy as np
import pytest

from seating.compile.metrics import combine, dinner_metrics
from seating.compile.objective import objective, violations
from seating.compile.plans import as_past, dinner_plan
from seating.compile.problem import check_references, compile_dinner
from seating.models import ProblemInput
from seating.season.evaluate import SeasonHistory, evaluate


def season(policy=None, rules=None, dates=("2027-01-10", "2027-02-10", "2027-03-10", "2027-04-10")):
    members = [{"id": f"m{i}", "company": f"C{i % 5}"} for i in range(10)]
    tables = [{"id": x, "capacity": 4} for x in "ABC"]
    dinners = [
        {"date": d, "attendees": [f"m{i}" for i in range(10) if (i + k) % 4], "tables": tables}
        for k, d in enumerate(dates)
    ]
    history = [
        {"date": "2026-11-01", "tables": [["m1", "m2", "m3"], ["m4", "m5"]]},
        {"date": "2026-12-01", "tables": [["m1", "m4", "m6"], ["m2", "m7", "m8"]]},
    ]
    data = {
        "members": members,
        "history": history,
        "dinners": dinners,
        "policy": policy or {"repeat_weight": -1.0},
        "rules": rules or {"max_per_company": None},
    }
    problem = ProblemInput.from_dict(data)
    check_references(problem)
    return problem


def random_plans(problem, seed):
    rng = np.random.default_rng(seed)
    plans = []
    for k in range(len(problem.dinners)):
        dinner = compile_dinner(problem, k)
        seats = np.repeat(np.arange(dinner.num_tables), dinner.capacity)
        plans.append(rng.permutation(seats)[: dinner.num_attendees])
    return plans


def reference(problem, plans):
    """The quadratic reference: every dinner compiled from scratch with the earlier ones."""
    planned, total, broken, metrics = [], 0.0, [], []
    for k, table_of in enumerate(plans):
        dinner = compile_dinner(problem, k, planned)
        total += objective(dinner, table_of)
        broken += violations(dinner, table_of)
        metrics.append(dinner_metrics(dinner, table_of))
        planned.append(as_past(dinner_plan(dinner, table_of)))
    return total, broken, metrics


POLICIES = [
    ({"repeat_weight": -1.0}, {"max_per_company": 1}),
    ({"repeat_weight": -0.5, "half_life": 1.5}, {"cooldown": 2, "together": [["m1", "m2"]]}),
    ({"repeat_weight": 0.7, "target_meetings": 2}, {"cooldown": 1, "apart": [["m3", "m4"]]}),
    ({"repeat_weight": -1.0, "fairness": 0.5}, {"max_per_company": None}),
    (
        {"repeat_weight": -1.0, "introduce": [["m1", "m5", 2.0]], "recent_penalty": 1.5},
        {"newcomer_dinners": 2, "max_newcomers_per_table": 2, "language": "table"},
    ),
]


def _assert_incremental_equals_compile_dinner(problem, seed: int) -> None:
    """Each dinner of ``problem`` compiled by the incremental history equals
    ``compile_dinner`` given the dinners planned before it (random plans of ``seed``)."""
    plans = random_plans(problem, seed)
    history = SeasonHistory(problem)
    assert history.incremental
    planned = []
    for k, table_of in enumerate(plans):
        fast = history.compile(k)
        slow = compile_dinner(problem, k, planned)
        for f in dataclasses.fields(slow):
            a, b = getattr(fast, f.name), getattr(slow, f.name)
            if isinstance(b, np.ndarray):
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=f.name)
            elif f.name == "groups":
                assert [g.tolist() for g in a] == [g.tolist() for g in b]
            else:
                assert a == b, f.name
        history.add(fast, table_of)
        planned.append(as_past(dinner_plan(slow, table_of)))


@pytest.mark.parametrize(("policy", "rules"), POLICIES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_incremental_dinners_equal_compile_dinner(policy, rules, seed):
    _assert_incremental_equals_compile_dinner(season(policy, rules), seed)


@pytest.mark.parametrize(("policy", "rules"), POLICIES)
def test_season_objective_equals_dinner_by_dinner_recomputation(policy, rules):
    problem = season(policy, rules)
    for seed in range(3):
        plans = random_plans(problem, seed)
        judged = evaluate(problem, plans)
        total, broken, metrics = reference(problem, plans)
        assert judged.objective == pytest.approx(total, rel=1e-12, abs=1e-12)
        assert len(judged.violations) == len(broken)
        assert sum(judged.objectives) == pytest.approx(total)
        assert judged.per_dinner == metrics and judged.metrics == combine(metrics)


def test_a_season_plan_is_judged_the_same_from_its_dinner_plans():
    """evaluate() reads the written-out plans as it reads the index arrays."""
    problem = season({"repeat_weight": -0.5, "half_life": 1.5}, {"cooldown": 1})
    arrays = evaluate(problem, random_plans(problem, 3))
    written = evaluate(problem, arrays.plans)
    assert written.objectives == arrays.objectives and written.violations == arrays.violations
    assert written.per_dinner == arrays.per_dinner and written.plans == arrays.plans


def test_out_of_order_dates_fall_back_to_the_reference():
    dates = ("2027-03-10", "2027-01-10", "2026-10-01", "2027-04-10")  # one before the history
    problem = season({"repeat_weight": -1.0, "half_life": 2.0}, {"cooldown": 1}, dates=dates)
    assert not SeasonHistory(problem).incremental
    plans = random_plans(problem, 5)
    total, broken, _ = reference(problem, plans)
    judged = evaluate(problem, plans)
    assert judged.objective == pytest.approx(total)
    assert len(judged.violations) == len(broken)


# Two evenings of two courses, then one of three: rounds of one date are the courses of an
# evening (seating.compile.courses.expand_courses); the history ends with a two-course evening.
COURSE_DATES = ("2027-01-10",) * 2 + ("2027-02-10",) * 2 + ("2027-03-10",) * 3


def course_season(policy, rules):
    problem = season(policy, rules, dates=COURSE_DATES)
    dessert = problem.history[-1].model_copy(
        update={"tables": [["m1", "m2", "m9"], ["m4", "m7", "m3"]]}
    )
    history = [*problem.history, dessert]
    problem = problem.model_copy(update={"history": history})
    check_references(problem)
    return problem


@pytest.mark.parametrize(("policy", "rules"), POLICIES)
@pytest.mark.parametrize("seed", [0, 1])
def test_incremental_courses_equal_compile_dinner(policy, rules, seed):
    """Rounds that share a date (courses): the incremental history ages meetings by evening
    as the core does, the earlier courses of tonight of age 0 with the evening before."""
    _assert_incremental_equals_compile_dinner(course_season(policy, rules), seed)


def test_a_planned_dinner_on_the_last_history_date_falls_back_to_the_reference():
    """History dated on the first planned evening is its earlier course: the core's ages
    then differ from appending, so the reference code judges."""
    dates = ("2026-12-01", "2027-02-10")
    problem = season({"repeat_weight": -1.0, "half_life": 2.0}, {"cooldown": 1}, dates=dates)
    assert not SeasonHistory(problem).incremental
    plans = random_plans(problem, 2)
    total, broken, _ = reference(problem, plans)
    judged = evaluate(problem, plans)
    assert judged.objective == pytest.approx(total)
    assert len(judged.violations) == len(broken)
