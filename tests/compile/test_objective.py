"""The reference objective, the hard-rule checker and the degree bound."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import base_problem, brute_force, compiled, load
from seating.compile.bounds import degree_bound
from seating.compile.objective import (
    fairness_cost,
    objective,
    pair_cost,
    repeat_load,
    same_table,
    violations,
)


def _plan(p, tables: dict[str, list[str]]) -> np.ndarray:
    """table_of from {table id: member ids}."""
    table_of = np.full(p.num_attendees, -1, dtype=np.int64)
    for table, members in tables.items():
        for member in members:
            table_of[p.member_ids.index(member)] = p.table_ids.index(table)
    return table_of


def _history_problem(**policy):
    data = base_problem()
    data["history"] = [
        {"date": "2026-09-01", "tables": [["m1", "m2", "m3"], ["m4", "m5", "m6"]]},
        {"date": "2026-10-01", "tables": [["m1", "m2", "m4"], ["m3", "m5", "m6"]]},
    ]
    data["policy"] = policy
    return compiled(data)


def test_same_table_is_symmetric_without_diagonal():
    """same_table marks exactly the pairs seated together."""
    together = same_table(np.array([0, 1, 0, 1]))
    assert together.tolist() == [
        [False, False, True, False],
        [False, False, False, True],
        [True, False, False, False],
        [False, True, False, False],
    ]


def test_pair_cost_sums_weights_of_seated_pairs():
    """Avoid repeats: the plan's cost is the number of earlier meetings of its seated pairs."""
    p = _history_problem(repeat_weight=-1)
    plan = _plan(p, {"T1": ["m1", "m2", "m5"], "T2": ["m3", "m4", "m6"]})
    # m1-m2 met twice, m1-m5 and m2-m5 never; m3-m6 once, m4-m6 once, m3-m4 never.
    assert pair_cost(p, plan) == 4.0
    assert objective(p, plan) == 4.0
    favour = _history_problem(repeat_weight=0.5)
    assert objective(favour, plan) == -2.0


def test_fairness_is_quadratic_in_each_members_repeat_load():
    """fairness * sum(load ** 2), load = table mates met before."""
    p = _history_problem(repeat_weight=-1, fairness=0.5)
    plan = _plan(p, {"T1": ["m1", "m2", "m5"], "T2": ["m3", "m4", "m6"]})
    load = repeat_load(p, plan)
    assert dict(zip(p.member_ids, load.tolist(), strict=True)) == {
        "m1": 1,
        "m2": 1,
        "m5": 0,
        "m3": 1,
        "m4": 1,
        "m6": 2,
    }
    assert fairness_cost(p, plan) == 0.5 * (1 + 1 + 0 + 1 + 1 + 4)
    assert objective(p, plan) == 4.0 + 4.0


def test_fairness_zero_costs_nothing():
    """Without fairness the objective is the pair cost alone."""
    p = _history_problem(repeat_weight=-1)
    plan = _plan(p, {"T1": ["m1", "m2", "m3"], "T2": ["m4", "m5", "m6"]})
    assert fairness_cost(p, plan) == 0.0


def test_feasible_plan_has_no_violations():
    """A plan that holds every rule of the sample problem gives an empty list."""
    p = compiled(load("small_club.json"))
    plan = _plan(p, {"T1": ["m1", "m2", "m7", "m4"], "T2": ["m3", "m5", "m6"]})
    assert violations(p, plan) == []


@pytest.mark.parametrize(
    ("tables", "words"),
    [
        ({"T1": ["m1", "m2", "m7", "m4", "m5"], "T2": ["m3", "m6"]}, ["'T1'", "capacity 4"]),
        ({"T2": ["m1", "m2", "m7", "m4"], "T1": ["m3", "m5", "m6"]}, ["host 'm1'", "'T1'"]),
        ({"T1": ["m1", "m2", "m4"], "T2": ["m3", "m5", "m6", "m7"]}, ["keep-together", "'m7'"]),
        ({"T1": ["m1", "m2", "m7"], "T2": ["m3", "m4", "m5", "m6"]}, ["'m4'", "'m5'"]),
        ({"T1": ["m1", "m3", "m4"], "T2": ["m2", "m7", "m5", "m6"]}, ["company 'Acme'"]),
    ],
    ids=["capacity", "host", "together", "apart", "company"],
)
def test_each_broken_rule_is_named(tables, words):
    """Each hard rule broken by a plan yields a readable line naming the ids."""
    p = compiled(load("small_club.json"))
    found = violations(p, _plan(p, tables))
    assert found, "the plan breaks a rule"
    text = " | ".join(found)
    for word in words:
        assert word in text


def test_cooldown_and_industry_violations():
    """Cooldown pairs and industry limits are hard rules too."""
    data = base_problem()
    data["history"] = [{"date": "2026-11-01", "tables": [["m1", "m2"]]}]
    data["rules"] = {"cooldown": 1, "max_per_industry": 1}
    for member in data["members"][2:4]:
        member["industry"] = "Legal"
    p = compiled(data)
    found = violations(p, _plan(p, {"T1": ["m1", "m2", "m5"], "T2": ["m3", "m4", "m6"]}))
    assert any("'m1' and 'm2'" in line for line in found)
    assert any("industry 'Legal'" in line for line in found)


def test_malformed_plans_are_reported_not_crashed_on():
    """Wrong length or a nonexistent table is one violation, not an exception."""
    p = compiled(base_problem())
    assert violations(p, np.zeros(5, dtype=np.int64)) != []
    assert violations(p, np.array([0, 0, 0, 1, 1, 7])) == ["plan names a table that does not exist"]
    assert violations(p, np.array([0, 0, 0, 1, 1, -1])) == [
        "plan names a table that does not exist"
    ]


BOUND_CASES = {
    "avoid": dict(repeat_weight=-1),
    "favour": dict(repeat_weight=1),
    "target": dict(repeat_weight=-1, target_meetings=2),
    "fair": dict(repeat_weight=-1, fairness=1),
}


@pytest.mark.parametrize("policy", BOUND_CASES.values(), ids=BOUND_CASES.keys())
@pytest.mark.parametrize("capacities", [(3, 3), (4, 2, 2), (5, 4)])
def test_degree_bound_never_exceeds_the_brute_force_optimum(policy, capacities):
    """degree_bound is a valid lower bound: at most the exact optimum (from brute force)."""
    data = base_problem(6, capacities)
    data["history"] = [
        {"date": "2026-09-01", "tables": [["m1", "m2", "m3"], ["m4", "m5", "m6"]]},
        {"date": "2026-10-01", "tables": [["m1", "m2", "m4"], ["m3", "m5", "m6"]]},
        {"date": "2026-11-01", "tables": [["m1", "m5"], ["m2", "m6"], ["m3", "m4"]]},
    ]
    data["policy"] = policy
    data["members"][0]["company"] = data["members"][1]["company"] = "Acme"
    data["dinners"][0]["tables"][0]["host"] = "m3"
    p = compiled(data)
    exact = brute_force(p)
    assert exact.is_feasible
    assert degree_bound(p) <= exact.best + 1e-9


def test_degree_bound_is_tight_when_nobody_met():
    """No history: the bound and the optimum are both zero; one attendee: zero."""
    assert degree_bound(compiled(base_problem())) == 0.0
    single = base_problem(1, (2,))
    assert degree_bound(compiled(single)) == 0.0


def test_objective_agrees_with_brute_force_reimplementation():
    """objective() equals the brute force's independent formula on every feasible plan."""
    p = _history_problem(repeat_weight=0.5, fairness=1, target_meetings=2)
    exact = brute_force(p)
    for plan, value in zip(exact.plans[exact.feasible][:200], exact.values[:200], strict=True):
        assert objective(p, plan) == pytest.approx(value)
        assert violations(p, plan) == []
    infeasible = exact.plans[~exact.feasible][:200]
    assert all(violations(p, plan) for plan in infeasible)
