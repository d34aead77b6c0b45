"""The hard rules of CP-SAT are written once: the dinner model, the explanation of clashing
rules and re-seating's move model are all built from the families of
``seating.solvers.cpsat.constraints``."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import CPSAT_TIME, INFEASIBLE, SCENARIOS, brute_force, compiled, scenario
from seating.adjust import _fewest_moves
from seating.result import Status
from seating.solvers.cpsat import constraints, explain_infeasible, solve_cpsat
from seating.solvers.cpsat.constraints import unguarded


@pytest.mark.parametrize(("data", "words"), INFEASIBLE.values(), ids=INFEASIBLE.keys())
def test_the_move_model_proves_the_same_clashes(data, words):
    """Every clash the dinner model proves, re-seating's move model proves too (whoever the
    draft seats where)."""
    p = compiled(data)
    assert solve_cpsat(p, time_limit=CPSAT_TIME, num_workers=1).status is Status.INFEASIBLE
    walk_ins = np.full(p.num_attendees, -1, dtype=np.int64)
    drafted = np.arange(p.num_attendees, dtype=np.int64) % p.num_tables
    for draft_at in (walk_ins, drafted):
        table_of, proven, status = _fewest_moves(p, draft_at, CPSAT_TIME, 0, 1)
        assert table_of is None and proven and status == "INFEASIBLE"


@pytest.mark.parametrize("name", ["everything", "hosts", "company_limit", "together", "apart"])
def test_the_move_model_allows_exactly_the_feasible_plans(name):
    """Drafting each plan the rules allow moves nobody; a plan they forbid moves someone."""
    p = compiled(SCENARIOS[name])
    exact = brute_force(p)
    allowed = exact.plans[exact.feasible]
    forbidden = exact.plans[~exact.feasible]
    rng = np.random.default_rng(0)
    for plan in allowed[rng.choice(len(allowed), min(5, len(allowed)), replace=False)]:
        table_of, minimal, _ = _fewest_moves(p, plan, CPSAT_TIME, 0, 1)
        assert minimal and np.array_equal(table_of, plan)
    for plan in forbidden[rng.choice(len(forbidden), 5, replace=False)]:
        table_of, minimal, _ = _fewest_moves(p, plan, CPSAT_TIME, 0, 1)
        assert minimal and not np.array_equal(table_of, plan)


def test_a_rule_added_once_binds_every_model(monkeypatch):
    """A new family appended to ``RULES`` (here: m1 may not sit at T3) binds the dinner model,
    the explanation of a clash and re-seating's move model, with no other change.

    T3 is the only table of its capacity: a rule that told T1 and T2 (both of capacity 3) apart
    would also have to reach the dinner model's symmetry breaking, as hosts do.
    """

    def m1_not_at_t3(model, problem, x, guard=unguarded):
        i, t = problem.member_ids.index("m1"), problem.table_ids.index("T3")
        model.add(x[i, t] == 0).only_enforce_if(guard("m1 may not sit at 'T3'"))

    monkeypatch.setattr(constraints, "RULES", (*constraints.RULES, m1_not_at_t3))
    p = compiled(SCENARIOS["avoid_repeats"])
    exact = brute_force(p)
    at_t3 = exact.feasible & (exact.plans[:, 0] == 2)
    assert at_t3.any(), "without the new rule m1 may sit at T3"

    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, num_workers=1)
    assert outcome.status is Status.OPTIMAL and outcome.table_of[0] != 2
    elsewhere = exact.plans[exact.feasible][:, 0] != 2
    assert outcome.objective == pytest.approx(exact.values[elsewhere].min())

    draft = exact.plans[at_t3][0]
    table_of, minimal, _ = _fewest_moves(p, draft, CPSAT_TIME, 0, 1)
    assert minimal and table_of[0] != 2

    hosted = compiled(scenario(hosts={2: "m1"}))
    reason = explain_infeasible(hosted, CPSAT_TIME)
    assert reason == "these rules clash: host 'm1' at table 'T3'; m1 may not sit at 'T3'"
