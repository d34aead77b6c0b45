"""Looking back counts evenings, not courses (issue 12): a dinner with several courses is
recorded as one past dinner per course, all of one date, and every rule that looks back a
number of dinners (``rules.cooldown``, ``policy.recent_dinners``, ``policy.half_life``, the
newcomer rule, the explanations) reads the courses of one evening as "the same dinner ago".
Meetings still count per course."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seating import explain
from seating.compile.history import NEVER, meeting_history
from seating.compile.problem import check_references, compile_dinner
from seating.models import PastDinner, ProblemInput
from seating.result import DinnerPlan

MEMBERS = [f"m{i}" for i in range(12)]
TODAY = "2027-03-10"
JAN, FEB = "2027-01-10", "2027-02-10"
# January: one course. February: two courses (main, dessert), members change tables.
JAN_TABLES = [["m0", "m1", "m2", "m3"], ["m4", "m5", "m6", "m7"], ["m8", "m9", "m10", "m11"]]
FEB_MAIN = [["m0", "m4", "m8", "m1"], ["m5", "m9", "m2", "m6"], ["m10", "m3", "m7", "m11"]]
FEB_DESSERT = [["m0", "m5", "m10", "m7"], ["m4", "m9", "m3", "m1"], ["m8", "m2", "m11", "m6"]]


def problem(history, rules=None, policy=None, courses=1, attendees=MEMBERS) -> ProblemInput:
    data = {
        "members": [{"id": m} for m in MEMBERS],
        "history": [{"date": d, "tables": t} for d, t in history],
        "dinners": [
            {
                "date": TODAY,
                "attendees": attendees,
                "tables": [{"id": x, "capacity": 4} for x in "ABC"],
                "courses": courses,
            }
        ],
        "policy": policy or {"repeat_weight": -1.0},
        "rules": {"max_per_company": None, **(rules or {})},
    }
    return ProblemInput.from_dict(data)


HISTORY = [(JAN, JAN_TABLES), (FEB, FEB_MAIN), (FEB, FEB_DESSERT)]


def pairs(*dinners) -> set[frozenset[str]]:
    tables = [t for dinner in dinners for t in dinner]
    return {frozenset(p) for t in tables for p in itertools.combinations(t, 2)}


def forbidden_pairs(compiled) -> set[frozenset[str]]:
    ids = compiled.member_ids
    return {frozenset((ids[i], ids[j])) for i, j in compiled.cooldown_pairs}


def test_cooldown_1_keeps_apart_the_mates_of_every_course_of_the_last_evening():
    prob = problem(HISTORY, rules={"cooldown": 1})
    check_references(prob)
    assert forbidden_pairs(compile_dinner(prob)) == pairs(FEB_MAIN, FEB_DESSERT)


def test_cooldown_2_reaches_the_evening_before_the_course_dinner():
    prob = problem(HISTORY, rules={"cooldown": 2})
    assert forbidden_pairs(compile_dinner(prob)) == pairs(JAN_TABLES, FEB_MAIN, FEB_DESSERT)


def test_recent_penalty_of_one_dinner_costs_every_course_of_the_last_evening():
    prob = problem(HISTORY, policy={"repeat_weight": 0.0, "recent_penalty": 2.0})
    compiled = compile_dinner(prob)
    ids = compiled.member_ids
    costly = {
        frozenset((ids[i], ids[j]))
        for i, j in zip(*np.nonzero(np.triu(compiled.weights, 1)), strict=True)
    }
    assert costly == pairs(FEB_MAIN, FEB_DESSERT)
    assert set(np.unique(compiled.weights)) == {0.0, 2.0}


def test_half_life_fades_both_courses_of_an_evening_alike_and_meetings_count_per_course():
    index = {m: i for i, m in enumerate(MEMBERS)}
    past = [PastDinner(date=dt.date.fromisoformat(d), tables=t) for d, t in HISTORY]
    history = meeting_history(past, index, half_life=1.0)
    m = index
    assert history.num_dinners == 3
    # m0-m4: main course of February only; m0-m5: dessert only; m0-m1: January and main.
    assert history.faded[m["m0"], m["m4"]] == pytest.approx(1.0)
    assert history.faded[m["m0"], m["m5"]] == pytest.approx(1.0)
    assert history.faded[m["m0"], m["m1"]] == pytest.approx(1.0 + 0.5)
    assert history.last_age[m["m0"], m["m4"]] == history.last_age[m["m0"], m["m5"]] == 0
    assert history.last_age[m["m0"], m["m2"]] == 1  # January only
    assert history.last_age[m["m0"], m["m6"]] == NEVER
    # m4-m1 sat together at the main course and at dessert: two meetings, by design.
    assert history.counts[m["m4"], m["m1"]] == 2
    assert history.faded[m["m4"], m["m1"]] == pytest.approx(2.0)


def test_newcomer_who_came_to_one_two_course_evening_has_one_dinner():
    history = [(JAN, [["m0", "m1"]]), (FEB, [["m2", "m3"]]), (FEB, [["m3", "m2"]])]
    prob = problem(history, rules={"newcomer_dinners": 2})
    compiled = compile_dinner(prob)
    newcomer = dict(zip(compiled.member_ids, compiled.table_rules.newcomer, strict=True))
    assert newcomer["m2"] and newcomer["m3"]  # one evening, two courses: one dinner
    assert newcomer["m11"]


def test_explanation_says_the_first_course_of_last_month_was_the_last_dinner():
    prob = problem(HISTORY)
    # m0 and m4 met at February's main course only; seat them together today.
    tables = [["m0", "m4", "m2", "m6"], ["m1", "m5", "m9", "m3"], ["m8", "m10", "m7", "m11"]]
    seated = [{"id": x, "members": t} for x, t in zip("ABC", tables, strict=True)]
    plan = {"date": TODAY, "tables": seated}
    told = explain(prob, DinnerPlan.model_validate(plan))
    mates = {m.b: m for m in told.member("m0").mates}
    assert mates["m4"].last_met == 0 and "last 1 dinner ago" in mates["m4"].why
    assert mates["m2"].last_met == 1 and "last 2 dinners ago" in mates["m2"].why


# -- the courses of the evening being planned ------------------------------------------------


def test_at_dessert_cooldown_1_keeps_apart_last_evening_and_the_main_course_of_tonight():
    """The earlier courses of tonight are of age 0, like the evening before: with cooldown 1
    every course of tonight keeps last month's table mates apart, and dessert also the table
    mates of tonight's main course (pairs of an earlier course count as met)."""
    prob = problem(HISTORY, rules={"cooldown": 1}, courses=2)
    rounds = prob.model_copy(
        update={"dinners": [d.model_copy(update={"courses": 1}) for d in prob.dinners * 2]}
    )
    main = [["m0", "m2", "m9", "m11"], ["m1", "m6", "m7", "m8"], ["m3", "m5", "m4", "m10"]]
    tonight = PastDinner(date=dt.date.fromisoformat(TODAY), tables=main)
    first = compile_dinner(rounds, 0)
    dessert = compile_dinner(rounds, 1, [tonight])
    assert forbidden_pairs(first) == pairs(FEB_MAIN, FEB_DESSERT)
    assert forbidden_pairs(dessert) == pairs(FEB_MAIN, FEB_DESSERT, main)
    assert pairs(JAN_TABLES) - pairs(FEB_MAIN, FEB_DESSERT, main) - forbidden_pairs(dessert)
    index = {m: i for i, m in enumerate(dessert.member_ids)}
    assert dessert.meetings[index["m0"], index["m2"]] == 2  # January and tonight's main course


# -- property: a two-course evening looks back like one dinner -------------------------------


@st.composite
def evenings(draw):
    """Evenings oldest first, each 1 to 3 courses, each course a random seating of a random
    subset of the members at tables of at most 4."""
    out = []
    for k in range(draw(st.integers(1, 5))):
        date = dt.date(2026, 1 + k, 5)
        courses = []
        for _ in range(draw(st.integers(1, 3))):
            seated = draw(st.permutations(MEMBERS))[: draw(st.integers(0, len(MEMBERS)))]
            courses.append([seated[i : i + 4] for i in range(0, len(seated), 4)])
        out.append((date, courses))
    return out


@settings(max_examples=60, deadline=None)
@given(
    evenings(),
    st.integers(1, 6),
    st.integers(1, 6),
    st.sampled_from([None, 0.7, 2.0]),
    st.integers(1, 4),
)
def test_an_evening_of_courses_looks_back_like_one_dinner_of_their_union(
    history, cooldown, recent, half_life, newcomer_dinners
):
    """The same history with each evening's courses recorded as one dinner whose tables are
    the union of the courses' tables: the same cooldown pairs, the same recency costs, the
    same newcomers and ages of the last meeting. Meeting counts differ by design (a pair at two
    courses met twice); where they are equal, so are the faded meetings."""
    split = [(d, tables) for d, courses in history for tables in courses]
    union = [(d, [t for tables in courses for t in tables]) for d, courses in history]
    rules = {"cooldown": cooldown, "newcomer_dinners": newcomer_dinners}
    policy = {"repeat_weight": 0.0, "recent_penalty": 1.0, "recent_dinners": recent}
    a = compile_dinner(problem(split, rules, policy))
    b = compile_dinner(problem(union, rules, policy))
    assert a.cooldown_pairs == b.cooldown_pairs
    np.testing.assert_array_equal(a.weights, b.weights)
    np.testing.assert_array_equal(a.table_rules.newcomer, b.table_rules.newcomer)

    index = {m: i for i, m in enumerate(MEMBERS)}
    as_past = [PastDinner(date=d, tables=t) for d, t in split]
    as_one = [PastDinner(date=d, tables=t) for d, t in union]
    h_split = meeting_history(as_past, index, half_life=half_life)
    h_union = meeting_history(as_one, index, half_life=half_life)
    np.testing.assert_array_equal(h_split.last_age, h_union.last_age)
    assert (h_split.counts >= h_union.counts).all()
    same = h_split.counts == h_union.counts
    np.testing.assert_allclose(h_split.faded[same], h_union.faded[same], rtol=1e-12)
