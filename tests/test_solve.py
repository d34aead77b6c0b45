"""The one entry point `seating.solve`: methods, the Result contract, seasons, infeasibility."""

from __future__ import annotations

import copy
import itertools
import json

import numpy as np
import pytest

import seating
from helpers import (
    CPSAT_TIME,
    SCENARIOS,
    assert_well_formed,
    brute_force,
    checked,
    compiled,
    load,
    tolerance,
)
from seating import InputError, Result, Status, solve
from seating.cli.display import summary_line
from seating.compile.plans import compiled_dinners, table_index
from seating.policies.synthetic import synthetic_club
from seating.stop import CancelFlag


@pytest.mark.parametrize("method", ["auto", "cpsat", "local", "exact"])
@pytest.mark.parametrize("name", ["everything", "fairness", "hosts", "together_with_host"])
def test_every_method_gives_a_well_formed_plan(method, name):
    """Each method returns a plan holding every rule, objective and metrics as recomputed."""
    problem = checked(SCENARIOS[name])
    result = solve(problem, method=method, seed=2, num_workers=1, time_limit=CPSAT_TIME)
    assert_well_formed(problem, result)
    assert result.runtime_s >= 0
    if method != "local":
        exact = brute_force(compiled(problem))
        assert result.status is Status.OPTIMAL
        assert result.objective == pytest.approx(exact.best, abs=tolerance(compiled(problem)))
        assert result.bound == pytest.approx(result.objective, abs=1e-6)
        assert result.gap == pytest.approx(0.0, abs=1e-6)
    expected = {"auto": ("local+colgen", "local+cpsat"), "exact": ("local+colgen",)}
    assert result.method in expected.get(method, (method,))


def test_local_method_bound_is_valid():
    """The local method's bound (the degree bound) is at most the optimum."""
    problem = checked(SCENARIOS["avoid_repeats"])
    result = solve(problem, method="local", seed=0, num_workers=1, time_limit=CPSAT_TIME)
    assert result.bound is not None
    assert result.bound <= brute_force(compiled(problem)).best + 1e-9
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)


def test_plain_data_and_models_give_the_same_plan():
    """solve accepts parsed JSON as well as a ProblemInput."""
    data = load("small_club.json")
    a = solve(data, method="cpsat", seed=1, num_workers=1, time_limit=CPSAT_TIME)
    b = solve(checked(data), method="cpsat", seed=1, num_workers=1, time_limit=CPSAT_TIME)
    assert a.dinners == b.dinners and a.objective == b.objective


@pytest.mark.parametrize("method", ["auto", "cpsat"])
def test_same_seed_one_worker_same_result(method):
    """Same seed and one worker: the same plan, run after run."""
    data = SCENARIOS["everything"]
    runs = [
        solve(data, method=method, seed=4, num_workers=1, time_limit=CPSAT_TIME) for _ in range(3)
    ]
    for run in runs[1:]:
        assert run.dinners == runs[0].dinners
        assert run.objective == runs[0].objective


def test_result_json_round_trip_and_contract_fields():
    """to_json gives DESIGN.md's plan contract; from_json reads it back equal."""
    result = solve(load("small_club.json"), method="cpsat", num_workers=1, time_limit=CPSAT_TIME)
    doc = json.loads(result.to_json())
    assert {"status", "objective", "bound", "runtime_s", "dinners", "metrics"} <= set(doc)
    assert doc["status"] == "optimal"
    assert {"repeat_pairs", "new_pairs", "max_meetings"} <= set(doc["metrics"])
    table = doc["dinners"][0]["tables"][0]
    assert doc["dinners"][0]["date"] == "2026-12-03"
    assert set(table) >= {"id", "members"} and table["id"] == "T1"
    assert Result.from_json(result.to_json()) == result
    assert Result.from_json(result.to_json(indent=None)) == result


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"method": "magic"}, "method"),
        ({"time_limit": 0}, "time_limit"),
        ({"time_limit": -1}, "time_limit"),
        ({"time_limit": float("nan")}, "time_limit"),
        ({"time_limit": float("inf")}, "time_limit"),
    ],
)
def test_bad_arguments_are_input_errors(kwargs, word):
    """A bad method or time limit is an InputError naming the argument."""
    with pytest.raises(InputError, match=word):
        solve(load("minimal.json"), **kwargs)


def test_gap_without_bound_is_none():
    """gap needs both objective and bound."""
    assert Result(status=Status.FEASIBLE, objective=3.0).gap is None
    assert Result(status=Status.OPTIMAL, objective=4.0, bound=3.0).gap == pytest.approx(0.25)
    assert Status.OPTIMAL.has_plan and Status.FEASIBLE.has_plan
    assert not Status.INFEASIBLE.has_plan and not Status.UNKNOWN.has_plan


def test_public_api_exports():
    """`import seating` gives the models, solve, Result and the error type."""
    for name in (
        "ProblemInput",
        "Member",
        "Table",
        "Dinner",
        "PastDinner",
        "Policy",
        "Rules",
        "solve",
        "Result",
        "Status",
        "InputError",
        "problem_json_schema",
    ):
        assert hasattr(seating, name), name


# --- infeasibility ----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["auto", "cpsat", "local"])
def test_infeasible_problem_gives_reason_naming_the_rules(method):
    """Every method ends with status infeasible and CP-SAT's named clash, never a broken plan."""
    data = load("infeasible_two_hosts_together.json")
    result = solve(data, method=method, num_workers=1, time_limit=CPSAT_TIME)
    assert result.status is Status.INFEASIBLE
    assert result.dinners == [] and result.objective is None
    for word in ("host 'h1' at table 'T1'", "host 'h2' at table 'T2'", "keep together"):
        assert word in result.reason
    json.loads(result.to_json())  # still a well-formed document


def test_infeasible_later_dinner_names_its_date():
    """In a season, the reason says which dinner has no plan, and that it is no proof of
    infeasibility (it follows from the plans chosen for the earlier dinners)."""
    data = load("season_cooldown.json")
    data["dinners"][2]["tables"] = [{"id": "T1", "capacity": 4}]  # all four at one table
    result = solve(data, method="auto", num_workers=1, time_limit=CPSAT_TIME)
    assert result.status is Status.UNKNOWN
    assert result.reason.startswith("dinner 2027-03-11: ")
    assert "earlier dinners" in result.reason
    assert "cooldown" in result.reason


# --- several dinners ------------------------------------------------------------------------


def _pairs(plan) -> set[frozenset[str]]:
    return {frozenset(p) for t in plan.tables for p in itertools.combinations(t.members, 2)}


def test_season_is_planned_dinner_after_dinner():
    """Three dinners of 4 at tables of 2, avoiding repeats: each pair meets exactly once.

    Dinner k sees dinners 1..k-1 as history, so a repeat would cost; the three perfect matchings
    of four people make a season with no repeat at all.
    """
    data = load("season_cooldown.json")
    data["rules"] = {}
    problem = checked(data)
    result = solve(problem, method="auto", seed=0, num_workers=1, time_limit=CPSAT_TIME)
    assert_well_formed(problem, result)
    # The season planner proves a lower bound on repeats (0 here), so reaching it is optimal.
    assert result.status is Status.OPTIMAL
    assert result.bound == 0.0
    assert result.method.startswith("season:")
    assert result.objective == 0.0
    assert result.metrics.repeat_pairs == 0 and result.metrics.max_meetings == 1
    met = [pair for plan in result.dinners for pair in _pairs(plan)]
    assert len(met) == len(set(met)) == 6


def test_cooldown_sees_the_dinner_planned_just_before():
    """Cooldown 1: a pair seated together at dinner k may not sit together at dinner k + 1."""
    problem = checked(load("season_cooldown.json"))
    result = solve(problem, method="cpsat", seed=0, num_workers=1, time_limit=CPSAT_TIME)
    assert_well_formed(problem, result)
    for before, after in itertools.pairwise(result.dinners):
        assert not (_pairs(before) & _pairs(after))
    second = compiled_dinners(problem, result)[1]
    for pair in _pairs(result.dinners[0]):
        i, j = (second.member_ids.index(m) for m in pair)
        assert second.meetings[i, j] == 1 and second.forbidden[i, j]


def test_favouring_repeats_reseats_the_first_dinners_pairs():
    """repeat_weight +1, no cooldown: dinner 2 repeats both pairs of dinner 1 (objective -2)."""
    data = load("season_cooldown.json")
    data["rules"] = {}
    data["policy"] = {"repeat_weight": 1.0}
    data["dinners"] = data["dinners"][:2]
    result = solve(data, method="cpsat", seed=0, num_workers=1, time_limit=CPSAT_TIME)
    assert [d.objective for d in result.dinners] == [0.0, -2.0]
    assert _pairs(result.dinners[0]) == _pairs(result.dinners[1])
    assert result.metrics.repeat_pairs == 2


def test_progress_is_reported_per_dinner():
    """progress(done, total) is called once per planned dinner."""
    calls = []
    solve(
        load("season_cooldown.json"),
        method="local",
        num_workers=1,
        time_limit=CPSAT_TIME,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_initial_plan_is_used_and_never_makes_things_worse():
    """Starting from an earlier plan gives a plan at least as good, with the same rules held."""
    problem = checked(SCENARIOS["everything"])
    first = solve(problem, method="local", seed=0, num_workers=1, time_limit=CPSAT_TIME)
    again = solve(
        problem, method="local", seed=9, num_workers=1, time_limit=CPSAT_TIME, initial=first
    )
    assert_well_formed(problem, again)
    assert again.objective <= first.objective + 1e-9


def test_initial_plan_with_unknown_tables_and_members_is_tolerated():
    """An initial plan naming other tables or people is mapped where it can be, else ignored."""
    problem = checked(SCENARIOS["hosts"])
    first = solve(problem, method="cpsat", num_workers=1, time_limit=CPSAT_TIME)
    stale = first.model_copy(
        update={
            "dinners": [
                first.dinners[0].model_copy(
                    update={
                        "tables": [
                            seating.TablePlan(id="T9", members=["m1", "ghost"]),
                            seating.TablePlan(id="T2", members=["m2", "m3", "m4", "m5", "m6"]),
                        ]
                    }
                )
            ]
        }
    )
    for method in ("local", "cpsat"):
        result = solve(problem, method=method, num_workers=1, time_limit=CPSAT_TIME, initial=stale)
        assert_well_formed(problem, result)


def test_keep_together_wins_over_cooldown_for_every_method():
    """A keep-together pair that sat together last time under cooldown 1 sits together again
    (the organiser's explicit wish wins), and every other cooldown pair stays apart.

    A fourth table of two makes room: {m7, m8} and the pairs m1-m4, m2-m5, m3-m6.
    """
    data = copy.deepcopy(SCENARIOS["avoid_repeats"])
    data["rules"] = {"cooldown": 1, "together": [["m7", "m8"]]}
    data["dinners"][0]["tables"].append({"id": "T4", "capacity": 2})
    for method in ("local", "auto", "cpsat"):
        result = solve(data, method=method, num_workers=1, time_limit=CPSAT_TIME)
        problem = checked(data)
        assert_well_formed(problem, result)
        assert any({"m7", "m8"} <= set(t.members) for t in result.dinners[0].tables)


@pytest.mark.parametrize("method", ["auto", "cpsat", "local"])
def test_single_attendee(method):
    """One attendee: seated at some table, objective 0, proven optimal."""
    data = load("minimal.json")
    data["dinners"][0]["attendees"] = ["m2"]
    data["policy"] = {"fairness": 1.0}
    problem = checked(data)
    result = solve(problem, method=method, num_workers=1, time_limit=CPSAT_TIME)
    assert_well_formed(problem, result)
    assert result.objective == 0.0 and result.status is Status.OPTIMAL


@pytest.mark.parametrize("method", ["auto", "local"])
def test_seeds_negative_are_refused_and_huge_ones_plan(method):
    """A negative seed is an InputError naming ``seed``; any non-negative one plans, even past
    64 bits (the generators take the seed modulo their state size), never a ValueError."""
    with pytest.raises(InputError, match=r"^seed: must be a non-negative integer \(got -1\)$"):
        solve(load("minimal.json"), method=method, seed=-1, num_workers=1, time_limit=CPSAT_TIME)
    for seed in (0, 2**31, 2**64 + 5):
        result = solve(
            load("minimal.json"), method=method, seed=seed, num_workers=1, time_limit=CPSAT_TIME
        )
        assert result.status.has_plan, (seed, result.reason)


def test_table_index_reads_a_plan_back_into_indices():
    """table_index inverts writing a plan out: by DinnerPlan or by member -> table mapping,
    unseated attendees and unknown tables at -1; strict names what is wrong instead."""
    problem = checked(SCENARIOS["hosts"])
    result = solve(problem, method="local", seed=0, num_workers=1)
    dinner = compiled_dinners(problem, result)[0]
    plan = result.dinners[0]
    table_of = table_index(dinner, plan, strict=True)
    assert table_of.dtype == np.int64 and (table_of >= 0).all()
    for table in plan.tables:
        for member in table.members:
            assert dinner.table_ids[table_of[dinner.member_ids.index(member)]] == table.id
    seating = {m: t.id for t in plan.tables for m in t.members}
    np.testing.assert_array_equal(table_index(dinner, seating), table_of)

    first, second = dinner.member_ids[:2]
    partial = {**seating, second: "no such table", "a guest": plan.tables[0].id}
    del partial[first]
    lenient = table_index(dinner, partial)
    assert lenient[0] == lenient[1] == -1
    np.testing.assert_array_equal(lenient[2:], table_of[2:])
    with pytest.raises(InputError, match="'no such table' is not a table"):
        table_index(dinner, {**seating, second: "no such table"}, strict=True)
    with pytest.raises(InputError, match="'a guest' at table"):
        table_index(dinner, {**seating, "a guest": plan.tables[0].id}, strict=True)
    del seating[first]
    with pytest.raises(InputError, match=f"without a seat: {first}$"):
        table_index(dinner, seating, strict=True)


def test_summary_line_calls_a_zero_bound_trivial():
    """A bound of 0 under a positive objective is no information: say so, print no gap."""
    trivial = summary_line(Result(status=Status.FEASIBLE, objective=106.0, bound=0.0))
    assert "bound 0 (trivial: no stronger bound found)" in trivial
    assert "gap" not in trivial
    proven = summary_line(Result(status=Status.FEASIBLE, objective=4.0, bound=3.0))
    assert "bound 3" in proven and "within 25.0 % of the best possible" in proven
    optimal = summary_line(Result(status=Status.OPTIMAL, objective=0.0, bound=0.0))
    assert "bound 0" in optimal and "gap 0.0 %" in optimal


@pytest.mark.parametrize("method", ["auto", "local"])
def test_a_cancelled_dinner_gets_the_plan_of_the_start(method):
    """Cancelled before the call: the local search's start (descended) is the plan, CP-SAT
    does not run, and the result says it was cancelled."""
    flag = CancelFlag()
    flag.cancel()
    problem = checked(load("small_club.json"))
    result = solve(problem, method=method, num_workers=1, time_limit=CPSAT_TIME, stop=flag)
    assert_well_formed(problem, result)
    assert result.stats["stopped"] == "cancelled" and "cancelled" in result.reason
    assert result.stats["cycles"] == 0
    assert result.stats.get("cpsat", {}).get("branches") is None


@pytest.mark.parametrize("method", ["auto", "exact"])
def test_a_dinner_out_of_time_after_the_local_search_starts_no_bound_or_proof(method):
    """Stopped before the local search ended: column generation is not started (not even
    imported): the plan comes with the cheap bound at once."""
    flag = CancelFlag()
    flag.cancel()
    problem = synthetic_club(num_members=120, num_history=10, next_attendees=60, seed=1)
    result = solve(problem, method=method, num_workers=1, time_limit=CPSAT_TIME, stop=flag)
    assert_well_formed(problem, result)
    assert result.stats["colgen"] == {"skipped": "no time left"}
    assert "exact" not in result.stats


def test_a_cancelled_cpsat_dinner_is_a_clear_timeout():
    flag = CancelFlag()
    flag.cancel()
    result = solve(load("small_club.json"), method="cpsat", num_workers=1, stop=flag)
    assert result.status is Status.UNKNOWN and not result.dinners
    assert result.reason == "cancelled before a plan was found"
    assert result.stats["stopped"] == "cancelled"


def test_a_cancel_from_the_progress_callback_of_one_dinner_keeps_its_plan():
    """A one-dinner call reports progress once, at the end; a cancel there changes nothing
    but the note in the result."""
    flag = CancelFlag()
    problem = checked(load("small_club.json"))
    result = solve(
        problem,
        method="local",
        num_workers=1,
        time_limit=CPSAT_TIME,
        progress=lambda done, total: flag.cancel(),
        stop=flag,
    )
    plain = solve(problem, method="local", num_workers=1, time_limit=CPSAT_TIME)
    assert result.dinners == plain.dinners
    assert result.stats["stopped"] == "cancelled"
