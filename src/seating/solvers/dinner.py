"""Seat one compiled dinner: the local search, CP-SAT, or the local search proved by column
generation (:mod:`seating.solvers.colgen`) or CP-SAT.

:func:`solve_dinner` is the core's per-dinner path, shared by :func:`seating.solve`, the season
planner (its dinner-by-dinner start) and re-seating; :func:`result_of` turns its
:class:`~seating.solvers.outcome.DinnerOutcome` into the public :class:`~seating.result.Result`.
"""

from __future__ import annotations

import time
from typing import Any, Literal

import numpy as np

from seating.compile.bounds import degree_bound, proves_optimal
from seating.compile.metrics import dinner_metrics
from seating.compile.plans import dinner_plan, table_index
from seating.compile.problem import NO_LIMIT, DinnerProblem
from seating.result import Result, Status
from seating.solvers.local.search import solve_local
from seating.solvers.outcome import DinnerOutcome
from seating.stop import Stop, budget

Method = Literal["auto", "cpsat", "local", "exact"]
METHODS: tuple[str, ...] = ("auto", "cpsat", "local", "exact")

EXACT_SIZE = 40
"""Up to this many attendees, ``auto`` also proves optimality: column generation, then CP-SAT
if that did not finish."""

PROOF_SHARE = 0.4
"""Share of the time limit that ``auto`` gives column generation's proof on dinners of at most
:data:`EXACT_SIZE` attendees, before CP-SAT."""

BOUND_SHARE = 0.5
"""Share of the time limit that ``auto`` gives column generation's bound on larger dinners
(the local search usually settles well before its share is used); column generation stops
earlier once its bound cannot rise further or has stopped rising
(:class:`~seating.solvers.colgen.bound.Settle`)."""

NO_PLAN = "no plan found within the time limit"
CANCELLED = "cancelled: the best plan found before the cancel"


def solve_cpsat(dinner: DinnerProblem, **kwargs: Any) -> DinnerOutcome:
    """:func:`seating.solvers.cpsat.model.solve_cpsat`, imported on first use.

    OR-Tools (which imports pandas) costs a third of a second to import, more than the rest
    of ``seating plan`` before the search; a dinner the local search plans alone (``auto``
    above :data:`EXACT_SIZE` attendees, ``local``) never needs it (``python -X importtime``).
    """
    from seating.solvers.cpsat.model import solve_cpsat as exact_solver

    return exact_solver(dinner, **kwargs)


def _colgen() -> Any:
    """:mod:`seating.solvers.colgen.run`, imported on first use (it imports OR-Tools)."""
    from seating.solvers.colgen import run

    return run


def default_workers() -> int:
    """CP-SAT workers when the caller names none."""
    # CP-SAT's strength is its portfolio of diverse workers: on 2 cores, 8 workers found bounds
    # about twice as tight as 2 on 24-attendee dinners, measured before the cutting planes.
    # Dinners that now get cutting planes (up to solvers/cpsat/model.py's EXACT_PAIRS_SIZE = 40
    # attendees, with pair weights) are proved by the LP-based tree search, which 8 workers
    # starve, so solvers/cpsat/model.py caps those at the core count; 8 stays for larger dinners
    # and for dinners without pair weights.
    return 8


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
        dinners=[dinner_plan(dinner, outcome.table_of, outcome.objective)],
        metrics=dinner_metrics(dinner, outcome.table_of),
        method=outcome.method,
        stats=outcome.stats,
    )


def stopped_by(stop: Stop, result: Result) -> Result:
    """``result``, saying in ``stats["stopped"]`` when ``stop`` (the budget of the whole call)
    has stopped, and in ``reason`` when a cancel ended a call that still has a plan."""
    if not stop.stopped():
        return result
    update: dict[str, Any] = {"stats": {**result.stats, "stopped": stop.reason}}
    if stop.reason == "cancelled" and result.status.has_plan:
        update["reason"] = CANCELLED
    return result.model_copy(update=update)


def solve_dinner(
    dinner: DinnerProblem,
    *,
    method: Method = "auto",
    time_limit: float = 10.0,
    seed: int = 0,
    num_workers: int | None = None,
    initial: np.ndarray | None = None,
    stop: Stop | None = None,
) -> DinnerOutcome:
    """Seat one compiled dinner with the chosen method (see :func:`seating.solve`).

    ``exact`` runs the local search, then column generation and the set-partitioning IP
    (:mod:`seating.solvers.colgen`) to prove its plan optimal or find the optimum. ``auto``
    on dinners of at most :data:`EXACT_SIZE` attendees does the same within
    :data:`PROOF_SHARE` of the time limit and hands what is left to CP-SAT when that proof did
    not finish; on larger dinners it adds column generation's bound to the local search's
    plan, within :data:`BOUND_SHARE` of the time limit.

    For callers that compile or adjust a :class:`~seating.compile.problem.DinnerProblem` themselves
    (pins, re-seating). ``initial`` is an ``(n,)`` table index per attendee, ``-1`` = free.
    ``time_limit`` is the budget of this call; ``stop`` (the caller's budget, a cancel flag)
    ends it earlier. Once it has stopped, CP-SAT is not started: the outcome is the local
    search's plan (its start, when it was stopped before the first cycle) or a timeout.
    """
    started = time.perf_counter()
    stop = budget(time_limit, stop)
    workers = num_workers or default_workers()
    if (clash := obvious_clash(dinner)) is not None:
        return DinnerOutcome(
            status=Status.INFEASIBLE,
            method=method,
            reason=clash,
            runtime_s=time.perf_counter() - started,
        )
    if method == "cpsat":
        return _cpsat(dinner, stop, seed=seed, num_workers=workers, initial=initial)
    exact = method == "auto" and dinner.num_attendees <= EXACT_SIZE
    # With a proof to follow, the local search gets 30 % and the proof the rest.
    share = 0.3 * time_limit if exact or method == "exact" else time_limit
    outcome = solve_local(dinner, seed=seed, time_limit=share, initial=initial, stop=stop)
    if not outcome.status.has_plan:
        # The local search never proves anything: let CP-SAT find a plan or the clash.
        fallback = _cpsat(dinner, stop, seed=seed, num_workers=workers)
        fallback.method = "local+cpsat"
        return fallback
    bound = degree_bound(dinner)
    proven = False
    # Out of time after the local search: no proof or bound is started (importing column
    # generation, with OR-Tools, alone would take a third of a second more).
    out_of_time = stop.stopped()
    if out_of_time:
        outcome.stats = {**outcome.stats, "colgen": {"skipped": "no time left"}}
    if method == "exact" and not out_of_time:
        outcome = _colgen().prove_plan(dinner, outcome, bound, stop)
        outcome.method = "local+colgen"
        outcome.runtime_s = time.perf_counter() - started
        return outcome
    if method == "auto" and not exact and not out_of_time:
        # Column generation's bound, for a share of the time: "how good is this plan?"
        outcome = _colgen().add_bound(dinner, outcome, bound, stop.within(BOUND_SHARE * time_limit))
        bound = outcome.bound
    if exact and not out_of_time:
        # Column generation proves most small dinners in well under a second (24 attendees:
        # 0.7-1.5 s against CP-SAT's 7-20 s on the same loaded machine, docs/benchmarks.md);
        # CP-SAT gets what is left when it does not.
        outcome = _colgen().prove_plan(
            dinner, outcome, bound, stop.within(PROOF_SHARE * time_limit)
        )
        if outcome.status is Status.OPTIMAL:
            outcome.method = "local+colgen"
            outcome.runtime_s = time.perf_counter() - started
            return outcome
        bound = max(bound, outcome.bound if outcome.bound is not None else bound)
        proof = _cpsat(dinner, stop, seed=seed, num_workers=workers, initial=outcome.table_of)
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


def obvious_clash(dinner: DinnerProblem) -> str | None:
    """A reason no plan exists that counting shows at once, or ``None``.

    More attendees of one company (industry) than the tables can hold at the limit per table:
    12 people of one company at 11 tables, one each; more newcomers than the tables take at
    ``rules.max_newcomers_per_table``. CP-SAT proves it too, but with every
    member on its own the proof and the explanation took 11 s of a 1 s limit.
    """
    for codes, limit, names, what in (
        (dinner.company, dinner.max_per_company, dinner.company_names, "company"),
        (dinner.industry, dinner.max_per_industry, dinner.industry_names, "industry"),
    ):
        if limit == NO_LIMIT:
            continue
        counts = np.bincount(codes[codes >= 0], minlength=len(names))
        room = limit * dinner.num_tables
        for code in np.flatnonzero(counts > room):
            return (
                f"these rules clash: at most {limit} of {what} {names[code]!r} per table "
                f"({counts[code]} attend, {dinner.num_tables} tables)"
            )
    return _too_many_newcomers(dinner)


def _too_many_newcomers(dinner: DinnerProblem) -> str | None:
    """More newcomers than the tables take at the newcomer cap, named: the fast search would
    only say that it found nothing in time."""
    rules = dinner.table_rules
    if not rules.newcomers_ruled or not rules.max_newcomers:
        return None
    fresh = np.flatnonzero(rules.newcomer)
    room = rules.max_newcomers * dinner.num_tables
    if fresh.size <= room:
        return None
    who = ", ".join(
        f"{dinner.member_ids[i]!r}"
        + (f" ({dinner.names[i]})" if dinner.names[i] != dinner.member_ids[i] else "")
        for i in fresh
    )
    return (
        f"these rules clash: at most {rules.max_newcomers} newcomers per table "
        f"({fresh.size} newcomers: {who}; {dinner.num_tables} "
        f"table{'s' if dinner.num_tables != 1 else ''})"
    )


def _cpsat(dinner: DinnerProblem, stop: Stop, **kwargs: Any) -> DinnerOutcome:
    """CP-SAT for the time ``stop`` leaves, or a timeout without starting it when ``stop``
    has stopped already."""
    if stop.stopped():
        cancelled = stop.reason == "cancelled"
        return DinnerOutcome(
            status=Status.UNKNOWN,
            method="cpsat",
            reason="cancelled before a plan was found" if cancelled else NO_PLAN,
            stats={"stopped": stop.reason},
        )
    # Imported before the clock is read: the import (a third of a second) is part of the
    # budget, and CP-SAT gets what is left after it.
    import ortools.sat.python.cp_model  # noqa: F401

    return solve_cpsat(dinner, time_limit=stop.remaining(), stop=stop, **kwargs)


def initial_plan(dinner: DinnerProblem, initial: Result | None, k: int) -> np.ndarray | None:
    """Map an earlier plan onto this dinner's indices; attendees it does not seat get -1."""
    if initial is None or k >= len(initial.dinners):
        return None
    return table_index(dinner, initial.dinners[k])
