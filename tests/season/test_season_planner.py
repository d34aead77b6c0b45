"""The joint season planner: invariants, certificates, determinism, wiring into solve."""

import itertools
import threading

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from seating.compile.objective import objective, violations
from seating.compile.plans import compiled_dinners
from seating.compile.problem import check_references
from seating.errors import InputError
from seating.models import ProblemInput
from seating.result import Status
from seating.season.evaluate import evaluate
from seating.season.golf import golf_problem
from seating.season.planner import SeasonSettings, plan_season
from seating.solve import solve
from seating.stop import CancelFlag, TimeBudget

QUICK = SeasonSettings(max_iterations=300, greedy_runs=2, construction_iterations=5_000)


def assert_valid(problem: ProblemInput, result) -> None:
    """Each attendee once per dinner, every rule held, objective recomputed by the core."""
    assert result.status.has_plan
    dinners = compiled_dinners(problem, result)
    total = 0.0
    for dinner, plan in zip(dinners, result.dinners, strict=True):
        seated = [m for t in plan.tables for m in t.members]
        assert sorted(seated) == sorted(dinner.member_ids)
        assert [t.id for t in plan.tables] == list(dinner.table_ids)
        table_of = np.array(
            [
                next(k for k, t in enumerate(plan.tables) if m in t.members)
                for m in dinner.member_ids
            ]
        )
        assert violations(dinner, table_of) == []
        assert plan.objective == pytest.approx(objective(dinner, table_of))
        total += objective(dinner, table_of)
    assert result.objective == pytest.approx(total)
    if result.bound is not None:
        assert result.bound <= result.objective + 1e-9


def club(rules=None, policy=None, history=True) -> ProblemInput:
    members = [
        {"id": f"m{i}", "company": f"C{i % 7}", "industry": ["IT", "Legal", "Health"][i % 3]}
        for i in range(12)
    ]
    tables = [{"id": x, "capacity": 3, **({"host": "m0"} if x == "A" else {})} for x in "ABCD"]
    dinners = [
        {"date": "2027-01-10", "attendees": [f"m{i}" for i in range(11)], "tables": tables},
        {"date": "2027-02-10", "attendees": [f"m{i}" for i in range(12)], "tables": tables},
        {"date": "2027-03-10", "tables": [{"id": x, "capacity": 3} for x in "WXYZ"]},
    ]
    data = {
        "members": members,
        "history": [{"date": "2026-12-01", "tables": [["m1", "m2", "m3"], ["m4", "m5", "m6"]]}]
        if history
        else [],
        "dinners": dinners,
        "policy": policy or {"repeat_weight": -1.0},
        "rules": rules
        or {
            "max_per_company": 1,
            "cooldown": 1,
            "apart": [["m1", "m2"]],
        },
    }
    problem = ProblemInput.from_dict(data)
    check_references(problem)
    return problem


def test_club_season_holds_every_rule_and_cooldown_across_dinners():
    problem = club()
    result = plan_season(problem, time_limit=60, seed=1, settings=QUICK)
    assert_valid(problem, result)
    pairs = [
        {frozenset(p) for t in plan.tables for p in itertools.combinations(t.members, 2)}
        for plan in result.dinners
    ]
    for before, after in itertools.pairwise(pairs):
        assert not before & after
    assert result.method.startswith("season:")
    assert "lower_bounds" in result.stats and result.stats["repeats"] >= 0


@pytest.mark.parametrize(
    "policy",
    [
        {"repeat_weight": -0.5, "half_life": 2.0},
        {"repeat_weight": 1.0},
        {"repeat_weight": -1.0, "target_meetings": 2},
        {"repeat_weight": -1.0, "fairness": 1.0},
    ],
)
def test_every_policy_gives_a_valid_plan(policy):
    problem = club(rules={"max_per_company": 1}, policy=policy)
    result = plan_season(problem, time_limit=60, seed=2, settings=QUICK)
    assert_valid(problem, result)


def test_keep_together_and_apart_hold_all_season():
    rules = {"max_per_company": 1, "together": [["m3", "m4"]], "apart": [["m1", "m2"]]}
    problem = club(rules=rules)
    result = plan_season(problem, time_limit=60, seed=5, settings=QUICK)
    assert_valid(problem, result)
    for plan in result.dinners:
        tables = {m: t.id for t in plan.tables for m in t.members}
        assert tables["m3"] == tables["m4"] and tables["m1"] != tables["m2"]


def test_search_never_worse_than_dinner_by_dinner_start():
    problem = club(rules={"max_per_company": 1})
    result = plan_season(problem, time_limit=60, seed=3, settings=QUICK)
    start = plan_season(problem, time_limit=60, seed=3, settings=SeasonSettings(max_iterations=0))
    assert result.objective <= start.objective + 1e-9


def test_same_seed_same_plan_on_iteration_limit():
    problem = golf_problem(4, 3, 5)
    a = plan_season(problem, time_limit=600, seed=7, settings=QUICK)
    b = plan_season(problem, time_limit=600, seed=7, settings=QUICK)
    assert a.dinners == b.dinners and a.objective == b.objective


@pytest.mark.parametrize(("g", "s", "w"), [(5, 3, 7), (4, 4, 5), (3, 3, 4), (4, 4, 7)])
def test_golf_construction_is_an_optimal_certificate(g, s, w):
    problem = golf_problem(g, s, w)
    result = plan_season(problem, time_limit=600, seed=0, settings=QUICK)
    assert_valid(problem, result)
    assert result.status is Status.OPTIMAL and result.stats["certificate"]
    assert result.metrics.repeat_pairs == result.stats["lower_bounds"]["repeats"]
    assert result.method == "season:construction"


def test_longer_design_searches_find_kirkman_21():
    """KTS(21) (7-3-10): the first cyclic pass of 5,000 steps misses it; the further passes
    (other seeds, more steps, within the construction share of the time) find it."""
    problem = golf_problem(7, 3, 10)
    result = plan_season(problem, time_limit=600, seed=0, settings=QUICK)
    assert_valid(problem, result)
    assert result.metrics.repeat_pairs == 0 and result.stats["certificate"]
    assert result.stats["start"] == "construction: cyclic design"


def test_golf_search_when_no_construction():
    problem = golf_problem(3, 2, 4)  # 6 players in pairs: 5 rounds possible, no design here
    result = plan_season(problem, time_limit=600, seed=0, settings=QUICK)
    assert_valid(problem, result)
    assert result.metrics.repeat_pairs >= result.stats["lower_bounds"]["repeats"]


def test_adjacent_table_sizes():
    problem = golf_problem(3, 3, 3, players=10)
    result = plan_season(problem, time_limit=600, seed=0, settings=QUICK)
    assert_valid(problem, result)
    assert sorted(len(t.members) for t in result.dinners[0].tables) == [3, 3, 4]


def test_solve_plans_several_dinners_jointly():
    problem = golf_problem(3, 3, 4)
    result = solve(problem, time_limit=5, seed=0)
    assert_valid(problem, result)
    assert result.method.startswith("season:") and result.metrics.repeat_pairs == 0


def test_recomputed_objective_matches_evaluate():
    problem = club()
    result = plan_season(problem, time_limit=60, seed=4, settings=QUICK)
    plans = []
    for dinner, plan in zip(compiled_dinners(problem, result), result.dinners, strict=True):
        where = {m: k for k, t in enumerate(plan.tables) for m in t.members}
        plans.append(np.array([where[m] for m in dinner.member_ids]))
    assert evaluate(problem, plans).objective == pytest.approx(result.objective)


def test_bad_input():
    data = golf_problem(2, 2, 2).model_dump(mode="json")
    data["dinners"][1]["tables"] = []
    with pytest.raises(InputError, match="tables"):
        plan_season(data, time_limit=1)
    data = golf_problem(2, 2, 2).model_dump(mode="json")
    data["dinners"][1]["tables"][0]["capacity"] = 1
    with pytest.raises(InputError, match="capacity 3 is below attendance 4"):
        plan_season(data, time_limit=1)
    with pytest.raises(InputError, match="time_limit"):
        plan_season(golf_problem(2, 2, 2), time_limit=0)


@st.composite
def seasons(draw):
    n = draw(st.integers(3, 9))
    ids = [f"m{i}" for i in range(n)]
    members = [{"id": m, "company": draw(st.sampled_from([None, "A", "B"]))} for m in ids]
    dinners = []
    for k in range(draw(st.integers(2, 3))):
        present = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=n, unique=True))
        caps = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
        caps[-1] += max(0, len(present) - sum(caps)) + draw(st.integers(0, 1))
        host = draw(st.none() | st.sampled_from(present))
        tables = [{"id": f"T{t}", "capacity": c, **({"host": host} if t == 0 and host else {})}
                  for t, c in enumerate(caps)]  # fmt: skip
        dinners.append({"date": f"2027-0{k + 1}-01", "attendees": present, "tables": tables})
    rules = {
        "max_per_company": draw(st.sampled_from([None, 1, 2])),
        "cooldown": draw(st.sampled_from([None, 1])),
        "apart": draw(
            st.lists(
                st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True), max_size=1
            )
        ),
    }
    policy = {"repeat_weight": draw(st.sampled_from([-1.0, -0.5, 0.0, 1.0]))}
    return {"members": members, "dinners": dinners, "rules": rules, "policy": policy}


@settings(max_examples=25, deadline=None)
@given(seasons(), st.integers(0, 3))
def test_season_planner_properties(data, seed):
    try:
        problem = ProblemInput.from_dict(data)
        check_references(problem)
    except InputError:
        reject()
    result = plan_season(problem, time_limit=60, seed=seed, settings=QUICK, method="auto")
    if result.status.has_plan:
        assert_valid(problem, result)
        assert result.metrics.repeat_pairs >= result.stats["lower_bounds"]["repeats"]
        assert result.metrics.max_meetings >= min(1, result.stats["lower_bounds"]["max_meetings"])
    else:
        assert result.reason and result.dinners == []


def test_a_later_dinner_without_a_plan_is_no_proof_of_infeasibility():
    """Dinner 2 has no plan only because of how dinner 1 was seated (A with B would break the
    cooldown with the sequential start's choice): that is 'timeout', never 'infeasible'."""
    data = {
        "members": [{"id": "A"}, {"id": "B"}, {"id": "C"}],
        "history": [
            {"date": "2026-01-01", "tables": [["A", "C"], ["B"]]},
            {"date": "2026-02-01", "tables": [["B", "C"], ["A"]]},
        ],
        "dinners": [
            {
                "date": "2026-03-01",
                "tables": [{"id": "T1", "capacity": 2}, {"id": "T2", "capacity": 1}],
            },
            {
                "date": "2026-04-01",
                "attendees": ["A", "B"],
                "tables": [{"id": "T1", "capacity": 2}],
            },
        ],
        "rules": {"cooldown": 1},
    }
    result = plan_season(ProblemInput.from_dict(data), time_limit=5, seed=0, settings=QUICK)
    assert result.status is not Status.INFEASIBLE
    if not result.status.has_plan:
        assert "earlier dinners" in result.reason


def test_triple_weight_cost_is_tracked_exactly():
    """The convex golf surrogate: the incremental cost equals a rebuild and the per-pair sum
    C(m, 2) + weight * (meetings beyond the second)."""
    from seating.season import _tabu
    from seating.season.model import build_model
    from seating.season.planner import _greedy_start
    from seating.solvers.rng import seeded

    model = build_model(golf_problem(3, 3, 6, players=10)).with_triple_weight(4.0)
    assert not model.exact
    tab = model.seats(_greedy_start(model, 0, QUICK))
    state = model.new_state(tab)
    cost = _tabu.rebuild(model.data, state)
    ctl = np.array([0.0, cost, cost, 0.0, 0.0, 0.0])
    params = np.array([4, 14, 50, 3, 48, -np.inf])
    tabu = np.zeros((12, 12), dtype=np.int64)
    _tabu.run(model.data, state, tab.copy(), tabu, seeded(1), ctl, params, 400)
    J = state[4].copy()
    assert _tabu.rebuild(model.data, state) == pytest.approx(ctl[1])
    np.testing.assert_allclose(state[4], J, atol=1e-9)
    m = state[3][np.triu_indices(10, 1)]
    assert ctl[1] == pytest.approx((m * (m - 1) / 2 + 4.0 * np.maximum(0, m - 2)).sum())


def test_adjacent_golf_starts_from_a_design():
    problem = golf_problem(7, 7, 10, players=50)
    settings = SeasonSettings(max_iterations=30_000, construction_iterations=5_000)
    result = plan_season(problem, time_limit=600, seed=0, settings=settings)
    assert_valid(problem, result)
    assert "affine plane" in result.stats["start"] and "extra player" in result.stats["start"]
    # The target: at most 325 repeats (bound 315), no pair meeting three times.
    assert result.metrics.repeat_pairs <= 325 and result.metrics.max_meetings <= 2


def test_joint_fallback_when_a_later_dinner_has_no_sequential_plan():
    """The sequential start seats A with C at dinner 1 only by chance; when it seats A with B
    the core finds no plan for dinner 2 (cooldown). The joint search from a plan that ignores
    the rules must then find the plan that exists: {A, C} {B}, then {A, B}."""
    data = {
        "members": [{"id": "A"}, {"id": "B"}, {"id": "C"}],
        "history": [{"date": "2026-02-01", "tables": [["B", "C"], ["A"]]}],
        "dinners": [
            {
                "date": "2026-03-01",
                "tables": [{"id": "T1", "capacity": 2}, {"id": "T2", "capacity": 1}],
            },
            {
                "date": "2026-04-01",
                "attendees": ["A", "B"],
                "tables": [{"id": "T1", "capacity": 2}],
            },
        ],
        "rules": {"cooldown": 1},
    }
    problem = ProblemInput.from_dict(data)
    for seed in range(4):
        result = plan_season(problem, time_limit=5, seed=seed, settings=QUICK)
        assert_valid(problem, result)
        first = {frozenset(t.members) for t in result.dinners[0].tables}
        assert frozenset({"A", "C"}) in first


def test_construction_searches_stop_at_the_deadline(monkeypatch):
    """10-10-11 has no design here: the cyclic searches near the bound (five of 30 000 steps
    without a deadline) stop at the deadline, on a controlled clock where each compiled piece
    'takes' 0.3 s; the start then comes from 2 MOLS(10) at once, as with no time left at all."""
    from seating.season.constructions import cyclic as _cyclic
    from seating.season.model import build_model
    from seating.season.planner import _construction_start, golf_shape

    problem = golf_problem(10, 10, 11)
    model, caps = build_model(problem), golf_shape(problem)
    now = [0.0]
    steps = _cyclic._steps

    def piece(*args):
        now[0] += 0.3
        return steps(*args)

    monkeypatch.setattr(_cyclic, "_steps", piece)
    settings = SeasonSettings(greedy_runs=1)
    stop = TimeBudget(1.0, clock=lambda: now[0])
    built = _construction_start(model, caps, 0, settings, stop=stop)
    assert built is not None and "Latin squares" in built[1] and "for 4 dinners" in built[1]
    assert now[0] == pytest.approx(1.2)  # four pieces, then no search starts
    now[0] = 5.0
    late = _construction_start(model, caps, 0, settings, stop=stop)
    assert late is not None and late[1] == built[1] and now[0] == 5.0


# -- the time limit is the whole call; a cancel returns the best plan so far -------------------


def test_the_budget_is_the_whole_season_not_each_dinner(monkeypatch):
    """On a fake clock where each annealing 'takes' 3 s, a season given 3 s for the whole
    call anneals once: the first dinner spends the budget, the later dinners get the local
    search's start, and no later phase (restarts, re-seating, tabu search) runs. With a
    budget per dinner each dinner would anneal."""
    from seating.solvers.local import search as local

    now = [0.0]
    annealings = []
    real_search = local._kernel.search

    def slow_annealing(D, start, seed, iterations, *rest):
        if iterations > 0:  # a descent alone (the start, the final polish) is free
            annealings.append(iterations)
            now[0] += 3.0
        return real_search(D, start, seed, iterations, *rest)

    monkeypatch.setattr(local._kernel, "search", slow_annealing)
    problem = club()
    result = plan_season(
        problem, time_limit=600, seed=0, stop=TimeBudget(3.0, clock=lambda: now[0])
    )
    assert_valid(problem, result)
    assert len(annealings) == 1
    assert result.stats["stopped"] == "time limit" and "search" not in result.stats
    assert result.reason is None  # a time limit is no cancel


def test_a_cancel_after_the_first_dinner_gives_a_whole_plan():
    """Cancelled from the progress callback after the first dinner of the start: every dinner
    still gets a plan that holds the rules, the result says it was cancelled, and no phase
    after the start runs."""
    problem = club()
    flag = CancelFlag()
    done = []

    def progress(k: int, total: int) -> None:
        done.append(k)
        if k == 1:
            flag.cancel()

    result = solve(problem, time_limit=600, seed=0, progress=progress, stop=flag)
    assert_valid(problem, result)
    assert done == [1, 2, 3]
    assert result.stats["stopped"] == "cancelled" and "cancelled" in result.reason
    assert "search" not in result.stats and "starts" not in result.stats


def test_a_cancel_from_another_thread_returns_the_best_plan_so_far():
    """A long golf season (600 s) cancelled from another thread: the search ends at its next
    check and returns a plan at least as good as its start."""
    problem = golf_problem(5, 4, 8)
    flag = CancelFlag()
    box = {}
    worker = threading.Thread(
        target=lambda: box.update(result=plan_season(problem, time_limit=600, seed=0, stop=flag))
    )
    worker.start()
    flag.cancel()
    worker.join()
    result = box["result"]
    assert_valid(problem, result)
    assert result.stats["stopped"] == "cancelled"


def test_a_cancelled_cpsat_season_says_so():
    """CP-SAT cannot seat a dinner once cancelled: no plan, a status and a reason saying so."""
    flag = CancelFlag()
    flag.cancel()
    result = plan_season(club(), time_limit=600, seed=0, method="cpsat", stop=flag)
    assert result.status is Status.UNKNOWN and not result.dinners
    assert "cancelled" in result.reason and result.stats["stopped"] == "cancelled"


def test_solve_gives_a_season_its_time_limit_once(monkeypatch):
    """``solve`` passes a season its time limit as it is (not times the dinners), with the
    criterion of the whole call."""
    from seating.season import planner

    seen = {}

    def fake_plan_season(problem, **kwargs):
        seen.update(kwargs)
        return planner.Result(status=Status.UNKNOWN, reason="not planned")

    monkeypatch.setattr(planner, "plan_season", fake_plan_season)
    flag = CancelFlag()
    solve(club(), time_limit=7, seed=0, stop=flag)
    assert seen["time_limit"] == 7
    assert flag in seen["stop"].criteria and seen["stop"].remaining() <= 7
