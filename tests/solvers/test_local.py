"""The local search: always a feasible plan where it returns one, deterministic per seed."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest

from helpers import FAST, SCENARIOS, base_problem, brute_force, checked, compiled, load
from seating.compile.objective import objective, violations
from seating.compile.problem import compile_dinner
from seating.models import ProblemInput
from seating.policies.synthetic import synthetic_club
from seating.result import Status
from seating.solvers.local import search as local
from seating.solvers.local.search import (
    LocalSearchSettings,
    build_units,
    roomiest_first,
    solve_local,
)
from seating.stop import CancelFlag, NoImprovement, TimeBudget


@pytest.mark.parametrize("data", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_local_plan_is_feasible_and_its_objective_recomputed(data):
    """On every brute-forced scenario: a feasible plan, objective = objective(plan) >= optimum."""
    p = compiled(data)
    exact = brute_force(p)
    outcome = solve_local(p, seed=5, settings=FAST)
    assert outcome.status is Status.FEASIBLE
    assert outcome.method == "local" and outcome.bound is None
    assert outcome.table_of.shape == (p.num_attendees,)
    assert violations(p, outcome.table_of) == []
    assert outcome.objective == objective(p, outcome.table_of)
    assert outcome.objective >= exact.best - 1e-9
    assert outcome.stats["cycles"] <= FAST.max_cycles


@pytest.mark.parametrize("name", ["everything", "fairness", "company_limit", "together_with_host"])
def test_same_seed_same_plan(name):
    """The same seed gives the same plan (the search stops on iteration counts here)."""
    p = compiled(SCENARIOS[name])
    first = solve_local(p, seed=11, settings=FAST)
    for _ in range(2):
        again = solve_local(p, seed=11, settings=FAST)
        np.testing.assert_array_equal(again.table_of, first.table_of)
        assert again.objective == first.objective


def test_start_from_a_feasible_plan_never_gets_worse():
    """Started from a feasible plan, the search returns one at least as good."""
    p = compiled(SCENARIOS["everything"])
    exact = brute_force(p)
    worst = exact.plans[exact.feasible][int(np.argmax(exact.values))]
    outcome = solve_local(p, seed=0, initial=worst, settings=FAST)
    assert outcome.status is Status.FEASIBLE
    assert outcome.objective <= objective(p, worst) + 1e-9


def test_unusable_start_is_replaced():
    """A start that overfills a table or names no table is ignored, not trusted."""
    p = compiled(SCENARIOS["hosts"])
    for start in (np.zeros(p.num_attendees, dtype=np.int64), np.full(p.num_attendees, 9)):
        outcome = solve_local(p, seed=0, initial=start, settings=FAST)
        assert outcome.status is Status.FEASIBLE
        assert violations(p, outcome.table_of) == []


def test_partial_start_seats_the_rest():
    """-1 in the start means 'not seated yet': those attendees are placed by the search."""
    p = compiled(SCENARIOS["unequal_tables_spare_seats"])
    start = np.full(p.num_attendees, -1, dtype=np.int64)
    start[:2] = [0, 1]
    outcome = solve_local(p, seed=0, initial=start, settings=FAST)
    assert outcome.status is Status.FEASIBLE
    assert violations(p, outcome.table_of) == []


def test_greedy_and_descent_alone_give_a_feasible_plan():
    """Zero annealing steps: the greedy start plus descent still holds every rule."""
    p = compiled(load("small_club.json"))
    settings = LocalSearchSettings(max_cycles=1, iterations_per_unit=0)
    outcome = solve_local(p, seed=0, settings=settings)
    assert outcome.status is Status.FEASIBLE
    assert violations(p, outcome.table_of) == []


def test_single_table_and_everyone_pinned():
    """Nothing to move (one table; or only hosts): the plan is returned as is."""
    one = compiled(base_problem(4, (4,)))
    outcome = solve_local(one, seed=0, settings=FAST)
    assert outcome.status is Status.FEASIBLE and outcome.table_of.tolist() == [0, 0, 0, 0]
    pinned = base_problem(2, (1, 1))
    pinned["dinners"][0]["tables"][0]["host"] = "m2"
    pinned["dinners"][0]["tables"][1]["host"] = "m1"
    outcome = solve_local(compiled(pinned), seed=0, settings=FAST)
    assert outcome.table_of.tolist() == [1, 0]


def test_two_hosts_in_one_group_gives_no_plan():
    """The local search cannot prove infeasibility; it reports no plan and why."""
    data = base_problem(4, (2, 2))
    data["dinners"][0]["tables"][0]["host"] = "m1"
    data["dinners"][0]["tables"][1]["host"] = "m2"
    data["rules"] = {"together": [["m1", "m2"]]}
    outcome = solve_local(compiled(data), seed=0, settings=FAST)
    assert outcome.status is Status.UNKNOWN
    assert outcome.table_of is None and outcome.objective is None
    assert "two hosts" in outcome.stats["reason"]


def test_units_group_members_and_pin_hosted_groups():
    """Keep-together groups become one unit; a group holding a host is fixed to its table."""
    p = compiled(SCENARIOS["together_with_host"])
    units = build_units(p)
    assert units.count == p.num_attendees - 1
    assert units.start.tolist() == np.concatenate(([0], np.cumsum(units.size))).tolist()
    assert sorted(units.members.tolist()) == list(range(p.num_attendees))
    i7, i8 = p.member_ids.index("m7"), p.member_ids.index("m8")
    assert units.of_member[i7] == units.of_member[i8]
    assert units.fixed[units.of_member[i7]] == 1
    assert (units.fixed >= 0).sum() == 1


def test_infeasible_rules_give_no_plan_never_a_broken_one():
    """When no plan holds the rules the local search returns none (status timeout)."""
    data = base_problem(4, (4,))
    data["history"] = [{"date": "2026-11-01", "tables": [["m1", "m2"]]}]
    data["rules"] = {"cooldown": 1}
    outcome = solve_local(compiled(data), seed=0, settings=FAST)
    assert outcome.status is Status.UNKNOWN
    assert outcome.table_of is None
    assert "breaks a rule" in outcome.stats["reason"]


def test_groups_that_pack_only_largest_first():
    """Groups of 2, 2 and 3 at tables of 4 and 3 fit (2+2 | 3): the heuristic must find it."""
    data = base_problem(7, (4, 3))
    data["rules"] = {"together": [["m1", "m2"], ["m3", "m4"], ["m5", "m6", "m7"]]}
    p = compiled(data)
    assert brute_force(p).is_feasible
    outcome = solve_local(p, seed=0, settings=FAST)
    assert outcome.status is Status.FEASIBLE


def test_groups_listed_smallest_first_are_seated_largest_first():
    """Groups of 2, 2, 2 and 3 (listed in that order) at tables of 5 and 4 fit only if the 3
    is seated first, at the table of 5. The search's own start seats larger units first, so it
    needs no packed start (it takes the roomier table on a tie of costs)."""
    data = base_problem(9, (5, 4))
    data["rules"] = {
        "together": [["m1", "m2"], ["m3", "m4"], ["m5", "m6"], ["m7", "m8", "m9"]],
    }
    p = compiled(data)
    outcome = solve_local(p, seed=0, settings=FAST)
    assert outcome.status is Status.FEASIBLE
    assert violations(p, outcome.table_of) == []
    assert outcome.table_of[p.member_ids.index("m7")] == 0


def test_settings_time_limit_is_honoured():
    """A settings object with time_limit 0 is out of time before the first cycle, like
    time_limit=0: the start and a descent only, still a plan."""
    p = compiled(SCENARIOS["avoid_repeats"])
    many = LocalSearchSettings(time_limit=0.0, max_cycles=40, patience=40, iterations_per_unit=5)
    outcome = solve_local(p, seed=0, settings=many)
    assert outcome.stats["cycles"] == 0 and outcome.stats["stopped"] == "time limit"
    assert outcome.status is Status.FEASIBLE


def test_time_limit_argument_zero_gives_the_start_after_a_descent():
    """time_limit=0 (the argument): no annealing, no tabu search; the greedy start, descended
    to a local optimum, is the plan."""
    p = compiled(SCENARIOS["avoid_repeats"])
    many = LocalSearchSettings(max_cycles=40, patience=40, iterations_per_unit=5)
    outcome = solve_local(p, seed=0, time_limit=0.0, settings=many)
    assert outcome.stats["cycles"] == 0
    assert outcome.stats["iterations"] == 0 and outcome.stats["tabu_steps"] == 0
    assert outcome.status is Status.FEASIBLE
    assert violations(p, outcome.table_of) == []
    assert outcome.objective == objective(p, outcome.table_of)


def test_a_cancelled_flag_still_gives_a_plan_from_the_start():
    """Cancelled before it starts, the search returns its start (descended), says why, and
    the same plan as when out of time."""
    p = compiled(SCENARIOS["avoid_repeats"])
    flag = CancelFlag()
    flag.cancel()
    outcome = solve_local(p, seed=0, stop=flag)
    assert outcome.status is Status.FEASIBLE and outcome.stats["stopped"] == "cancelled"
    assert outcome.stats["cycles"] == 0
    timed_out = solve_local(p, seed=0, time_limit=0.0)
    assert np.array_equal(outcome.table_of, timed_out.table_of)


def test_a_cancel_during_the_search_ends_it_after_the_cycle(monkeypatch):
    """A cancel set while a cycle runs (here from inside its tabu search, as another thread
    would) ends the search at the next check: one cycle, the plan of that cycle."""
    flag = CancelFlag()
    real_tabu = local._kernel.tabu

    def cancelling_tabu(*args):
        flag.cancel()
        return real_tabu(*args)

    monkeypatch.setattr(local._kernel, "tabu", cancelling_tabu)
    p = compiled(SCENARIOS["avoid_repeats"])
    many = LocalSearchSettings(max_cycles=40, patience=40, iterations_per_unit=5, tabu_steps=5)
    outcome = solve_local(p, seed=0, settings=many, stop=flag)
    assert outcome.stats["cycles"] == 1 and outcome.stats["stopped"] == "cancelled"
    assert outcome.status is Status.FEASIBLE
    assert violations(p, outcome.table_of) == []


def test_no_improvement_counts_cycles():
    """A NoImprovement criterion sees one check per cycle: with patience 40 in the settings,
    NoImprovement(2) ends the search two cycles after its last better plan."""
    p = compiled(SCENARIOS["avoid_repeats"])
    many = LocalSearchSettings(max_cycles=40, patience=40, iterations_per_unit=5, tabu_steps=5)
    outcome = solve_local(p, seed=0, settings=many, stop=NoImprovement(2))
    assert outcome.stats["stopped"] == "no improvement"
    assert 3 <= outcome.stats["cycles"] < 40


def test_patience_and_max_cycles_stop_the_search():
    """Without improvement the search stops after `patience` cycles; never beyond max_cycles."""
    p = compiled(SCENARIOS["avoid_repeats"])
    outcome = solve_local(
        p, seed=0, settings=LocalSearchSettings(max_cycles=50, patience=2, iterations_per_unit=50)
    )
    assert outcome.stats["cycles"] < 50
    capped = solve_local(
        p, seed=0, settings=LocalSearchSettings(max_cycles=3, patience=99, iterations_per_unit=50)
    )
    assert capped.stats["cycles"] <= 3
    assert capped.stats["iterations"] == capped.stats["cycles"] * 50 * capped.stats["units"]


def test_no_cycle_starts_that_would_end_past_the_limit(monkeypatch):
    """The limit is a limit: the search stops before a cycle that, as long as the last one,
    would end past it. A fake clock makes every cycle last 1 s: with 2.5 s, 2 cycles run
    (the third would end at 3 s), where stopping only once past the limit ran 3."""
    clock = [0.0]
    real_tabu = local._kernel.tabu

    def one_second_tabu(*args):
        clock[0] += 1.0
        return real_tabu(*args)

    monkeypatch.setattr(local._kernel, "tabu", one_second_tabu)
    p = compiled(SCENARIOS["avoid_repeats"])
    many = LocalSearchSettings(max_cycles=40, patience=40, iterations_per_unit=5, tabu_steps=5)
    stop = TimeBudget(2.5, clock=lambda: clock[0])
    outcome = solve_local(p, seed=0, settings=many, stop=stop)
    assert outcome.stats["cycles"] == 2 and outcome.stats["stopped"] == "time limit"
    assert clock[0] <= 2.5


def test_default_patience_follows_the_length_of_a_cycle():
    """``patience=None``: 2 cycles without a better plan when a cycle's tabu search is long
    (at least 300 steps per unit), else 4; a number given is used as it is."""
    from seating.solvers.local.search import _patience

    units = build_units(compiled(SCENARIOS["avoid_repeats"]))
    auto = LocalSearchSettings()
    assert auto.patience is None
    assert _patience(units, 300 * units.count, auto) == 2
    assert _patience(units, 300 * units.count - 1, auto) == 4
    assert _patience(units, 0, auto) == 4
    assert _patience(units, 10**9, LocalSearchSettings(patience=7)) == 7


_WARM_UP = """
from seating.solvers.local._kernel import annealing, tabu_search
from seating.solvers.local.search import warm_up

entries = (annealing.search_singles, annealing.search_general,
           tabu_search.tabu_singles, tabu_search.tabu_general)
warm_up()
print([len(entry.signatures) for entry in entries])
"""


def test_warm_up_compiles_both_paths():
    """``warm_up`` (run by ``make`` after installing) plans its two tiny dinners, one on each
    path, so that both entry points of the annealing and of the tabu search are compiled
    (or loaded from the cache) before the first real command. In a fresh process: in this
    one, earlier tests have compiled them already."""
    proc = subprocess.run(
        [sys.executable, "-c", _WARM_UP], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[-2] == "[1, 1, 1, 1]"


_HUGE_TABLE = """
from seating import solve
data = {"members": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
        "dinners": [{"date": "2026-12-03", "tables": [{"id": "T1", "capacity": 1_000_000_000},
                                                      {"id": "T2", "capacity": 2}]}]}
print(solve(data, method="local", num_workers=1, time_limit=30).status.value)
"""


def _limit_memory() -> None:
    import resource

    four_gib = 4 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (four_gib, four_gib))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is Linux-only")
def test_huge_table_capacity_needs_no_memory_of_that_size():
    """A very large capacity (a standing reception) costs memory for attendees, not for seats.

    Run in a subprocess capped at 4 GiB of address space, so the bug cannot exhaust the machine.
    """
    proc = subprocess.run(
        [sys.executable, "-c", _HUGE_TABLE],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=_limit_memory,
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.strip() in ("optimal", "feasible")


def _hosted_groups_problem():
    """Hosts at tables of 6 and 5 (5 and 4 seats free); groups of 3, 2, 2 and 2 fit only with
    the 3 at host A's table. The 3 met host A at five dinners, so best insertion (avoid
    repeats) sends it to host B's table, where it leaves one seat and no pair fits."""
    members = ["hA", "hB", "g1", "g2", "g3", "p1", "p2", "q1", "q2", "r1", "r2"]
    data = {
        "members": [{"id": m} for m in members],
        "history": [
            {"date": f"2026-0{k}-01", "tables": [["hA", "g1", "g2", "g3"]]} for k in range(1, 6)
        ],
        "dinners": [
            {
                "date": "2027-01-07",
                "tables": [
                    {"id": "A", "capacity": 6, "host": "hA"},
                    {"id": "B", "capacity": 5, "host": "hB"},
                ],
            }
        ],
        "rules": {"together": [["g1", "g2", "g3"], ["p1", "p2"], ["q1", "q2"], ["r1", "r2"]]},
    }
    return compile_dinner(ProblemInput.from_dict(data), 0)


def test_kernel_start_finds_no_room_for_these_groups():
    """Why :func:`roomiest_first` exists: the kernel's own start (cheapest table, then best
    fit) leaves a group without a table here."""
    p = _hosted_groups_problem()
    units = build_units(p)
    data = local._kernel_data(p, units, local._penalty(p))
    out = np.empty(units.count, dtype=np.int64)
    start = np.full(units.count, -1, dtype=np.int64)
    assert not np.isfinite(local._kernel.search(data, start, 0, 0, 1.0, 1.0, out))


def test_roomiest_first_packs_every_group_within_capacity():
    p = _hosted_groups_problem()
    units = build_units(p)
    start = roomiest_first(p, units)
    assert start is not None and (start >= 0).all()
    seated = np.bincount(start, weights=units.size, minlength=p.num_tables)
    assert (seated <= p.capacity).all()
    assert (start[units.fixed >= 0] == units.fixed[units.fixed >= 0]).all()


@pytest.mark.parametrize("cycles", [1, 2])
def test_search_falls_back_to_roomiest_first_and_seats_every_group(cycles):
    """Also with a single cycle: the failed start is not a cycle of its own."""
    p = _hosted_groups_problem()
    settings = LocalSearchSettings(max_cycles=cycles, iterations_per_unit=200)
    outcome = solve_local(p, seed=0, settings=settings)
    assert outcome.status is Status.FEASIBLE
    assert outcome.stats["cycles"] == cycles
    assert violations(p, outcome.table_of) == []
    # Every group whole, at one table.
    for group in p.groups:
        assert len(set(outcome.table_of[group].tolist())) == 1


def test_roomiest_first_refuses_when_a_group_fits_nowhere():
    p = _hosted_groups_problem()
    units = build_units(p)
    tight = dataclasses.replace(p, capacity=np.array([3, 3]))
    assert roomiest_first(tight, units) is None


def _frozen():
    return 100.0  # a clock that never moves: a grace on it never ends


def test_the_first_plans_descent_runs_on_in_the_grace_and_is_cut_without_one():
    """Out of time before the first cycle: with a grace left (on a clock that never moves)
    the start is descended to a local optimum; without one the descent is cut at once and
    the plan is the start, repaired only where it breaks a rule (seating.stop: the grace)."""
    p = compiled(SCENARIOS["avoid_repeats"])
    club = synthetic_club(
        num_members=120, num_history=16, next_attendees=80, table_sizes=(8,), num_hosts=2, seed=0
    )
    big = compile_dinner(checked(club), 0)
    for dinner in (p, big):
        graced = solve_local(dinner, seed=0, stop=TimeBudget(0.0, clock=_frozen, grace=1.0))
        cut = solve_local(dinner, seed=0, stop=TimeBudget(0.0, clock=_frozen))
        for outcome in (graced, cut):
            assert outcome.status is Status.FEASIBLE and outcome.stats["cycles"] == 0
            assert violations(dinner, outcome.table_of) == []
        # A local optimum: descending it again (uncut) gains nothing.
        units = build_units(dinner)
        data = local._kernel_data(dinner, units, local._penalty(dinner))
        plan = graced.table_of[units.members[units.start[:-1]]].astype(np.int64)
        data[-1][0] = 1
        assert local._repair(data, plan) == pytest.approx(graced.objective)
    assert graced.objective < cut.objective  # on the 80-attendee dinner the descent pays


def test_the_grace_leaves_plans_without_a_time_limit_unchanged():
    """A grace only acts once a deadline has passed: iteration limits give the same plan."""
    p = compiled(SCENARIOS["avoid_repeats"])
    few = LocalSearchSettings(max_cycles=3, patience=3, iterations_per_unit=5)
    plain = solve_local(p, seed=4, settings=few)
    graced = solve_local(p, seed=4, settings=few, stop=TimeBudget(1e6, grace=0.5))
    np.testing.assert_array_equal(plain.table_of, graced.table_of)
