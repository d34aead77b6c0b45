"""The one entry point: :func:`solve` a problem with the exact, the fast, or both solvers."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np

from seating.bounds import degree_bound, proves_optimal
from seating.errors import InputError
from seating.metrics import dinner_metrics
from seating.models import PastDinner, ProblemInput
from seating.problem import DinnerProblem, check_references, compile_dinner
from seating.result import DinnerOutcome, DinnerPlan, Result, Status, TablePlan, table_index
from seating.solvers.local import solve_local

Method = Literal["auto", "cpsat", "local"]
METHODS: tuple[str, ...] = ("auto", "cpsat", "local")

EXACT_SIZE = 40
"""Up to this many attendees, ``auto`` also runs CP-SAT to prove optimality."""

Progress = Callable[[int, int], None]

NO_PLAN = "no plan found within the time limit"

SEASON_PATIENCE = 200_000
"""Tabu steps without a better plan after which :func:`solve` ends a season's search."""


def _solve_cpsat(dinner: DinnerProblem, **kwargs: Any) -> DinnerOutcome:
    """:func:`seating.solvers.cpsat.solve_cpsat`, imported on first use.

    OR-Tools (which imports pandas) costs a third of a second to import, more than the rest
    of ``seating plan`` before the search; a dinner the local search plans alone (``auto``
    above :data:`EXACT_SIZE` attendees, ``local``) never needs it (``python -X importtime``).
    """
    from seating.solvers.cpsat import solve_cpsat as exact_solver

    return exact_solver(dinner, **kwargs)


def _default_workers() -> int:
    # CP-SAT's strength is its portfolio of diverse workers: on 2 cores, 8 workers found bounds
    # about twice as tight as 2 on 24-attendee dinners, measured before the cutting planes.
    # Dinners that now get cutting planes (up to solvers/cpsat.py's EXACT_PAIRS_SIZE = 40
    # attendees, with pair weights) are proved by the LP-based tree search, which 8 workers
    # starve, so solvers/cpsat.py caps those at the core count; 8 stays for larger dinners
    # and for dinners without pair weights.
    return 8


def solve(
    problem: ProblemInput | Mapping[str, Any],
    *,
    method: Method = "auto",
    time_limit: float = 10.0,
    seed: int = 0,
    num_workers: int | None = None,
    initial: Result | None = None,
    progress: Progress | None = None,
) -> Result:
    """Plan the dinners of ``problem``.

    Parameters
    ----------
    problem
        A :class:`~seating.models.ProblemInput` or the same as plain data (parsed JSON).
    method
        ``"cpsat"``: CP-SAT alone (proves optimality on small dinners, reports its bound);
        ``"local"``: the compiled local search; ``"auto"``: the local search, then, for dinners
        of at most :data:`EXACT_SIZE` attendees, CP-SAT started from its plan to prove it.
    time_limit
        Seconds per dinner.
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

    Returns
    -------
    Result
        Always well-formed: a plan with objective and bound, or the status and reason why not.
        Several dinners are planned jointly by :func:`seating.season.planner.plan_season`
        (``time_limit`` per dinner makes the season's budget), each counting the earlier
        planned dinners as history.

    Raises
    ------
    InputError
        The input is invalid (message names the offending id or field).
    """
    started = time.perf_counter()
    if method not in METHODS:
        raise InputError(f"method: unknown method {method!r} (choose from {', '.join(METHODS)})")
    if seed < 0:
        raise InputError(f"seed: must be a non-negative integer (got {seed})")
    if not np.isfinite(time_limit) or time_limit <= 0:
        raise InputError(f"time_limit: must be a positive number of seconds (got {time_limit})")
    if not isinstance(problem, ProblemInput):
        problem = ProblemInput.from_dict(problem)
    check_references(problem)
    workers = num_workers or _default_workers()
    if len(problem.dinners) > 1:
        # Several dinners are planned jointly; imported here, the season package builds on
        # this module.
        from seating.season.planner import SeasonSettings, plan_season

        # Like the single-dinner search, stop once the search has settled: the time limit is
        # a limit, not a target (seating golf and plan_season itself use the whole budget).
        return plan_season(
            problem,
            time_limit=time_limit * len(problem.dinners),
            seed=seed,
            method=method,
            num_workers=workers,
            initial=initial,
            progress=progress,
            settings=SeasonSettings(patience=SEASON_PATIENCE),
        )

    dinner = compile_dinner(problem, 0)
    outcome = solve_dinner(
        dinner,
        method=method,
        time_limit=time_limit,
        seed=seed,
        num_workers=workers,
        initial=_initial_plan(dinner, initial, 0),
    )
    if progress is not None:
        progress(1, 1)
    return result_of(dinner, outcome, time.perf_counter() - started)


def result_of(dinner: DinnerProblem, outcome: DinnerOutcome, runtime_s: float) -> Result:
    """The :class:`Result` of one solved dinner: its plan, or its status and reason."""
    if not outcome.status.has_plan:
        return Result(
            status=outcome.status,
            runtime_s=runtime_s,
            method=outcome.method,
            reason=outcome.reason or NO_PLAN,
            stats=outcome.stats,
        )
    return Result(
        status=outcome.status,
        objective=outcome.objective,
        bound=outcome.bound,
        runtime_s=runtime_s,
        dinners=[_dinner_plan(dinner, outcome)],
        metrics=dinner_metrics(dinner, outcome.table_of),
        method=outcome.method,
        stats=outcome.stats,
    )


def solve_dinner(
    dinner: DinnerProblem,
    *,
    method: Method = "auto",
    time_limit: float = 10.0,
    seed: int = 0,
    num_workers: int | None = None,
    initial: np.ndarray | None = None,
) -> DinnerOutcome:
    """Seat one compiled dinner with the chosen method (see :func:`solve`).

    For callers that compile or adjust a :class:`~seating.problem.DinnerProblem` themselves
    (pins, re-seating). ``initial`` is an ``(n,)`` table index per attendee, ``-1`` = free.
    """
    started = time.perf_counter()
    workers = num_workers or _default_workers()
    if method == "cpsat":
        return _solve_cpsat(dinner, time_limit=time_limit, seed=seed, num_workers=workers,
                            initial=initial)  # fmt: skip
    exact = method == "auto" and dinner.num_attendees <= EXACT_SIZE
    local_limit = 0.3 * time_limit if exact else time_limit
    outcome = solve_local(dinner, seed=seed, time_limit=local_limit, initial=initial)
    left = max(0.5, time_limit - (time.perf_counter() - started))
    if not outcome.status.has_plan:
        # The local search never proves anything: let CP-SAT find a plan or the clash.
        fallback = _solve_cpsat(dinner, time_limit=left, seed=seed, num_workers=workers)
        fallback.method = "local+cpsat"
        return fallback
    bound = degree_bound(dinner)
    proven = False
    if exact:
        proof = _solve_cpsat(dinner, time_limit=left, seed=seed, num_workers=workers,
                             initial=outcome.table_of)  # fmt: skip
        if proof.bound is not None:
            bound = max(bound, proof.bound)
        if proof.status.has_plan and proof.objective < outcome.objective - 1e-9:
            outcome = proof
        # CP-SAT's word on optimality covers the better of the two plans, which it was hinted.
        proven = proof.status is Status.OPTIMAL
        outcome.stats = {**outcome.stats, "cpsat": proof.stats}
        outcome.method = "local+cpsat"
    outcome.bound = bound
    if proven or proves_optimal(outcome.objective, bound):
        outcome.status = Status.OPTIMAL
    outcome.runtime_s = time.perf_counter() - started
    return outcome


def _initial_plan(dinner: DinnerProblem, initial: Result | None, k: int) -> np.ndarray | None:
    """Map an earlier plan onto this dinner's indices; attendees it does not seat get -1."""
    if initial is None or k >= len(initial.dinners):
        return None
    return table_index(dinner, initial.dinners[k])


def _dinner_plan(dinner: DinnerProblem, outcome: DinnerOutcome) -> DinnerPlan:
    tables = [
        TablePlan(
            id=table_id,
            members=[dinner.member_ids[i] for i in np.nonzero(outcome.table_of == t)[0]],
        )
        for t, table_id in enumerate(dinner.table_ids)
    ]
    return DinnerPlan(date=dinner.date, tables=tables, objective=outcome.objective)


def compiled_dinners(problem: ProblemInput, result: Result) -> list[DinnerProblem]:
    """Each planned dinner compiled as the solver saw it (earlier planned dinners as history)."""
    planned = [
        PastDinner(date=d.date, tables=[t.members for t in d.tables]) for d in result.dinners
    ]
    return [compile_dinner(problem, k, planned[:k]) for k in range(len(result.dinners))]
