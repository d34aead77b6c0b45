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

    def within(self, seconds: float) -> Stop:
        """This criterion, further limited to ``seconds`` from now (for one phase of a search).

        ``math.inf`` adds no limit (the criterion itself is returned).
        """
        return self if seconds == math.inf else self | TimeBudget(seconds)

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
    """

    def __init__(self, seconds: float, *, clock: Clock = time.perf_counter) -> None:
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"time budget: must be a non-negative number of seconds ({seconds})")
        self.seconds = float(seconds)
        self.clock = clock
        self.started = clock()
        self.deadline = self.started + self.seconds

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

    def within(self, seconds: float) -> Stop:
        return TimeBudget(min(seconds, self.remaining()), clock=self.clock)


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

    def within(self, seconds: float) -> Stop:
        seconds = min(seconds, self.remaining())
        if seconds == math.inf:
            return self
        return AnyOf([c for c in self.criteria if not isinstance(c, TimeBudget)]) | TimeBudget(
            seconds, clock=self._clock()
        )

    def _clock(self) -> Clock:
        for criterion in self.criteria:
            if isinstance(criterion, TimeBudget):
                return criterion.clock
        return time.perf_counter


def budget(time_limit: float, stop: Stop | None = None) -> Stop:
    """The stop criterion of a whole call: ``time_limit`` seconds from now, and ``stop``.

    The time is kept on the clock of ``stop``'s own time budget if it has one (a test's fake
    clock), so that every phase of the call reads one clock. ``math.inf``: no time limit.
    """
    if stop is None:
        return Stop() if time_limit == math.inf else TimeBudget(time_limit)
    return stop.within(time_limit)


class HaltWatch:
    """The stop criterion inside the compiled loops: a thread that asks ``stop`` every
    :data:`_WATCH` seconds and, once it says stop, sets the kernel's ``halt`` flag (the
    kernels release the GIL, so the thread runs while they do). Without it, the first cycle
    of a large dinner (annealing, descent, tabu: seconds at 1,000 attendees) ran to its end
    whatever the time limit.

    Only the time a criterion has and a cancel flag are asked (``stopped()`` without a cost:
    no NoImprovement check is used up).
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
