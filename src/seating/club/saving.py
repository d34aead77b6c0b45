"""The moments a command saves something, as one critical section that an interrupt waits for.

Every write of the organiser's data goes through :func:`saving`: the ``COMMIT`` of a database
transaction (:class:`~seating.club.database.Database`) and the move of an atomically written
file into place (:mod:`seating.club.writing`). The command line's Ctrl-C handler
(:mod:`seating.cli.interrupt`) takes the same lock before it ends the process, so an interrupt
never lands half-way through a save, and it can say truthfully whether anything was saved
(:func:`saved_anything`).

Library callers who never interrupt pay one uncontended lock per save.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

LOCK = threading.RLock()
"""Held while something is being saved; the interrupt handler takes it before exiting."""

_saved = False


@contextmanager
def saving() -> Iterator[None]:
    """Hold :data:`LOCK` while the block saves; once it has completed, something was saved."""
    global _saved
    with LOCK:
        yield
        _saved = True


def saved_anything() -> bool:
    """Whether a save has completed in this process (call it holding :data:`LOCK`)."""
    return _saved
