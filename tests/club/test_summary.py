"""The organiser's summary line: new conversations, pairs meeting again, and from last time."""

from __future__ import annotations

import datetime as dt

from seating.club.workflow import plain_summary
from seating.models import Dinner, Member, PastDinner, ProblemInput, Table
from seating.result import DinnerPlan, Result, Status, TablePlan


def _case(tables: list[list[str]]) -> tuple[ProblemInput, Result]:
    people = sorted({m for t in tables for m in t})
    problem = ProblemInput(
        members=[Member(id=m) for m in people],
        history=[
            PastDinner(date=dt.date(2025, 1, 1), tables=[["a", "b"], ["c", "d"]]),
            PastDinner(date=dt.date(2025, 2, 1), tables=[["a", "c"], ["b", "d"]]),
        ],
        dinners=[Dinner(date=dt.date(2025, 3, 1), tables=[Table(id="T", capacity=9)])],
    )
    plan = DinnerPlan(
        date=dt.date(2025, 3, 1),
        tables=[TablePlan(id=f"T{k}", members=t) for k, t in enumerate(tables)],
    )
    return problem, Result(status=Status.FEASIBLE, objective=0.0, dinners=[plan])


def test_the_summary_counts_new_pairs_repeats_and_those_from_last_time():
    problem, result = _case([["a", "b", "e"], ["c", "d"]])
    assert plain_summary(problem, result) == (
        "2 new conversations, 2 pairs meet again (none from last time)"
    )
    problem, result = _case([["a", "c", "e"], ["b", "d"]])
    assert plain_summary(problem, result) == (
        "2 new conversations, 2 pairs meet again (2 from last time)"
    )
    problem, result = _case([["a", "d", "e"]])
    assert plain_summary(problem, result) == "3 new conversations, 0 pairs meet again"


def test_the_summary_says_how_close_to_the_best_possible_when_a_bound_says_so():
    problem, result = _case([["a", "d", "e"]])
    proven = result.model_copy(update={"status": Status.OPTIMAL, "bound": 0.0})
    assert plain_summary(problem, proven).endswith("; the best possible")
    close = result.model_copy(update={"objective": 100.0, "bound": 94.0})
    assert plain_summary(problem, close).endswith("; within 6.0 % of the best possible")
    assert plain_summary(problem, close, language="fr").endswith(
        "; à 6,0 % près du meilleur possible"
    )
    assert plain_summary(problem, proven, language="nl").endswith("; het best mogelijke")
    trivial = result.model_copy(update={"objective": 100.0, "bound": 0.0})
    assert plain_summary(problem, trivial) == "3 new conversations, 0 pairs meet again"
