"""Searches that run off the request thread: one worker thread per job, a progress figure the
browser polls, a Cancel button wired to a :class:`~seating.stop.CancelFlag`.

A job is keyed by what it changes (the dinner's date): while one runs, a second job with the
same key is refused (:class:`JobBusyError`), so two browser tabs cannot plan the same dinner at
once.
The search itself stops on its time limit or on the flag; either way the best plan found so far
is what the job saves (the solvers return it). Saving opens its own store connection in the
worker thread: the store's transactions serialise it against other writers (the CLI, a tab).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from seating.stop import CancelFlag

KEEP_FINISHED = 50
"""Finished jobs remembered (their page may still be open), oldest dropped first."""


class JobBusyError(Exception):
    """A job with the same key is running."""


@dataclass
class Job:
    """One search in a worker thread.

    Attributes
    ----------
    id
        Random, unguessable: the job's address.
    key
        What it changes (``plan 2026-12-03``); one running job per key.
    time_limit
        Seconds the search may take: the progress bar runs against it.
    cancel
        Set by the Cancel button; the search stops at its next check and keeps its best plan.
    state
        ``running``, ``done`` or ``failed``.
    outcome
        What the work returned (a face-specific summary), when done.
    error
        The one-line error, when failed.
    """

    id: str
    key: str
    time_limit: float
    cancel: CancelFlag = field(default_factory=CancelFlag)
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    state: str = "running"
    outcome: Any = None
    error: str | None = None

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def progress(self) -> float:
        """From 0 to 1: elapsed time against the limit (1 when finished)."""
        if self.state != "running":
            return 1.0
        return min(0.99, self.elapsed / max(self.time_limit, 1e-9))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "state": self.state,
            "progress": round(self.progress, 3),
            "elapsed_s": round(self.elapsed, 2),
            "time_limit_s": self.time_limit,
            "cancelled": self.cancel.cancelled,
            "error": self.error,
        }


class Jobs:
    """The running and recently finished jobs of one app."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}

    def start(
        self,
        key: str,
        time_limit: float,
        work: Callable[[Job], Any],
        errors: Callable[[BaseException], str | None],
    ) -> Job:
        """Run ``work(job)`` in a worker thread.

        ``errors`` turns an exception of ``work`` into the one-line message the page shows
        (None: not an input error, re-raised in the thread after the job is marked failed).

        Raises
        ------
        JobBusyError
            A job with ``key`` is running.
        """
        with self._lock:
            for job in self._jobs.values():
                if job.key == key and job.state == "running":
                    raise JobBusyError(
                        f"{key} is already running (job {job.id}); wait or cancel it"
                    )
            job = Job(secrets.token_urlsafe(12), key, time_limit)
            self._jobs[job.id] = job
            self._forget_old()

        def run() -> None:
            try:
                job.outcome = work(job)
                job.state = "done"
            except BaseException as exc:
                job.error = errors(exc) or f"internal error: {type(exc).__name__}: {exc}"
                job.state = "failed"
                if errors(exc) is None:
                    raise
            finally:
                job.finished = time.monotonic()

        threading.Thread(target=run, name=f"seating-job-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def touching(self, date: object) -> Job | None:
        """A running job that plans the dinner of ``date`` (alone or in a season), if any."""
        return next((j for j in self.running() if str(date) in j.key.split()), None)

    def running(self) -> list[Job]:
        with self._lock:
            return [j for j in self._jobs.values() if j.state == "running"]

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.state != "running"]
        for job in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[job.id]
