"""Plan quality, computed once (seating.compile.metrics), and every place that reports it."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import base_problem, compiled
from seating.compile.metrics import combine, dinner_metrics, seating_metrics
from seating.compile.objective import same_table
from seating.compile.plans import dinner_plan, table_index
from seating.compile.problem import check_references, compile_dinner
from seating.explain import explain
from seating.models import Dinner, Member, PastDinner, ProblemInput, Table
from seating.policies.season_metrics import season_metrics
from seating.result import DinnerPlan, Metrics, TablePlan
from seating.season.evaluate import evaluate


def _history_problem(**policy):
    data = base_problem()
    data["history"] = [
        {"date": "2026-09-01", "tables": [["m1", "m2", "m3"], ["m4", "m5", "m6"]]},
        {"date": "2026-10-01", "tables": [["m1", "m2", "m4"], ["m3", "m5", "m6"]]},
    ]
    data["policy"] = policy
    return compiled(data)


def test_dinner_metrics_count_repeat_and_new_pairs():
    """repeat/new pairs, max meetings (this dinner included) and per-member repeats."""
    p = _history_problem(repeat_weight=-1)
    seating = {m: "T1" for m in ("m1", "m2", "m5")} | {m: "T2" for m in ("m3", "m4", "m6")}
    plan = table_index(p, seating, strict=True)
    m = dinner_metrics(p, plan)
    assert m.repeat_pairs == 3  # m1-m2, m3-m6, m4-m6
    assert m.new_pairs == 3  # m1-m5, m2-m5, m3-m4
    assert m.max_meetings == 3  # m1-m2 met twice, now a third time
    assert m.members_with_repeats == 5
    assert m.max_repeats_per_member == 2  # m6
    assert m.repeat_pairs + m.new_pairs == same_table(plan).sum() // 2


def test_combine_adds_counts_and_takes_maxima():
    """Season metrics: counts add up, maxima stay maxima; no dinners gives zeros."""
    a = Metrics(
        repeat_pairs=1,
        new_pairs=5,
        max_meetings=2,
        members_with_repeats=2,
        max_repeats_per_member=1,
    )
    b = Metrics(
        repeat_pairs=3,
        new_pairs=2,
        max_meetings=4,
        members_with_repeats=1,
        max_repeats_per_member=3,
    )
    assert combine([a, b]) == Metrics(
        repeat_pairs=4,
        new_pairs=7,
        max_meetings=4,
        members_with_repeats=3,
        max_repeats_per_member=3,
    )
    assert combine([]) == Metrics()


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_seating_metrics_equal_a_brute_force_count(data):
    n = data.draw(st.integers(0, 8))
    table_of = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    upper = data.draw(st.lists(st.integers(0, 3), min_size=n * n, max_size=n * n))
    meetings = np.triu(np.array(upper, dtype=np.int32).reshape(n, n), 1)
    meetings = meetings + meetings.T
    repeat = new = most = 0
    load = [0] * n
    for i, j in itertools.combinations(range(n), 2):
        if table_of[i] != table_of[j]:
            continue
        most = max(most, meetings[i, j] + 1)
        if meetings[i, j]:
            repeat += 1
            load[i] += 1
            load[j] += 1
        else:
            new += 1
    assert seating_metrics(meetings, table_of) == Metrics(
        repeat_pairs=repeat,
        new_pairs=new,
        max_meetings=most,
        members_with_repeats=sum(x > 0 for x in load),
        max_repeats_per_member=max(load, default=0),
    )


@st.composite
def seasons(draw):
    """Members, prior dinners and a season's dinners: each seats a random non-empty subset."""
    n = draw(st.integers(2, 7))
    ids = [f"m{k}" for k in range(n)]

    def seating(day: dt.date) -> PastDinner:
        labels = draw(
            st.lists(st.integers(-1, 2), min_size=n, max_size=n).filter(lambda x: max(x) >= 0)
        )
        tables = [[m for m, lab in zip(ids, labels, strict=True) if lab == t] for t in range(3)]
        return PastDinner(date=day, tables=[t for t in tables if t])

    prior = [seating(dt.date(2025, 1 + k, 1)) for k in range(draw(st.integers(0, 3)))]
    season = [seating(dt.date(2026, 1 + k, 1)) for k in range(draw(st.integers(1, 4)))]
    return ids, prior, season


def _tables(past: PastDinner) -> list[tuple[str, list[str]]]:
    return [(f"T{t}", members) for t, members in enumerate(past.tables)]


def _dinner(past: PastDinner) -> Dinner:
    tables = [Table(id=t, capacity=len(members)) for t, members in _tables(past)]
    return Dinner(date=past.date, attendees=[m for t in past.tables for m in t], tables=tables)


def _seating(past: PastDinner) -> dict[str, str]:
    return {m: t for t, members in _tables(past) for m in members}


@settings(max_examples=40, deadline=None)
@given(seasons())
def test_every_reporter_of_plan_quality_agrees(season):
    """Dinner by dinner, the solver's metrics, the season evaluation, the explanation and the
    notebooks' season metrics see the same repeats and new pairs."""
    ids, prior, dinners = season
    members = [Member(id=m) for m in ids]
    per_dinner = []
    for k, past in enumerate(dinners):
        # The dinner as seating.solve compiles it: the prior and earlier dinners as history.
        problem = ProblemInput(
            members=members, history=[*prior, *dinners[:k]], dinners=[_dinner(past)]
        )
        check_references(problem)
        dinner = compile_dinner(problem, 0)
        table_of = table_index(dinner, _seating(past), strict=True)
        metrics = dinner_metrics(dinner, table_of)
        per_dinner.append(metrics)
        told = explain(problem, dinner_plan(dinner, table_of))
        assert sum(t.repeat_pairs for t in told.tables) == metrics.repeat_pairs
        assert sum(t.new_pairs for t in told.tables) == metrics.new_pairs

    whole = ProblemInput(members=members, history=prior, dinners=[_dinner(d) for d in dinners])
    check_references(whole)
    plans = [
        DinnerPlan(date=d.date, tables=[TablePlan(id=t, members=m) for t, m in _tables(d)])
        for d in dinners
    ]
    judged = evaluate(whole, plans)
    assert judged.per_dinner == per_dinner and judged.metrics == combine(per_dinner)

    seats = sum(len(t) for d in dinners for t in d.tables)
    load = season_metrics(dinners, members=ids, prior=prior)["repeat_load"]
    assert load * seats == pytest.approx(2 * combine(per_dinner).repeat_pairs)
