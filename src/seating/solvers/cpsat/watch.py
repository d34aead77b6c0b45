"""Run a CP-SAT solve that a stop criterion can end early (a cancel from another thread).

CP-SAT ends on its own time limit; a :class:`~seating.stop.CancelFlag` or any other criterion
is checked by a watcher thread every :data:`POLL` seconds, which asks the solver to stop.
OR-Tools' :meth:`CpSolver.stop_search` is safe to call from another thread, and the solve then
returns its best solution so far (status ``FEASIBLE``) or ``UNKNOWN``. A request made before the
search has begun is lost, so the watcher repeats it until the solve returns, as the OR-Tools
maintainers advise (google/or-tools issue 3621).
"""

from __future__ import annotations

import threading

from ortools.sat.python import cp_model

from seating.stop import Stop

POLL = 0.05
"""Seconds between two checks of the stop criterion during a solve."""


def seconds_left(time_limit: float, stop: Stop | None) -> float:
    """The time a solve may take: ``time_limit``, or less when ``stop`` has less left."""
    return float(time_limit) if stop is None else min(float(time_limit), stop.remaining())


def solve_watched(
    solver: cp_model.CpSolver, model: cp_model.CpModel, stop: Stop | None
) -> tuple[int, str | None]:
    """``solver.solve(model)``, stopped early once ``stop`` says so.

    Parameters
    ----------
    solver
        The solver, its parameters (time limit, workers, seed) already set.
    model
        The model to solve.
    stop
        The criterion to watch; ``None`` runs the solve as it is.

    Returns
    -------
    tuple
        CP-SAT's status code, and the criterion's :attr:`~seating.stop.Stop.reason` when the
        watcher asked the search to stop (else ``None``; CP-SAT's own time limit is not a
        stop request).
    """
    if stop is None:
        return solver.solve(model), None
    done = threading.Event()
    requested: list[str] = []

    def watch() -> None:
        while not done.wait(POLL):
            if stop.stopped():
                if not requested:
                    requested.append(stop.reason)
                solver.stop_search()

    watcher = threading.Thread(target=watch, name="cpsat-stop", daemon=True)
    watcher.start()
    try:
        code = solver.solve(model)
    finally:
        done.set()
        watcher.join()
    return code, (requested[0] if requested else None)
