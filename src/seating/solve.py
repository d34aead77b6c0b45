"""The one entry point: :func:`solve` a problem with the exact, the fast, or both solvers.

It validates the input and routes it: one dinner to :func:`seating.solvers.dinner.solve_dinner`,
several to :func:`seating.season.planner.plan_season`, dinners with several courses to
:func:`seating.season.courses.plan_courses`. Nothing in the package imports it back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from seating.compile.courses import has_courses
from seating.compile.problem import check_references, compile_dinner
from seating.errors import InputError, check_seed
from seating.models import ProblemInput
from seating.result import Result
from seating.solvers.dinner import (
    METHODS,
    Method,
    default_workers,
    initial_plan,
    result_of,
    solve_dinner,
    stopped_by,
)
from seating.stop import Stop, budget

Progress = Callable[[int, int], None]

SEASON_PATIENCE = 200_000
"""Tabu steps without a better plan after which :func:`solve` ends a season's search."""


def solve(
    problem: ProblemInput | Mapping[str, Any],
    *,
    method: Method = "auto",
    time_limit: float = 10.0,
    seed: int = 0,
    num_workers: int | None = None,
    initial: Result | None = None,
    progress: Progress | None = None,
    stop: Stop | None = None,
) -> Result:
    """Plan the dinners of ``problem``.

    Parameters
    ----------
    problem
        A :class:`~seating.models.ProblemInput` or the same as plain data (parsed JSON).
    method
        ``"cpsat"``: CP-SAT alone (proves optimality on small dinners, reports its bound);
        ``"local"``: the compiled local search; ``"auto"``: the local search, then, for dinners
        of at most :data:`EXACT_SIZE` attendees, column generation's proof (below) within 40 %
        of the time limit, then CP-SAT started from its plan if that did not finish, and
        for larger dinners (up to 300 attendees) the column-generation lower bound
        (:mod:`seating.solvers.colgen`) within half the time limit, stopping earlier once
        that bound cannot rise further or has stopped rising; ``"exact"``: the local
        search, then column generation and a set-partitioning IP that prove its plan optimal
        or find the optimum (status ``optimal``), or report the proven bound and the gap.
    time_limit
        Seconds for the whole call: reading the input, compiling, every dinner and every
        phase. Searches that settle earlier stop earlier.
    seed
        Random seed. The same seed with ``num_workers=1`` gives the same plan for one dinner
        when the search stops on its own (no improvement) before the time limit, as it does
        on typical dinners; a search cut by the time limit, and a club season (whose extra
        starts are timed), can differ between runs.
    num_workers
        CP-SAT workers; default 8 (CP-SAT's portfolio, even on fewer cores). When CP-SAT gets
        cutting planes (dinners of up to 40 attendees with pair weights), it uses at most one
        worker per core.
    initial
        An earlier plan to start from (members matched by id, tables by id).
    progress
        Called as ``progress(done, total)`` after each dinner.
    stop
        A further stop criterion (:mod:`seating.stop`), e.g. a
        :class:`~seating.stop.CancelFlag` set from another thread: the search then ends at
        its next check and returns the best plan so far.

    Returns
    -------
    Result
        Always well-formed: a plan with objective and bound, or the status and reason why not.
        Several dinners are planned jointly by :func:`seating.season.planner.plan_season`,
        each counting the earlier planned dinners as history; dinners with several courses
        (``dinner.courses``) by :func:`seating.season.courses.plan_courses`, one seating per
        course in ``DinnerPlan.courses``. When ``stop`` or the time limit
        cut the call, ``stats["stopped"]`` says which (``"cancelled"``, ``"time limit"``);
        a cancelled call with a plan also says so in ``reason``.

    Raises
    ------
    InputError
        The input is invalid (message names the offending id or field).
    """
    started = time.perf_counter()
    if method not in METHODS:
        raise InputError(f"method: unknown method {method!r} (choose from {', '.join(METHODS)})")
    check_seed(seed)
    if not np.isfinite(time_limit) or time_limit <= 0:
        raise InputError(f"time_limit: must be a positive number of seconds (got {time_limit})")
    # One criterion for the whole call, started before the input is read and compiled.
    stop = budget(time_limit, stop)
    if not isinstance(problem, ProblemInput):
        problem = ProblemInput.from_dict(problem)
    check_references(problem)
    workers = num_workers or default_workers()
    if has_courses(problem) or len(problem.dinners) > 1:
        # Imported only for seasons and dinners with courses. Like the single-dinner search,
        # both stop once the search has settled: the time limit is a limit, not a target
        # (seating golf and plan_season itself use the whole budget).
        from seating.season.courses import plan_courses
        from seating.season.planner import SeasonSettings, plan_season

        planner = plan_courses if has_courses(problem) else plan_season
        return planner(
            problem,
            time_limit=time_limit,
            seed=seed,
            method=method,
            num_workers=workers,
            initial=initial,
            progress=progress,
            settings=SeasonSettings(patience=SEASON_PATIENCE),
            stop=stop,
        )

    dinner = compile_dinner(problem, 0)
    outcome = solve_dinner(
        dinner,
        method=method,
        time_limit=time_limit,
        seed=seed,
        num_workers=workers,
        initial=initial_plan(dinner, initial, 0),
        stop=stop,
    )
    if progress is not None:
        progress(1, 1)
    return stopped_by(stop, result_of(dinner, outcome, time.perf_counter() - started))
