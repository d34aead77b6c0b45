"""Block-coordinate descent: one dinner's share of the season objective, exactly."""

import numpy as np
import pytest
from test_season_planner import club

from seating.compile.bounds import fewest_mates
from seating.compile.objective import objective, violations
from seating.compile.problem import compile_dinner
from seating.season import blocks
from seating.season.constructions.designs import max_rounds
from seating.season.evaluate import evaluate
from seating.season.golf import golf_problem
from seating.season.model import build_model
from seating.season.planner import (
    SeasonSettings,
    _construction_start,
    _sequential_start,
    golf_shape,
)


def random_plans(model, rng) -> list[np.ndarray]:
    """A random seating of every dinner within the table capacities (rules ignored)."""
    plans = []
    for dinner in model.dinners:
        seats = np.repeat(np.arange(dinner.num_tables), dinner.capacity)
        plans.append(rng.permutation(seats)[: dinner.num_attendees])
    return plans


POLICIES = [
    {"repeat_weight": -1.0},
    {"repeat_weight": 0.5},
    {"repeat_weight": -0.7, "half_life": 2.0},
]


def _assert_dinner_shares_follow_the_season(problem, model, rng) -> None:
    """On 20 random seasons: a dinner's plan, given the others, breaks a rule exactly when the
    season does, and changing one dinner changes its share of the objective as much as the
    season objective."""
    for _ in range(20):
        plans = random_plans(model, rng)
        G = blocks.groups_of(model, plans)
        season = evaluate(problem, plans)
        given = [blocks.dinner_given_others(model, G, d) for d in range(model.num_dinners)]
        broken = any(violations(p, plan) for p, plan in zip(given, plans, strict=True))
        assert broken == (not season.feasible)
        d = int(rng.integers(model.num_dinners))
        other = random_plans(model, rng)[d]
        changed = [*plans[:d], other, *plans[d + 1 :]]
        expected = evaluate(problem, changed).objective - season.objective
        assert objective(given[d], other) - objective(given[d], plans[d]) == pytest.approx(
            expected, abs=1e-9
        )


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("cooldown", [None, 1, 2])
def test_dinner_share_changes_like_the_season_objective(policy, cooldown):
    """Re-seating dinner d changes the season objective (recomputed by the core, dinner by
    dinner) by exactly the change of d's single-dinner objective given the other dinners; and
    the season breaks a rule exactly when some dinner's given-others problem does."""
    rules = {"max_per_company": 1, "cooldown": cooldown, "apart": [["m1", "m2"]],
             "together": [["m5", "m6"]]}  # fmt: skip
    problem = club(rules=rules, policy=policy)
    model = build_model(problem)
    assert blocks.decomposable(model, problem)
    _assert_dinner_shares_follow_the_season(problem, model, np.random.default_rng(0))


def with_courses(problem):
    """``problem`` with its first two dinners the two courses of one evening and a history
    whose last evening had two courses."""
    dinners = [*problem.dinners]
    dinners[1] = dinners[1].model_copy(update={"date": dinners[0].date})
    dessert = problem.history[0].model_copy(update={"tables": [["m1", "m4"], ["m2", "m5"]]})
    return problem.model_copy(update={"dinners": dinners, "history": [*problem.history, dessert]})


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("cooldown", [None, 1, 2])
def test_dinner_share_of_courses_changes_like_the_season_objective(policy, cooldown):
    """As above with courses: the model ages meetings by evening, as the core does."""
    rules = {"max_per_company": 1, "cooldown": cooldown, "apart": [["m1", "m2"]]}
    problem = with_courses(club(rules=rules, policy=policy))
    model = build_model(problem)
    assert blocks.decomposable(model, problem)
    assert model.evening.tolist() == [0, 0, 1]
    _assert_dinner_shares_follow_the_season(problem, model, np.random.default_rng(1))


@pytest.mark.parametrize("policy", POLICIES)
def test_season_kernel_cost_of_courses_is_the_season_objective(policy):
    """The compiled search's cost of a plan that holds every rule is the season objective
    (the model is exact), with two courses of one evening and a half-life."""
    from seating.season import _tabu

    problem = with_courses(club(rules={"max_per_company": None}, policy=policy))
    model = build_model(problem)
    assert model.exact
    rng = np.random.default_rng(2)
    for _ in range(5):
        plans = random_plans(model, rng)
        for dinner, table_of in zip(model.dinners, plans, strict=True):
            for host in np.nonzero(dinner.host_table >= 0)[0]:  # hosts at their tables
                there = np.nonzero(table_of == dinner.host_table[host])[0][0]
                table_of[[host, there]] = table_of[[there, host]]
        season = evaluate(problem, plans)
        assert season.feasible
        cost = _tabu.rebuild(model.data, model.new_state(model.seats(plans)))
        assert cost == pytest.approx(season.objective + model.together_constant, abs=1e-9)


def test_not_decomposable_with_target_or_fairness():
    for policy in ({"repeat_weight": -1.0, "target_meetings": 2}, {"fairness": 1.0}):
        problem = club(policy=policy)
        assert not blocks.decomposable(build_model(problem), problem)


def test_not_decomposable_when_dinners_are_out_of_date_order():
    """The core reads ages and cooldown windows in date order, not in plan order."""
    problem = club()
    assert blocks.decomposable(build_model(problem), problem)
    shuffled = problem.model_copy(update={"dinners": problem.dinners[::-1]})
    assert not blocks.decomposable(build_model(shuffled), shuffled)


def test_descend_keeps_rules_and_never_worsens():
    problem = club(rules={"max_per_company": 1, "cooldown": 1})
    model = build_model(problem)
    rng = np.random.default_rng(3)
    plans, failure = _sequential_start(problem, "local", 1.0, 0, 1, None)
    assert failure is None
    before = evaluate(problem, plans)
    assert before.feasible
    after_plans, stats = blocks.descend(
        model, plans, seed=int(rng.integers(100)), slice_s=0.05, max_rounds=3,
    )  # fmt: skip
    after = evaluate(problem, after_plans)
    assert after.feasible
    assert after.objective <= before.objective + 1e-9
    assert after.objective == pytest.approx(before.objective - stats.gain)


def test_lookahead_weights_only_for_pairs_meeting_later():
    problem = club(rules={"max_per_company": 1})
    model = build_model(problem)
    extra = blocks.lookahead_weights(model, 0, [1, 2], 1.0)
    assert extra.shape == (model.dinners[0].num_attendees,) * 2
    assert np.allclose(extra, extra.T) and (np.diag(extra) == 0).all()
    # Everybody of dinner 0 attends dinners 1 and 2 here: every pair gets the same cost.
    off = extra[~np.eye(len(extra), dtype=bool)]
    assert off.min() > 0 and np.allclose(off, off[0])
    assert not blocks.lookahead_weights(model, 2, [], 1.0).any()


@pytest.mark.parametrize("w", [5, 8])
def test_short_construction_prefix_is_used(w):
    """10-10-5 .. 10-10-8: no design for w dinners here, but 2 MOLS(10) give 4 of them."""
    problem = golf_problem(10, 10, w)
    model = build_model(problem)
    caps = golf_shape(problem)
    assert max_rounds(10, 10) - 2 > 4
    settings = SeasonSettings(construction_iterations=200, greedy_runs=1)
    built = _construction_start(model, caps, 0, settings)
    assert built is not None
    plans, name = built
    assert "Latin squares" in name and "for 4 dinners" in name
    season = evaluate(problem, plans)
    assert season.feasible
    assert season.objectives[:4] == [0.0] * 4


def test_fewest_mates_is_attained_and_never_beaten():
    """Against every seating of a tiny dinner: nobody has fewer mates, and the figure is
    reached (a host pinned, a keep-together group of three)."""
    problem = club(rules={"together": [["m3", "m4", "m5"]]})
    dinner = compile_dinner(problem, 0)  # 11 attendees, 4 tables of 3, m0 hosts table A
    low = fewest_mates(dinner)
    n, T = dinner.num_attendees, dinner.num_tables
    seen = np.full(n, n, dtype=np.int64)
    rng = np.random.default_rng(1)
    (group,) = dinner.groups
    rest = np.setdiff1d(np.arange(n), group)
    for _ in range(3000):
        # The group at one table, everybody else at random seats.
        table_of = np.empty(n, dtype=np.int64)
        table_of[group] = rng.integers(T)
        room = dinner.capacity - np.bincount(table_of[group], minlength=T)
        table_of[rest] = rng.permutation(np.repeat(np.arange(T), room))[: rest.size]
        if violations(dinner, table_of):
            continue
        mates = np.bincount(table_of, minlength=T)[table_of] - 1
        assert (mates >= low).all()
        seen = np.minimum(seen, mates)
    assert (seen == low).all()
    # 11 attendees at 12 seats: every table holds at least 2; the group of 3 sits together.
    assert low.tolist() == [1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1]
