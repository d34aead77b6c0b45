"""Fault injection: named points inside the store's write transactions where a process can be
stopped on purpose, to show that a crash half-way leaves the database as it was before.

:class:`~seating.club.store.ClubStore` calls :func:`reached` at each point of :data:`POINTS`,
between two writes of one transaction. Nothing happens there unless a hook is installed:

- a test in the same process installs one with :func:`installed` (one that raises, say, to
  check that the transaction rolls back);
- the reliability tests, which SIGKILL a real ``seating`` process, cannot reach into it, so
  they set two environment variables that this module reads once, when it is imported:
  ``SEATING_TEST_CRASH_AT`` names the point, ``SEATING_TEST_CRASH_MARKER`` a file to write on
  arrival; the process then waits there (:func:`pause_until_killed`) for the kill.

Without those variables (every real use) the hook is None and :func:`reached` returns at once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

POINTS = ("import-members", "import-history", "record", "save-drafts")
"""The fault points: half-way through the members of an import, the tables of an imported or
recorded dinner, and the drafts of a season."""

CRASH_AT = "SEATING_TEST_CRASH_AT"
CRASH_MARKER = "SEATING_TEST_CRASH_MARKER"

Hook = Callable[[str], None]
"""Called with the name of each fault point a write passes."""


def reached(point: str) -> None:
    """A write transaction has reached fault point ``point`` (one of :data:`POINTS`)."""
    if _hook is not None:
        _hook(point)


def install(hook: Hook | None) -> Hook | None:
    """Make ``hook`` the fault hook (None: none); returns the one it replaces."""
    global _hook
    previous, _hook = _hook, hook
    return previous


@contextmanager
def installed(hook: Hook | None) -> Iterator[None]:
    """``hook`` is the fault hook inside the block; the previous one is restored after it."""
    previous = install(hook)
    try:
        yield
    finally:
        install(previous)


def pause_until_killed(at: str, marker: Path | None = None) -> Hook:
    """A hook that, at fault point ``at``, writes ``marker`` (the sign for the test that the
    point is reached, inside the transaction) and sleeps until the process is killed."""
    if at not in POINTS:
        raise ValueError(f"{CRASH_AT}: unknown fault point {at!r} (one of {', '.join(POINTS)})")

    def pause(point: str) -> None:
        if point != at:
            return
        if marker is not None:
            marker.write_text(point)
        time.sleep(3600)

    return pause


def _from_environment() -> Hook | None:
    at = os.environ.get(CRASH_AT)
    if not at:
        return None
    marker = os.environ.get(CRASH_MARKER)
    return pause_until_killed(at, Path(marker) if marker else None)


_hook: Hook | None = _from_environment()
