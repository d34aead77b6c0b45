"""Fast solver: simulated annealing with move and swap neighbourhoods, then descent.

The inner loop is compiled (:mod:`seating.solvers._kernel`); this module builds the unit
arrays, picks temperatures and runs annealing cycles until a stopping criterion holds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from seating.objective import objective, violations
from seating.problem import DinnerProblem
from seating.result import DinnerOutcome, Status
from seating.solvers import _kernel


@dataclass(frozen=True)
class Units:
    """Attendees grouped into the blocks the search moves: keep-together groups and singles."""

    start: np.ndarray  # (U + 1,) CSR offsets into members
    members: np.ndarray  # (n,) attendee indices, unit by unit
    size: np.ndarray  # (U,)
    fixed: np.ndarray  # (U,) table a unit must sit at, -1 if free
    of_member: np.ndarray  # (n,) unit of each attendee

    @property
    def count(self) -> int:
        return self.size.shape[0]


def build_units(problem: DinnerProblem) -> Units | None:
    """Group attendees into units; ``None`` if a group holds hosts of two different tables."""
    n = problem.num_attendees
    of_member = np.full(n, -1, dtype=np.int64)
    blocks: list[np.ndarray] = []
    for group in problem.groups:
        of_member[group] = len(blocks)
        blocks.append(group)
    for i in range(n):
        if of_member[i] < 0:
            of_member[i] = len(blocks)
            blocks.append(np.array([i], dtype=np.int64))
    fixed = np.full(len(blocks), -1, dtype=np.int64)
    for u, block in enumerate(blocks):
        hosts = np.unique(problem.host_table[block])
        hosts = hosts[hosts >= 0]
        if hosts.size > 1:
            return None
        if hosts.size == 1:
            fixed[u] = hosts[0]
    size = np.array([b.size for b in blocks], dtype=np.int64)
    start = np.concatenate(([0], np.cumsum(size))).astype(np.int64)
    return Units(start, np.concatenate(blocks), size, fixed, of_member)


def _fits(start: np.ndarray, units: Units, problem: DinnerProblem) -> bool:
    """Whether a start (``-1`` = not seated yet) names real tables and overfills none."""
    placed = start >= 0
    if start.max(initial=-1) >= problem.num_tables:
        return False
    seated = np.bincount(start[placed], weights=units.size[placed], minlength=problem.num_tables)
    return bool((seated <= problem.capacity).all())


def _penalty(problem: DinnerProblem) -> float:
    # One broken rule must cost more than anything a member's seat can gain.
    biggest = float(np.abs(problem.weights).sum(axis=1).max(initial=0.0))
    fair = problem.fairness * problem.num_attendees**2
    return 10.0 * (1.0 + biggest + fair)


def _temperature_scale(problem: DinnerProblem) -> float:
    nonzero = np.abs(problem.weights[problem.weights != 0])
    scale = float(np.median(nonzero)) if nonzero.size else 1.0
    return max(scale, problem.fairness, 1e-6)


@dataclass(frozen=True)
class LocalSearchSettings:
    """Stopping criteria and schedule of the local search.

    Parameters
    ----------
    time_limit
        Wall-clock seconds; checked between annealing cycles.
    max_cycles
        Annealing cycles at most (each restarts from the best plan at ``t_start``).
    patience
        Stop after this many cycles in a row without improvement.
    iterations_per_unit
        Annealing steps per cycle, per unit.
    """

    time_limit: float = 10.0
    max_cycles: int = 1000
    patience: int = 4
    iterations_per_unit: int = 2000


def solve_local(
    problem: DinnerProblem,
    *,
    seed: int = 0,
    time_limit: float = 10.0,
    initial: np.ndarray | None = None,
    settings: LocalSearchSettings | None = None,
) -> DinnerOutcome:
    """Seat one dinner with the local search.

    Parameters
    ----------
    problem
        The compiled dinner.
    seed
        Random seed; the same seed gives the same plan when no time limit cuts the search.
    time_limit
        Seconds; overrides ``settings.time_limit``.
    initial
        Optional ``(n,)`` table of each attendee to start from (e.g. a draft plan).
    settings
        Schedule and stopping criteria.

    Returns
    -------
    DinnerOutcome
        Status ``feasible`` with the plan, or ``timeout`` (no plan) when the best plan found
        breaks a rule; the local search never proves optimality or infeasibility.
    """
    started = time.perf_counter()
    settings = settings or LocalSearchSettings()
    units = build_units(problem)
    if units is None:
        return DinnerOutcome(
            status=Status.UNKNOWN,
            method="local",
            stats={"reason": "a keep-together group holds two hosts"},
        )
    membership = np.zeros((problem.num_attendees, units.count))
    membership[units.members, np.repeat(np.arange(units.count), units.size)] = 1.0
    penalty = _penalty(problem)
    member_cost = problem.weights + penalty * problem.forbidden
    W = membership.T @ member_cost @ membership
    np.fill_diagonal(W, 0.0)

    start = np.full(units.count, -1, dtype=np.int64)
    if initial is not None:
        start = np.asarray(initial, dtype=np.int64)[units.members[units.start[:-1]]]
        start[units.fixed >= 0] = units.fixed[units.fixed >= 0]
        if not _fits(start, units, problem):
            start[:] = -1  # an unusable start: build one greedily instead
    rng = np.random.default_rng(seed)
    data = (
        W,
        units.start,
        units.members,
        units.size,
        units.fixed,
        problem.capacity.astype(np.int64),
        problem.company.astype(np.int64),
        int(problem.max_per_company),
        problem.industry.astype(np.int64),
        int(problem.max_per_industry),
        problem.met_before.astype(np.int64),
        float(problem.fairness),
        float(penalty),
    )
    scale = _temperature_scale(problem)
    iterations = settings.iterations_per_unit * units.count
    best = np.empty(units.count, dtype=np.int64)
    best_cost = np.inf
    cycles = stale = 0
    while cycles < settings.max_cycles and stale < settings.patience:
        plan = np.empty(units.count, dtype=np.int64)
        cost = _kernel.search(
            data, start, int(rng.integers(2**31 - 1)), iterations, 2.0 * scale, 0.01 * scale, plan
        )
        cycles += 1
        if cost < best_cost - 1e-9:
            best, best_cost, stale = plan, cost, 0
        else:
            stale += 1
        if not np.isfinite(cost) or time.perf_counter() - started >= time_limit:
            break
        start = best

    stats = {"cycles": cycles, "iterations": cycles * iterations, "units": units.count}
    runtime = time.perf_counter() - started
    if not np.isfinite(best_cost):
        return DinnerOutcome(
            status=Status.UNKNOWN,
            method="local",
            runtime_s=runtime,
            stats={**stats, "reason": "no table had room for a group"},
        )
    table_of = best[units.of_member]
    if violations(problem, table_of):
        return DinnerOutcome(
            status=Status.UNKNOWN,
            method="local",
            runtime_s=runtime,
            stats={**stats, "reason": "best plan found breaks a rule"},
        )
    return DinnerOutcome(
        status=Status.FEASIBLE,
        table_of=table_of,
        objective=objective(problem, table_of),
        method="local",
        runtime_s=runtime,
        stats=stats,
    )
