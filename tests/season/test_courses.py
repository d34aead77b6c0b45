"""Dinners with several courses: every course seats everyone and holds every rule, hosts stay
at their tables, nobody meets the same person twice in an evening when the tables allow, the
objective and metrics count the meetings of every course."""

from __future__ import annotations

import itertools
import json
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import base_problem, problems
from seating.cli import app
from seating.compile.courses import course_rounds, expand_courses, flatten
from seating.compile.problem import check_references, compile_dinner
from seating.errors import InputError
from seating.explain import explain
from seating.models import ProblemInput
from seating.result import Result
from seating.season.courses import plan_courses
from seating.season.evaluate import evaluate
from seating.season.planner import SeasonSettings

QUICK = SeasonSettings(max_iterations=300, greedy_runs=2, construction_iterations=5_000)
UNBOUND = 600.0
"""A time limit that never binds: these searches stop on iteration counts."""


def _courses(members: int, capacities: tuple[int, ...], courses: int, host: bool = True):
    data = base_problem(members, capacities)
    data["dinners"][0]["courses"] = courses
    if host:
        data["dinners"][0]["tables"][0]["host"] = "m1"
    ids = [m["id"] for m in data["members"]]
    data["history"] = [{"date": "2026-11-05", "tables": [ids[k::3] for k in range(3)]}]
    problem = ProblemInput.from_dict(data)
    check_references(problem)
    return problem


def _plan(problem: ProblemInput, seed: int = 0) -> Result:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = plan_courses(problem, time_limit=UNBOUND, seed=seed, settings=QUICK)
    result.stats["warnings"] = [str(w.message) for w in caught]
    return result


def _twice(result: Result, exempt: frozenset[frozenset[str]] = frozenset()) -> int:
    """Pairs together in two courses of one evening, counted from the plan itself, except the
    pairs of ``exempt``."""
    count = 0
    for dinner in result.dinners:
        met: dict[frozenset[str], int] = {}
        for course in dinner.courses or []:
            for table in course.tables:
                for pair in itertools.combinations(table.members, 2):
                    met[frozenset(pair)] = met.get(frozenset(pair), 0) + 1
        count += sum(1 for pair, times in met.items() if times > 1 and pair not in exempt)
    return count


def _kept_together(problem: ProblemInput) -> frozenset[frozenset[str]]:
    """The pairs the rules seat together at every course (keep-together groups, a guest and
    who invited them): not repeats the planner can avoid or reports."""
    dinner = compile_dinner(problem, 0)
    ids = dinner.member_ids
    return frozenset(
        frozenset((ids[i], ids[j])) for g in dinner.groups for i, j in itertools.combinations(g, 2)
    )


def _assert_well_formed(problem: ProblemInput, result: Result) -> None:
    """One seating per course, everyone once in each, every rule held, hosts at their tables,
    objective and metrics those of the courses as rounds of a season."""
    assert result.status.has_plan
    assert len(result.dinners) == len(problem.dinners)
    for dinner, plan in zip(problem.dinners, result.dinners, strict=True):
        seatings = plan.courses or [plan]
        assert len(seatings) == dinner.courses
        if plan.courses:
            assert plan.tables == plan.courses[0].tables
        attendees = sorted(dinner.attendees or [m.id for m in problem.members])
        hosts = {t.id: t.host for t in dinner.tables if t.host}
        for seating in seatings:
            assert sorted(m for t in seating.tables for m in t.members) == attendees
            for table in seating.tables:
                if table.id in hosts:
                    assert hosts[table.id] in table.members
    judged = evaluate(expand_courses(problem), flatten(result.dinners))
    assert judged.feasible, judged.violations
    assert result.objective == pytest.approx(judged.objective)
    assert result.metrics == judged.metrics


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_nine_at_three_tables_of_three_meet_six_different_people(seed):
    """3 tables of 3, 2 courses: each table of the second course takes one person from each
    table of the first, so nobody meets anyone twice; the host stays at T1."""
    problem = _courses(9, (3, 3, 3), 2)
    result = _plan(problem, seed)
    _assert_well_formed(problem, result)
    assert _twice(result) == 0
    assert result.stats["courses"]["evening_repeats"] == 0
    assert not result.stats["warnings"]


def test_sixteen_at_four_tables_three_courses_without_repeats():
    problem = _courses(16, (4, 4, 4, 4), 3, host=False)
    result = _plan(problem)
    _assert_well_formed(problem, result)
    assert _twice(result) == 0


def test_two_tables_of_three_seat_the_fewest_pairs_twice_with_a_note():
    """6 at 2 tables of 3: any second-course table takes two people from one first-course
    table (pigeonhole), so at least 2 pairs meet twice; the plan seats exactly 2."""
    problem = _courses(6, (3, 3), 2)
    result = _plan(problem)
    _assert_well_formed(problem, result)
    assert _twice(result) == result.stats["courses"]["evening_repeats"] == 2
    assert any("2 pairs meet in two courses" in w for w in result.stats["warnings"])


def test_a_guest_with_their_inviter_at_every_course_is_no_repeat_to_report():
    """12 at 4 tables of 3, 2 courses, m9 a guest of m2: the guest sits with m2 at both
    courses (the rule), which is no pair meeting twice to warn about; every other pair can
    meet once (the guest pair's third at dessert comes from another first-course table)."""
    data = base_problem(12, (3, 3, 3, 3))
    data["dinners"][0]["courses"] = 2
    data["members"][8]["guest_of"] = "m2"
    problem = ProblemInput.from_dict(data)
    check_references(problem)
    result = _plan(problem)
    _assert_well_formed(problem, result)
    for course in result.dinners[0].courses:
        assert any({"m2", "m9"} <= set(t.members) for t in course.tables)
    assert _twice(result) == 1  # the guest pair, and only it
    assert result.stats["courses"]["evening_repeats"] == 0
    assert not result.stats["warnings"]


def test_a_newcomer_at_the_first_course_is_one_at_the_second():
    """Newcomers (no dinner yet) stay newcomers at dessert: at most 1 a table in each course,
    so 3 newcomers are never two at a table of the second course either."""
    data = base_problem(9, (3, 3, 3))
    data["dinners"][0]["courses"] = 2
    data["rules"] = {"newcomer_dinners": 1, "max_newcomers_per_table": 1}
    old = [f"m{k}" for k in range(1, 7)]
    data["history"] = [{"date": "2026-11-05", "tables": [old[:3], old[3:]]}]
    problem = ProblemInput.from_dict(data)
    check_references(problem)
    for seed in (0, 1, 2):
        result = _plan(problem, seed)
        _assert_well_formed(problem, result)
        for course in result.dinners[0].courses:
            for table in course.tables:
                assert len({"m7", "m8", "m9"} & set(table.members)) <= 1
        assert result.metrics.newcomers.newcomers == 6  # 3 newcomers x 2 courses


def test_one_table_says_the_tables_do_not_allow_courses():
    problem = _courses(4, (4,), 2)
    result = _plan(problem)
    _assert_well_formed(problem, result)
    assert _twice(result) == 6
    assert "do not allow that many courses" in result.stats["courses"]["note"]


def test_plan_json_holds_one_seating_per_course_and_reads_back():
    problem = _courses(9, (3, 3, 3), 2)
    result = _plan(problem)
    data = json.loads(result.to_json())
    dinner = data["dinners"][0]
    assert [len(c["tables"]) for c in dinner["courses"]] == [3, 3]
    assert dinner["tables"] == dinner["courses"][0]["tables"]
    assert Result.from_json(result.to_json()) == result
    assert course_rounds(result).dinners[1].tables == result.dinners[0].courses[1].tables


def test_one_course_keeps_the_plan_contract():
    problem = _courses(6, (3, 3), 1)
    result = _plan(problem)
    assert "courses" not in json.loads(result.to_json())["dinners"][0]


@pytest.mark.parametrize("value", [0, -1, "two", 1.5])
def test_courses_below_one_or_not_a_number_is_refused(value):
    data = base_problem(6, (3, 3))
    data["dinners"][0]["courses"] = value
    with pytest.raises(InputError, match=r"^dinners\[0\]\.courses: "):
        ProblemInput.from_dict(data)


def test_explain_counts_the_first_course_as_met():
    """In the second course, a mate from the first course counts as met: explain says so for a
    plan that seats a pair twice (the only choice at one table)."""
    problem = _courses(4, (4,), 2, host=False)
    result = _plan(problem)
    second = explain(problem, result, course=2)
    mates = second.member("m1").mates
    first = {m.b: m.meetings for m in explain(problem, result, course=1).member("m1").mates}
    assert {m.b: m.meetings for m in mates} == {b: k + 1 for b, k in first.items()}
    assert len(first) == 3
    with pytest.raises(InputError, match="course: dinner 2026-12-03 has 2 courses, got 3"):
        explain(problem, result, course=3)


def test_explain_refuses_a_plan_without_the_courses_of_the_problem():
    problem = _courses(9, (3, 3, 3), 2)
    result = _plan(problem)
    one = result.model_copy(
        update={"dinners": [result.dinners[0].model_copy(update={"courses": None})]}
    )
    with pytest.raises(InputError, match="holds 1 seating"):
        explain(problem, one)


def test_seating_plan_prints_each_course(tmp_path):
    problem = _courses(9, (3, 3, 3), 2)
    path = tmp_path / "problem.json"
    path.write_text(problem.model_dump_json())
    out = CliRunner().invoke(app, ["plan", str(path), "--workers", "1", "--time-limit", "30"])
    assert out.exit_code == 0, out.output
    assert "course 1 of 2" in out.output and "course 2 of 2" in out.output
    bad = json.loads(problem.model_dump_json())
    bad["dinners"][0]["courses"] = 0
    path.write_text(json.dumps(bad))
    out = CliRunner().invoke(app, ["plan", str(path), "--time-limit", "30"])
    assert out.exit_code == 2
    assert "dinners[0].courses" in out.output
    assert "Traceback" not in out.output


@settings(max_examples=25, deadline=None)
@given(problems(fairness=False, club_rules=True), st.integers(2, 3), st.integers(0, 2**16))
def test_every_course_holds_every_rule(data: dict[str, Any], courses: int, seed: int):
    data["dinners"][0]["courses"] = courses
    try:
        problem = ProblemInput.from_dict(data)
        check_references(problem)
    except InputError:
        reject()
    result = _plan(problem, seed)
    if not result.status.has_plan:
        assert result.reason
        return
    _assert_well_formed(problem, result)
    assert result.stats["courses"]["evening_repeats"] == _twice(result, _kept_together(problem))
    np.testing.assert_equal(len(result.dinners[0].courses or [None]), courses)
