"""Stop criteria: when a search ends, as objects that every phase of a solve checks.

A criterion answers two questions: *should the search stop now?* (:meth:`Stop.stopped`, given
the best cost so far) and *how many seconds are left?* (:meth:`Stop.remaining`, for a phase
such as CP-SAT that takes a time limit of its own). Criteria combine with ``|`` (stop when any
of them says so), in the spirit of PyVRP's stopping criteria:

>>> from seating.stop import CancelFlag, NoImprovement, TimeBudget
>>> cancel = CancelFlag()
>>> stop = TimeBudget(5.0) | cancel | NoImprovement(1_000)
>>> stop.stopped(best=12.0)
False
>>> cancel.cancel()  # e.g. from the web app's Cancel button, in another thread
>>> stop.stopped(best=12.0), stop.reason
(True, 'cancelled')

:func:`seating.solve` turns its ``time_limit`` into a :class:`TimeBudget` for the whole call
(compile, every dinner, every phase) and adds the caller's ``stop``; a phase that should use
only part of the budget asks for :meth:`Stop.within`.

The first plan gets a grace. Cutting every search at the deadline made plans much worse at
short limits: where start-up leaves little time, each dinner's plan was its greedy start with
a cut descent (a 12-dinner season at 2 s: 471, against 119 with the grace; docs/benchmarks.md).
So the computations that produce the *first* plan that holds the rules (the local search's
start and its descent, each dinner's start in a season, the season greedy's first run) ask
:meth:`Stop.graced`, which stops :func:`first_plan_grace` seconds after the deadline of the
whole call: min(0.5 s, 10 % of its limit), inside the product's tolerance of max(0.5 s,
10 %). The grace is absolute, counted from the call's deadline, so a season of 12 dinners
does not get 12 graces; and everything after the first plan stays cut at the deadline.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

Clock = Callable[[], float]


class Stop:
    """Base class of the stop criteria; on its own it never stops."""

    reason: str = ""
    """Why the criterion stopped the search (empty while it has not)."""

    def stopped(self, best: float | None = None) -> bool:
        """True when the search should end now.

        Parameters
        ----------
        best
            The best cost found so far, for criteria that watch progress; ``None`` when the
            caller has no cost to report (a check between phases).
        """
        return False

    def remaining(self) -> float:
        """Seconds left before this criterion stops the search (``math.inf``: no time limit)."""
        return math.inf

    def within(self, seconds: float, *, grace: bool = True) -> Stop:
        """This criterion, further limited to ``seconds`` from now (for one phase of a search).

        ``math.inf`` adds no limit (the criterion itself is returned). The phase keeps the
        call's grace for a first plan (:meth:`graced`) unless ``grace`` is False (a phase
        that runs after the first plan exists, such as a season's restarts).
        """
        return self if seconds == math.inf else self | TimeBudget(seconds)

    def graced(self) -> Stop:
        """This criterion for the computations of a first plan: its time budgets stop at the
        call's deadline plus its grace (:func:`first_plan_grace`) instead of their own
        deadlines; a cancel still stops at once. Without a grace, the criterion itself."""
        return self

    def __or__(self, other: Stop) -> AnyOf:
        return AnyOf([self, other])


class TimeBudget(Stop):
    """Stop once ``seconds`` have passed since the budget was created.

    Parameters
    ----------
    seconds
        The wall-clock budget; must be positive and finite.
    clock
        The time source (seconds, monotonic); injectable so that tests need no real waiting.
    grace
        Seconds past the deadline that the computations of a first plan may run
        (:meth:`graced`); 0, the default, gives none. :func:`budget` and the command line give
        a call's budget :func:`first_plan_grace` of its limit.
    """

    def __init__(
        self, seconds: float, *, clock: Clock = time.perf_counter, grace: float = 0.0
    ) -> None:
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"time budget: must be a non-negative number of seconds ({seconds})")
        if not math.isfinite(grace) or grace < 0:
            raise ValueError(f"time budget: grace must be a non-negative number ({grace})")
        self.seconds = float(seconds)
        self.clock = clock
        self.started = clock()
        self.deadline = self.started + self.seconds
        self.grace_until: float | None = self.deadline + grace if grace > 0 else None
        """When a first plan's computations stop (:meth:`graced`); ``None``: no grace."""

    def remaining(self) -> float:
        return max(0.0, self.deadline - self.clock())

    def elapsed(self) -> float:
        """Seconds since the budget was created."""
        return self.clock() - self.started

    def stopped(self, best: float | None = None) -> bool:
        if self.clock() >= self.deadline:
            self.reason = "time limit"
            return True
        return False

    def within(self, seconds: float, *, grace: bool = True) -> Stop:
        phase = TimeBudget(min(seconds, self.remaining()), clock=self.clock)
        # A phase's first plan may run to the call's grace, not to its own share's end plus one.
        phase.grace_until = self.grace_until if grace else None
        return phase

    def graced(self) -> Stop:
        if self.grace_until is None:
            return self
        return TimeBudget(max(0.0, self.grace_until - self.clock()), clock=self.clock)


class CancelFlag(Stop):
    """Stop when :meth:`cancel` has been called, from any thread (a Cancel button, Ctrl-C)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask every search that checks this flag to stop and return its best plan so far."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def stopped(self, best: float | None = None) -> bool:
        if self._event.is_set():
            self.reason = "cancelled"
            return True
        return False


class NoImprovement(Stop):
    """Stop after ``checks`` consecutive checks without a better (lower) best cost.

    Each call of :meth:`stopped` with a ``best`` is one check; calls without a cost do not
    count, so a phase boundary does not use up the patience of a search.
    """

    def __init__(self, checks: int) -> None:
        if checks < 1:
            raise ValueError(f"no improvement: needs at least one check (got {checks})")
        self.checks = checks
        self._best = math.inf
        self._since = 0

    def stopped(self, best: float | None = None) -> bool:
        if best is None:
            return self._since >= self.checks
        if best < self._best:
            self._best = best
            self._since = 0
        else:
            self._since += 1
        if self._since >= self.checks:
            self.reason = "no improvement"
            return True
        return False


class AnyOf(Stop):
    """Stop as soon as any of ``criteria`` does; the time left is the least of theirs."""

    def __init__(self, criteria: Iterable[Stop]) -> None:
        flat: list[Stop] = []
        for criterion in criteria:
            flat.extend(criterion.criteria if isinstance(criterion, AnyOf) else [criterion])
        self.criteria = tuple(flat)

    def stopped(self, best: float | None = None) -> bool:
        # Every criterion sees every check (NoImprovement counts them), so no short-circuit.
        hits = [c for c in self.criteria if c.stopped(best)]
        if hits:
            self.reason = hits[0].reason
            return True
        return False

    def remaining(self) -> float:
        return min((c.remaining() for c in self.criteria), default=math.inf)

    def within(self, seconds: float, *, grace: bool = True) -> Stop:
        seconds = min(seconds, self.remaining())
        if seconds == math.inf:
            return self
        phase = TimeBudget(seconds, clock=self._clock())
        budgets = [c for c in self.criteria if isinstance(c, TimeBudget)]
        # The tightest grace of the budgets replaced; none if one of them has none.
        ends = [b.grace_until for b in budgets]
        if grace and ends and None not in ends:
            phase.grace_until = min(e for e in ends if e is not None)
        return AnyOf([c for c in self.criteria if not isinstance(c, TimeBudget)]) | phase

    def graced(self) -> Stop:
        return AnyOf([c.graced() for c in self.criteria])

    def _clock(self) -> Clock:
        for criterion in self.criteria:
            if isinstance(criterion, TimeBudget):
                return criterion.clock
        return time.perf_counter


def first_plan_grace(time_limit: float) -> float:
    """Seconds past the deadline of a call with ``time_limit`` that its first plan may take:
    min(0.5 s, 10 % of the limit), within the tolerance max(0.5 s, 10 %) the limit promises
    (see the module docstring). 0 when :data:`FIRST_PLAN_GRACE` is off or there is no limit."""
    if not FIRST_PLAN_GRACE or not math.isfinite(time_limit):
        return 0.0
    return min(0.5, 0.1 * max(0.0, time_limit))


def budget(time_limit: float, stop: Stop | None = None) -> Stop:
    """The stop criterion of a whole call: ``time_limit`` seconds from now, and ``stop``.

    The time is kept on the clock of ``stop``'s own time budget if it has one (a test's fake
    clock), so that every phase of the call reads one clock, and so is its grace for a first
    plan (:meth:`Stop.graced`); a new budget gets :func:`first_plan_grace` of ``time_limit``.
    ``math.inf``: no time limit.
    """
    if time_limit == math.inf:
        return Stop() if stop is None else stop
    if stop is None:
        return TimeBudget(time_limit, grace=first_plan_grace(time_limit))
    if stop.remaining() == math.inf:
        # No time budget yet (a cancel flag alone): this limit is the call's.
        clock = stop._clock() if isinstance(stop, AnyOf) else time.perf_counter
        return stop | TimeBudget(time_limit, clock=clock, grace=first_plan_grace(time_limit))
    return stop.within(time_limit)


FIRST_PLAN_GRACE = True
"""Whether a call's first plan gets a grace past its deadline (:func:`first_plan_grace`)."""


class HaltWatch:
    """The stop criterion inside the compiled loops: a thread that asks ``stop`` every
    :data:`_WATCH` seconds and, once it says stop, sets the kernel's ``halt`` flag (the
    kernels release the GIL, so the thread runs while they do). Without it, the first cycle
    of a large dinner (annealing, descent, tabu: seconds at 1,000 attendees) ran to its end
    whatever the time limit.

    Only the time a criterion has and a cancel flag are asked (``stopped()`` without a cost:
    no NoImprovement check is used up). The computations of a first plan watch
    ``stop.graced()`` (:meth:`Stop.graced`): they are cut at the deadline plus the grace.
    """

    def __init__(self, stop: Stop, halt: Any) -> None:
        self.stop, self.halt = stop, halt
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def _watch(self) -> None:
        while not self._done.wait(_WATCH):
            if self.stop.stopped():
                self.halt[0] = 1
                return

    def __enter__(self) -> HaltWatch:
        if self.stop.stopped():
            self.halt[0] = 1
        else:
            self._thread = threading.Thread(target=self._watch, name="deadline", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()


_WATCH = 0.02
"""Seconds between two looks of :class:`HaltWatch` at the stop criterion."""
