"""Stop criteria: time budgets on an injected clock, the cancel flag, patience, combinations."""

from __future__ import annotations

import math
import threading

import pytest

from seating.stop import AnyOf, CancelFlag, NoImprovement, Stop, TimeBudget, budget


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
