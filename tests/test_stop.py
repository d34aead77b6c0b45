"""Stop criteria: time budgets on an injected clock, the cancel flag, patience, combinations."""

from __future__ import annotations

import math
import threading

import pytest

from seating.stop import (
    AnyOf,
    CancelFlag,
    NoImprovement,
    Stop,
    TimeBudget,
    budget,
    first_plan_grace,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_time_budget_stops_at_its_deadline_and_says_why():
    clock = FakeClock()
    limit = TimeBudget(2.0, clock=clock)
    assert not limit.stopped() and limit.remaining() == 2.0
    clock.now += 1.5
    assert not limit.stopped() and limit.remaining() == pytest.approx(0.5)
    clock.now += 0.5
    assert limit.stopped() and limit.reason == "time limit" and limit.remaining() == 0.0


def test_within_never_extends_the_budget():
    clock = FakeClock()
    limit = TimeBudget(2.0, clock=clock)
    assert limit.within(0.5).remaining() == 0.5
    assert limit.within(10.0).remaining() == 2.0
    clock.now += 1.8
    assert limit.within(1.0).remaining() == pytest.approx(0.2)


def test_a_cancel_flag_set_from_another_thread_stops_the_search():
    flag = CancelFlag()
    stop = budget(60.0, flag)
    assert not stop.stopped()
    thread = threading.Thread(target=flag.cancel)
    thread.start()
    thread.join()
    assert stop.stopped() and stop.reason == "cancelled" and flag.cancelled


def test_no_improvement_counts_checks_without_a_better_cost():
    patience = NoImprovement(3)
    assert not patience.stopped(10.0)  # first cost is an improvement
    assert not patience.stopped(10.0)
    assert not patience.stopped(9.0)  # better: the count starts again
    assert not patience.stopped(9.0)
    assert not patience.stopped(None)  # a phase boundary is not a check
    assert not patience.stopped(9.5)
    assert patience.stopped(9.0) and patience.reason == "no improvement"


def test_any_of_flattens_takes_the_least_time_left_and_feeds_every_criterion():
    clock = FakeClock()
    patience = NoImprovement(2)
    stop = TimeBudget(5.0, clock=clock) | TimeBudget(3.0, clock=clock) | patience
    assert isinstance(stop, AnyOf) and len(stop.criteria) == 3
    assert stop.remaining() == 3.0
    assert not stop.stopped(1.0)
    assert not stop.stopped(1.0)
    assert stop.stopped(1.0) and stop.reason == "no improvement"
    flag = CancelFlag()
    phase = (TimeBudget(5.0, clock=clock) | flag).within(1.0)
    assert phase.remaining() == 1.0 and not phase.stopped()
    clock.now += 1.0
    assert phase.stopped() and phase.reason == "time limit"
    assert not (TimeBudget(5.0, clock=clock) | flag).stopped()  # the phase kept its parent


def test_a_plain_stop_never_stops_and_bad_budgets_are_refused():
    assert not Stop().stopped(0.0) and Stop().remaining() == math.inf
    with pytest.raises(ValueError, match="time budget"):
        TimeBudget(math.nan)
    with pytest.raises(ValueError, match="no improvement"):
        NoImprovement(0)


def test_an_endless_phase_adds_no_limit_and_budget_keeps_the_callers_clock():
    clock = FakeClock()
    flag = CancelFlag()
    assert flag.within(math.inf) is flag and Stop().within(math.inf).remaining() == math.inf
    assert isinstance(budget(math.inf), Stop) and budget(math.inf).remaining() == math.inf
    mine = TimeBudget(5.0, clock=clock)
    call = budget(60.0, mine | flag)
    assert call.remaining() == 5.0 and (mine | flag).within(math.inf).remaining() == 5.0
    clock.now += 5.0  # the caller's clock, not the machine's, ends the call
    assert call.stopped() and call.reason == "time limit"


def test_the_grace_of_a_first_plan_ends_at_the_calls_deadline_plus_grace():
    clock = FakeClock()
    call = TimeBudget(2.0, clock=clock, grace=0.2)
    assert call.graced().remaining() == pytest.approx(2.2)
    clock.now += 2.0
    assert call.stopped() and not call.graced().stopped()
    assert call.graced().remaining() == pytest.approx(0.2)
    clock.now += 0.2
    first_plan = call.graced()
    assert first_plan.stopped() and first_plan.reason == "time limit"


def test_a_phase_keeps_the_calls_grace_and_gets_none_of_its_own():
    """Absolute: a season of 12 dinners, each a phase, shares one grace after the deadline."""
    clock = FakeClock()
    call = TimeBudget(2.0, clock=clock, grace=0.2)
    phase = call.within(0.5)
    clock.now += 0.5
    assert phase.stopped() and phase.graced().remaining() == pytest.approx(1.7)
    assert call.within(0.5).graced().remaining() == pytest.approx(1.7)
    clock.now += 1.7
    assert call.within(1.0).graced().stopped()
    # A phase after the first plan (a season's restarts) has no grace.
    restarts = TimeBudget(2.0, clock=clock, grace=0.2).within(1.0, grace=False)
    assert restarts.graced().remaining() == 1.0


def test_a_cancel_ends_a_graced_criterion_at_once_and_a_budget_without_grace_is_itself():
    clock = FakeClock()
    flag = CancelFlag()
    stop = TimeBudget(2.0, clock=clock, grace=0.2) | flag
    assert not stop.graced().stopped()
    flag.cancel()
    first_plan = stop.graced()
    assert first_plan.stopped() and first_plan.reason == "cancelled"
    plain = TimeBudget(2.0, clock=clock)
    assert plain.graced() is plain and plain.within(1.0).graced().remaining() == 1.0
    assert flag.graced() is flag
    with pytest.raises(ValueError, match="grace"):
        TimeBudget(1.0, grace=-0.1)


def test_a_calls_budget_gets_the_least_of_half_a_second_and_a_tenth_of_its_limit():
    assert first_plan_grace(0.5) == pytest.approx(0.05)
    assert first_plan_grace(2.0) == pytest.approx(0.2)
    assert first_plan_grace(5.0) == 0.5 and first_plan_grace(600.0) == 0.5
    assert first_plan_grace(math.inf) == 0.0
    clock = FakeClock()
    flag = CancelFlag()
    call = budget(1.0, flag)  # no time budget yet: the call's limit is the budget, graced
    assert call.graced().remaining() == pytest.approx(1.1, abs=0.05)
    assert budget(2.0).graced().remaining() == pytest.approx(2.2, abs=0.05)
    # A caller's budget keeps its own grace (none here): the call's limit adds none.
    mine = TimeBudget(5.0, clock=clock)
    assert budget(60.0, mine).graced().remaining() == 5.0
    graced = TimeBudget(5.0, clock=clock, grace=0.5)
    assert budget(1.0, graced | flag).graced().remaining() == pytest.approx(5.5)
