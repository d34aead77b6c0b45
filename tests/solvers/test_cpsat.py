"""The exact solver: optimal objectives equal brute force; infeasibility is explained."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from ortools.sat.python import cp_model

from helpers import (
    CPSAT_TIME,
    INFEASIBLE,
    SCENARIOS,
    brute_force,
    compiled,
    scaled_exactly,
    scenario,
    tolerance,
)
from seating.compile.bounds import degree_bound
from seating.compile.objective import objective, violations
from seating.compile.problem import check_references, compile_dinner
from seating.policies.synthetic import synthetic_club
from seating.result import Status
from seating.solvers.cpsat import explain_infeasible, solve_cpsat
from seating.solvers.cpsat.cuts import clique_floor, holds, separate
from seating.stop import CancelFlag, TimeBudget


@pytest.mark.parametrize("data", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_cpsat_optimum_equals_brute_force(data):
    """CP-SAT proves the brute-force optimum: status optimal, same objective, bound == objective.

    The reported objective is the one recomputed from the plan, the plan holds every rule, and
    the cheap degree bound is below the optimum.
    """
    p = compiled(data)
    exact = brute_force(p)
    assert exact.is_feasible
    tol = tolerance(p)
    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, seed=1, num_workers=1)
    assert outcome.status is Status.OPTIMAL
    assert violations(p, outcome.table_of) == []
    assert outcome.objective == objective(p, outcome.table_of)
    assert outcome.objective == pytest.approx(exact.best, abs=tol)
    assert outcome.bound == pytest.approx(outcome.objective, abs=tol)
    assert degree_bound(p) <= exact.best + 1e-9


@pytest.mark.parametrize(
    "name",
    [
        "avoid_repeats",
        "favour_repeats",
        "fairness",
        "hosts",
        "company_limit",
        "cooldown_1",
        "everything",
    ],
)
def test_scenarios_discriminate(name):
    """The brute-forced scenarios are not trivial: feasible plans differ in objective."""
    exact = brute_force(compiled(SCENARIOS[name]))
    assert exact.values.max() > exact.values.min()


def test_bound_is_a_lower_bound_with_fractional_weights():
    """The bound must never exceed the objective, also when weights are not integers."""
    p = compiled(SCENARIOS["half_life"])
    assert not scaled_exactly(p)
    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, seed=1, num_workers=1)
    assert outcome.bound <= outcome.objective


def test_neutral_policy_optimum_is_zero():
    """repeat_weight 0 without fairness: every plan costs 0, proven at once."""
    p = compiled(scenario(policy={"repeat_weight": 0.0}))
    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, num_workers=1)
    assert outcome.status is Status.OPTIMAL
    assert outcome.objective == 0.0 and outcome.bound == 0.0


def test_same_seed_one_worker_same_plan():
    """num_workers=1 and the same seed give the same plan, run after run."""
    p = compiled(SCENARIOS["everything"])
    plans = [
        solve_cpsat(p, time_limit=CPSAT_TIME, seed=7, num_workers=1).table_of for _ in range(3)
    ]
    for plan in plans[1:]:
        np.testing.assert_array_equal(plan, plans[0])


@pytest.mark.parametrize("name", ["everything", "identical_tables", "hosts"])
def test_hint_keeps_the_optimum(name):
    """A hint (here: the brute-force optimum, which symmetry breaking may exclude) is harmless."""
    p = compiled(SCENARIOS[name])
    exact = brute_force(p)
    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, num_workers=1, initial=exact.plan)
    assert outcome.status is Status.OPTIMAL
    assert outcome.objective == pytest.approx(exact.best, abs=tolerance(p))


# --- cuts: dense histories --------------------------------------------------------------------

DENSE: dict[str, tuple[tuple[int, ...], int, int]] = {
    "3x3_one_host": ((3,), 9, 1),
    "4_3_2_spare_seat": ((4, 3, 2), 8, 0),
    "3_3_2_two_hosts": ((3, 3, 2), 8, 2),
}
"""Small synthetic clubs with dense histories: table sizes, attendees, hosts."""


def dense_dinner(name: str, seed: int):
    sizes, attendees, hosts = DENSE[name]
    problem = synthetic_club(
        num_members=12,
        num_history=10,
        next_attendees=attendees,
        table_sizes=sizes,
        num_hosts=hosts,
        seed=seed,
    )
    check_references(problem)
    return compile_dinner(problem)


def test_one_worker_gets_the_cuts_only_with_a_hint():
    """Without presolve (which the cuts need) one worker may find no plan from scratch, so a
    lone worker without a hint solves the plain model; with a hint it gets the cuts."""
    p = dense_dinner("4_3_2_spare_seat", 0)
    exact = brute_force(p)
    alone = solve_cpsat(p, time_limit=CPSAT_TIME, seed=0, num_workers=1)
    assert "cuts" not in alone.stats
    assert alone.status is Status.OPTIMAL
    assert alone.objective == pytest.approx(exact.best)
    hinted = solve_cpsat(p, time_limit=CPSAT_TIME, seed=0, num_workers=1, initial=exact.plan)
    assert hinted.stats["cuts"] > 0
    assert hinted.objective == pytest.approx(exact.best)


def test_one_core_counts_as_one_worker_for_the_cuts(monkeypatch):
    """The cut model runs with at most one worker per core: on one core, eight requested
    workers are one, so without a hint the plain model runs."""
    monkeypatch.setattr("seating.solvers.cpsat.model.os.cpu_count", lambda: 1)
    p = dense_dinner("4_3_2_spare_seat", 0)
    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, seed=0, num_workers=8)
    assert "cuts" not in outcome.stats
    assert outcome.status is Status.OPTIMAL
    assert outcome.objective == pytest.approx(brute_force(p).best)


def test_separation_does_not_depend_on_the_clock():
    """With time to spare the loop stops on rounds and stall, so the same dinner gives the same
    inequalities run after run (and CP-SAT with one worker the same model)."""
    p = dense_dinner("3_3_2_two_hosts", 1)
    first, second = separate(p, time_limit=600), separate(p, time_limit=600)
    assert len(first) > 0
    assert (first.triangles, first.cliques, first.rounds) == (
        second.triangles,
        second.cliques,
        second.rounds,
    )


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", DENSE)
def test_cpsat_with_cuts_equals_brute_force_on_dense_histories(name, seed):
    """With the LP's cuts in the model, CP-SAT still proves exactly the brute-force optimum."""
    p = dense_dinner(name, seed)
    exact = brute_force(p)
    assert exact.is_feasible
    # Two workers: one worker without a hint gets no cuts (see the test below).
    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, seed=seed, num_workers=2)
    assert outcome.stats["cuts"] > 0, "the dense instances must exercise the cuts"
    assert outcome.status is Status.OPTIMAL
    assert violations(p, outcome.table_of) == []
    assert outcome.objective == pytest.approx(exact.best)
    assert outcome.bound == pytest.approx(exact.best)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", DENSE)
def test_every_cut_holds_for_every_feasible_plan(name, seed):
    """The cuts are valid: no feasible plan (enumerated) violates one of them."""
    p = dense_dinner(name, seed)
    exact = brute_force(p)
    cuts = separate(p, time_limit=CPSAT_TIME)
    assert len(cuts) > 0
    assert cuts.lp_bound <= exact.best + 1e-6
    for plan in exact.plans[exact.feasible]:
        assert holds(cuts, plan)


@pytest.mark.parametrize("data", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_cuts_hold_for_the_optimum_of_every_scenario(data):
    """The cuts found under every rule (hosts, groups, labels, cooldown) keep the optimum."""
    p = compiled(data)
    exact = brute_force(p)
    cuts = separate(p, time_limit=CPSAT_TIME)
    optimal = exact.plans[exact.feasible][exact.values <= exact.best + 1e-9]
    assert all(holds(cuts, plan) for plan in optimal)


@pytest.mark.parametrize(
    ("size", "tables", "floor"),
    [(3, 3, 0), (4, 3, 1), (5, 3, 2), (6, 3, 3), (7, 3, 5), (8, 3, 7), (9, 4, 6), (2, 1, 1)],
)
def test_clique_floor_is_the_pigeonhole_count(size, tables, floor):
    """Fewest pairs together among ``size`` people at ``tables`` tables, enumerated."""
    assert clique_floor(size, tables) == floor
    plans = np.array(np.meshgrid(*[range(tables)] * size)).reshape(size, -1).T
    together = (plans[:, :, None] == plans[:, None, :]).sum(axis=(1, 2)) - size
    assert together.min() // 2 == floor


# --- infeasibility --------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "words"), INFEASIBLE.values(), ids=INFEASIBLE.keys())
def test_infeasible_rules_are_named(data, words):
    """Clashing rules give status infeasible, no plan, and a reason naming rules and ids."""
    p = compiled(data)
    assert not brute_force(p).is_feasible
    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, num_workers=1)
    assert outcome.status is Status.INFEASIBLE
    assert outcome.table_of is None and outcome.objective is None
    assert outcome.reason.startswith("these rules clash: ")
    for word in words:
        assert word in outcome.reason, outcome.reason


def test_explanation_is_minimal():
    """Dropping any rule named in the explanation makes the rest satisfiable (a minimal core)."""
    data, _ = INFEASIBLE["apart_vs_together_via_host"]
    reason = explain_infeasible(compiled(data), CPSAT_TIME)
    core = reason.removeprefix("these rules clash: ").split("; ")
    assert len(core) >= 3
    assert not any("cooldown" in rule for rule in core)


def test_explain_can_be_switched_off():
    """explain=False still reports infeasible, with a generic reason."""
    data, _ = INFEASIBLE["two_hosts_in_one_group"]
    outcome = solve_cpsat(compiled(data), time_limit=CPSAT_TIME, num_workers=1, explain=False)
    assert outcome.status is Status.INFEASIBLE
    assert outcome.reason


def test_the_explanation_gets_what_is_left_of_the_budget(monkeypatch):
    """solve_cpsat hands the explanation the rest of its own time (and of a stop's), never a
    budget of its own."""
    seen: list[float] = []

    def spy(problem, time_limit, *, stop=None):
        seen.append(time_limit)
        return explain_infeasible(problem, time_limit, stop=stop)

    monkeypatch.setattr("seating.solvers.cpsat.model.explain_infeasible", spy)
    p = compiled(INFEASIBLE["two_hosts_in_one_group"][0])
    solve_cpsat(p, time_limit=3.0, num_workers=1)
    solve_cpsat(p, time_limit=CPSAT_TIME, num_workers=1, stop=TimeBudget(2.0))
    assert len(seen) == 2
    assert 0 < seen[0] <= 3.0 and 0 < seen[1] <= 2.0


@pytest.mark.parametrize("name", ["two_hosts_in_one_group", "groups_do_not_pack"])
def test_a_small_budget_still_names_an_obvious_clash(name):
    data, words = INFEASIBLE[name]
    reason = explain_infeasible(compiled(data), 0.5)
    assert reason.startswith("these rules clash: ")
    for word in words:
        assert word in reason, reason


# --- stop criteria ------------------------------------------------------------------------------


def test_a_cancel_before_the_solve_returns_a_well_formed_outcome_without_search():
    flag = CancelFlag()
    flag.cancel()
    p = compiled(SCENARIOS["everything"])
    outcome = solve_cpsat(p, time_limit=CPSAT_TIME, num_workers=2, initial=brute_force(p).plan,
                          stop=flag)  # fmt: skip
    assert outcome.status is Status.UNKNOWN
    assert outcome.table_of is None and outcome.objective is None and outcome.bound is None
    assert outcome.stats["stopped"] == "cancelled"
    assert outcome.reason == "stopped before a plan was found (cancelled)"


class _CancelOnFirstPlan(cp_model.CpSolverSolutionCallback):
    """Sets the flag from a new thread once CP-SAT has a plan, so that the cancel comes during
    the search whatever the speed of the machine."""

    def __init__(self, flag: CancelFlag) -> None:
        super().__init__()
        self.flag = flag

    def on_solution_callback(self) -> None:
        if not self.flag.cancelled:
            threading.Thread(target=self.flag.cancel).start()


def test_a_cancel_from_another_thread_stops_the_search_with_its_best_plan(monkeypatch):
    """A dinner CP-SAT cannot prove in minutes (30 attendees, one worker): a flag set from
    another thread during the search ends it, with the best plan found so far."""
    problem = synthetic_club(
        num_members=90, num_history=12, next_attendees=30, table_sizes=(10, 8), seed=3
    )
    check_references(problem)
    p = compile_dinner(problem)
    flag = CancelFlag()
    solve = cp_model.CpSolver.solve
    monkeypatch.setattr(
        cp_model.CpSolver, "solve", lambda self, model: solve(self, model, _CancelOnFirstPlan(flag))
    )
    limit = 300.0
    outcome = solve_cpsat(p, time_limit=limit, num_workers=1, stop=flag)
    assert flag.cancelled and outcome.stats["stopped"] == "cancelled"
    assert outcome.status is Status.FEASIBLE
    assert violations(p, outcome.table_of) == []
    assert outcome.objective == objective(p, outcome.table_of)
    assert outcome.bound <= outcome.objective
    # Not a timing assertion: the search ended on the cancel, far from its own limit.
    assert outcome.stats["wall_time_s"] < limit / 3


def test_a_spent_time_budget_leaves_no_search():
    """The search gets min(time_limit, stop.remaining()): none when the budget is spent."""
    outcome = solve_cpsat(compiled(SCENARIOS["everything"]), time_limit=CPSAT_TIME,
                          stop=TimeBudget(0.0))  # fmt: skip
    assert outcome.status is Status.UNKNOWN and outcome.table_of is None
    assert outcome.stats["stopped"] == "time limit"
