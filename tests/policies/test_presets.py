"""Policy presets: names, policies, circles, and one clear error per bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from seating.compile.objective import violations
from seating.compile.problem import check_references, compile_dinner
from seating.errors import InputError
from seating.models import Dinner, Member, PastDinner, Policy, ProblemInput, Rules, Table
from seating.policies.presets import (
    PRESET_NAMES,
    Circles,
    Preset,
    assign_circles,
    clash,
    get_preset,
    resolve,
)
from seating.solvers.local.search import LocalSearchSettings, solve_local

FAST = LocalSearchSettings(time_limit=1e9, max_cycles=2, iterations_per_unit=200)


def members(n: int, companies: int | None = None) -> list[Member]:
    companies = companies or n
    return [Member(id=f"m{i:02d}", company=f"C{i % companies}") for i in range(n)]


def test_every_preset_resolves():
    for name in PRESET_NAMES:
        preset = get_preset(name)
        assert isinstance(preset, Preset) and preset.summary
    assert get_preset("rotate").policy == Policy(repeat_weight=-1.0)
    assert get_preset("deepen").policy == Policy(repeat_weight=1.0)
    deep = get_preset("deepen-to-k")
    assert deep.name == "deepen-to-5"
    assert deep.policy.target_meetings == 5 and deep.policy.repeat_weight == 1.0
    assert get_preset("circles").circle_size == 4
    assert get_preset("circles").policy.repeat_weight == -1.0
    assert get_preset("random").policy is None
    assert not get_preset("random").uses_solver and get_preset("rotate").uses_solver


def test_deepen_to_k_parameter_and_name():
    assert get_preset("deepen-to-k", k=3).policy.target_meetings == 3
    assert get_preset("deepen-to-7").policy.target_meetings == 7
    assert get_preset(" Deepen-To-K ").name == "deepen-to-5"
    assert get_preset("circles", circle_size=3).circle_size == 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: get_preset("rotation"), "unknown preset 'rotation'"),
        (lambda: get_preset(""), "unknown preset"),
        (lambda: get_preset("deepen-to-k", k=0), "k: target meetings"),
        (lambda: get_preset("deepen-to-k", k=-2), "k: target meetings"),
        (lambda: get_preset("deepen-to-0"), "k: target meetings"),
        (lambda: get_preset("deepen-to-k", k=2.5), "k: target meetings"),
        (lambda: get_preset("circles", circle_size=1), "circle_size"),
        (lambda: get_preset(5), "expected a preset name"),
        (lambda: resolve("nope"), "unknown preset 'nope'"),
        (lambda: assign_circles(members(4), 1), "circle_size"),
    ],
)
def test_bad_input_is_one_clear_error(call, message):
    with pytest.raises(InputError, match=message) as info:
        call()
    assert "\n" not in str(info.value)


def test_unknown_preset_lists_the_choices():
    with pytest.raises(InputError) as info:
        get_preset("meet-everyone")
    for name in PRESET_NAMES:
        assert name in str(info.value)


def test_resolve_accepts_presets_and_policies():
    preset = get_preset("deepen")
    assert resolve(preset) is preset
    custom = resolve(Policy(repeat_weight=-0.5, half_life=6))
    assert custom.policy.repeat_weight == -0.5 and custom.uses_solver
    assert custom.name == "policy(-0.5, half_life=6)"
    assert resolve("deepen-to-k", k=4).policy.target_meetings == 4


def test_circles_hold_the_rules_and_skip_hosts():
    club = members(30, companies=12)  # companies shared by two or three members
    rules = Rules(max_per_company=1, apart=[("m00", "m01")])
    circles = assign_circles(club, 4, rules=rules, exclude={"m05", "m06"}, seed=3)
    seen = [m for c in circles for m in c]
    assert len(seen) == len(set(seen))
    assert "m05" not in seen and "m06" not in seen
    by_id = {m.id: m for m in club}
    for circle in circles:
        assert 2 <= len(circle) <= 4
        for i, a in enumerate(circle):
            for b in circle[i + 1 :]:
                assert not clash(by_id[a], by_id[b], rules)
    assert circles == assign_circles(club, 4, rules=rules, exclude={"m05", "m06"}, seed=3)
    assert circles != assign_circles(club, 4, rules=rules, exclude={"m05", "m06"}, seed=4)


def test_circles_keep_going_as_members_come_and_go():
    keeper = Circles(members(8), size=4, seed=0)
    assert sorted(len(c) for c in keeper.circles) == [4, 4]
    first = keeper.circles[0]
    keeper.leave(first[0])
    newcomer = Member(id="new1", company="Fresh")
    keeper.join(newcomer)
    assert "new1" in keeper.circles[0] and len(keeper.circles[0]) == 4
    keeper.join(Member(id="new2", company="Other"))
    assert ["new2"] in keeper.circles  # no room anywhere: a circle of one, not yet a group
    groups = keeper.groups([*first[1:], "new1", "new2"])
    assert groups == [[*first[1:], "new1"]]


def small_problem(policy: Policy | None = None) -> ProblemInput:
    club = members(12, companies=12)
    history = [
        PastDinner(
            date=dt.date(2027, 1, 1), tables=[[m.id for m in club[:6]], [m.id for m in club[6:]]]
        )
    ]
    tables = [Table(id="A", capacity=6, host="m00"), Table(id="B", capacity=6)]
    return ProblemInput(
        members=club,
        history=history,
        dinners=[Dinner(date=dt.date(2027, 2, 1), tables=tables)],
        policy=policy or Policy(),
    )


def test_apply_sets_the_policy_and_circles_sit_together():
    problem = small_problem()
    deep = get_preset("deepen-to-k", k=2).apply(problem)
    assert deep.policy.target_meetings == 2 and deep.rules == problem.rules
    assert get_preset("random").apply(problem) is problem

    circled = get_preset("circles", circle_size=3).apply(problem)
    groups = circled.rules.together
    assert groups and all(len(g) <= 3 for g in groups)
    assert all("m00" not in g for g in groups)  # the host moves with their table
    check_references(circled)
    dinner = compile_dinner(circled, 0)
    outcome = solve_local(dinner, seed=1, settings=FAST)
    assert outcome.status.has_plan
    assert violations(dinner, outcome.table_of) == []
    index = {m: i for i, m in enumerate(dinner.member_ids)}
    for group in groups:
        assert np.unique(outcome.table_of[[index[m] for m in group]]).size == 1

    explicit = get_preset("circles").apply(problem, circles=[["m01", "m02"], ["m03"]])
    assert explicit.rules.together == [["m01", "m02"]]


def test_rotate_and_deepen_weigh_the_same_pair_oppositely():
    problem = small_problem()
    rotate = compile_dinner(get_preset("rotate").apply(problem), 0)
    deepen = compile_dinner(get_preset("deepen").apply(problem), 0)
    assert rotate.weights[0, 1] == 1.0 and deepen.weights[0, 1] == -1.0
    assert rotate.weights[0, 7] == 0.0 == deepen.weights[0, 7]


def test_a_tuned_preset_adds_the_soft_cooldown_and_keeps_the_clubs_rules():
    problem = small_problem().model_copy(
        update={"rules": Rules(language="table", newcomer_dinners=1)}
    )
    soft = get_preset("rotate").tuned(recent_penalty=2.0, recent_dinners=1)
    assert soft.name == "rotate (recent_penalty=2.0, recent_dinners=1)"
    tuned = soft.apply(problem)
    assert tuned.rules == problem.rules
    assert (tuned.policy.repeat_weight, tuned.policy.recent_penalty) == (-1.0, 2.0)
    plain = compile_dinner(get_preset("rotate").apply(problem), 0)
    dinner = compile_dinner(tuned, 0)
    # m00 and m01 sat together last time: the soft cooldown makes that pair dearer, by 2.
    assert dinner.weights[0, 1] - plain.weights[0, 1] == pytest.approx(2.0)
    assert dinner.weights[0, 7] == plain.weights[0, 7] == 0.0  # never met: unchanged
    assert resolve(tuned.policy).name == "policy(-1, recent=2x1)"


@pytest.mark.parametrize(
    ("call", "message"),
    [(lambda: get_preset("random").tuned(fairness=1), "'random': no policy to tune"),
     (lambda: get_preset("rotate").tuned(recent_penalty=-1), "recent_penalty"),
     (lambda: get_preset("rotate").tuned(recent_dinners=0), "recent_dinners"),
     (lambda: get_preset("rotate").tuned(colour="red"), "colour")],
)  # fmt: skip
def test_tuning_refuses_what_the_policy_refuses(call, message):
    with pytest.raises(InputError, match=message):
        call()
