"""The Result's views for people and notebooks: ``summary()`` and ``to_frame()``."""

from __future__ import annotations

import datetime as dt

from helpers import load
from seating import Result, Status, solve


def test_to_frame_has_one_row_per_seat_and_matches_the_plan():
    result = solve(load("small_club.json"), method="local", seed=0, num_workers=1)
    frame = result.to_frame()
    assert list(frame.columns) == ["date", "table", "member", "seat"]
    seats = sum(len(t.members) for d in result.dinners for t in d.tables)
    assert len(frame) == seats and frame["member"].is_unique
    for table in result.dinners[0].tables:
        rows = frame[frame["table"] == table.id]
        assert list(rows["member"]) == table.members
        assert list(rows["seat"]) == list(range(1, len(table.members) + 1))
    assert set(frame["date"]) == {result.dinners[0].date}


def test_to_frame_of_a_result_without_a_plan_is_empty():
    frame = Result(status=Status.INFEASIBLE, reason="clash").to_frame()
    assert frame.empty and list(frame.columns) == ["date", "table", "member", "seat"]


def test_summary_says_what_a_user_needs_in_one_line():
    plan = Result(
        status=Status.FEASIBLE, objective=12.0, bound=9.0, runtime_s=1.234, method="local"
    )
    assert (
        plan.summary() == "status feasible, objective 12, bound 9, "
        "within 25.0 % of the best possible, 1.23 s, method local"
    )
    trivial = Result(status=Status.FEASIBLE, objective=5.0, bound=0.0, runtime_s=0.5)
    assert "bound 0 (trivial" in trivial.summary() and "gap" not in trivial.summary()
    none = Result(status=Status.INFEASIBLE, reason="host 'a' and host 'b' keep together")
    assert none.summary() == (
        "status infeasible, 0.00 s, reason: host 'a' and host 'b' keep together"
    )
    assert "\n" not in plan.summary()


def test_summary_of_a_real_solve_names_its_status_and_objective():
    result = solve(load("small_club.json"), method="auto", seed=0, num_workers=1)
    assert result.summary().startswith(f"status {result.status.value}, objective ")
    assert f"objective {result.objective:g}" in result.summary()
    assert isinstance(result.dinners[0].date, dt.date)
