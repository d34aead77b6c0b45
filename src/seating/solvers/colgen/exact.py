"""Prove a plan optimal: reduced-cost enumeration and the set-partitioning IP over what is left.

At any duals ``pi`` with Lagrangian bound ``L`` (:mod:`seating.solvers.colgen.bound`), a plan of
cost at most ``C`` only uses tables S of type k with ``cost(S) - pi[S] <= C - L + min(0, v_k)``:
its cost is ``sum(pi)`` plus the values ``cost(S) - pi[S]`` of its tables, and its other tables
of each type are worth at least ``v_k`` each. So listing every table under that threshold (the
compiled search in enumeration mode) and solving the set-partitioning IP over those tables
alone either finds the best plan of cost at most ``C`` or proves that there is none.

With integer costs the steps go up one at a time from the rounded bound: ``C = bound``, then
``bound + 1``, ... up to the plan's objective less one; each IP without a plan raises the proven
bound to ``C + 1``, and the first IP with a plan gives the optimum. Small thresholds list few
tables, so the cheap steps come first (on the 80-attendee benchmark dinners the lists grow
about sixfold per step: 279, 4,533, 40,071, 249,412 tables). Listing stops at
:data:`MAX_TABLES` tables (the memory cap), and the outcome says so.

The IP (every attendee at exactly one listed table, at most ``count_k`` tables of type k) is
solved by a compiled depth-first search with forward checking
(:mod:`seating.solvers.colgen.partition`), run in slices of :data:`SLICE` table checks so that
a time limit is honoured within a fraction of a second; a step it did not finish proves
nothing, and the bound stays at what the finished steps proved. Each step's tables, listing
nodes, table checks and seconds go to ``stats["log"]``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from seating.compile.problem import DinnerProblem
from seating.solvers.colgen import partition
from seating.solvers.colgen.bound import ColgenBound, nodes_for
from seating.solvers.colgen.pricing import COMPLETE, FULL
from seating.solvers.colgen.tables import Pricing
from seating.stop import Stop

SLICE = 20_000_000
"""Table checks of the partition search between two looks at the stop criterion (a fraction
of a second: 30-60 million checks a second measured on the 80-attendee dinners)."""

MAX_TABLES = 1_000_000
"""Most tables listed for one IP (memory cap of the enumeration): about 750 bytes a table at
the peak (the listed tuples and the partition search's arrays), so under 1 GiB with the rest
of the process; the benchmark records the peak (``peak_rss_mib``, docs/benchmarks.md)."""


@dataclass
class ExactOutcome:
    """What the proof found.

    Attributes
    ----------
    bound
        The proven lower bound after the steps that finished.
    table_of, objective
        A better plan found by an IP (``None`` when none).
    optimal
        The best plan (the IP's, or the given one) is proven optimal.
    stats
        Steps, tables listed, why it stopped.
    """

    bound: float
    table_of: np.ndarray | None = None
    objective: float | None = None
    optimal: bool = False
    stats: dict[str, object] = field(default_factory=dict)


def prove(
    dinner: DinnerProblem,
    objective: float,
    colgen: ColgenBound,
    stop: Stop,
    *,
    pricing: Pricing | None = None,
    max_tables: int = MAX_TABLES,
    slice_checks: int = SLICE,
) -> ExactOutcome:
    """Close the gap between ``colgen``'s bound and a plan of cost ``objective``.

    Parameters
    ----------
    dinner
        The compiled dinner.
    objective
        The cost of the best plan known.
    colgen
        The column-generation outcome whose duals price the tables (needs a bound).
    stop
        Checked between steps; it also caps the nodes of each listing and the IP's time.
    pricing
        The dinner's search arrays, when the caller has them already.
    max_tables
        Memory cap: most tables listed for one step.
    slice_checks
        Table checks of the partition search between two looks at ``stop``.
    """
    started = time.perf_counter()
    pricing = pricing or Pricing(dinner)
    types = pricing.types
    bound = colgen.bound if colgen.bound is not None else -math.inf
    stats: dict[str, object] = {"steps": 0, "tables": 0, "stopped": ""}
    out = ExactOutcome(bound=bound, stats=stats)
    if colgen.pi is None or colgen.type_min is None:
        stats["stopped"] = "no bound from column generation"
        return out
    if bound >= objective - 1e-9:
        out.optimal = True
        stats["stopped"] = "the bound proves the plan optimal"
        return out
    steps = _targets(bound, objective, colgen.integral)
    log: list[dict[str, object]] = []
    stats["log"] = log
    for target in steps:
        if stop.stopped():
            stats["stopped"] = stop.reason
            break
        step_started = time.perf_counter()
        step: dict[str, object] = {"target": target, "tables": 0, "listing_nodes": 0}
        log.append(step)
        slack = target - colgen.lagrangian
        columns: list[tuple[int, tuple[int, ...], float]] = []
        full = False
        for k, kind in enumerate(types):
            tables, status, _, nodes = pricing.search(
                kind,
                colgen.pi,
                slack + colgen.type_min[k] + 1e-7,
                enumerate_all=True,
                max_out=max(1, max_tables - len(columns)),
                node_limit=nodes_for(stop, 10**12),
            )
            step["listing_nodes"] = int(step["listing_nodes"]) + nodes
            if status == FULL:
                full = True
                break
            if status != COMPLETE:
                stats["stopped"] = stop.reason or "time limit"
                return _done(out, started)
            columns.extend((k, members, cost) for members, cost in tables)
        stats["steps"] = int(stats["steps"]) + 1
        stats["tables"] = len(columns)
        step["tables"] = len(columns)
        if full:
            stats["stopped"] = f"more than {max_tables:,} tables to list (memory cap)"
            break
        found = _set_partitioning(
            dinner, types, columns, target, colgen.pi, stop, step, slice_checks
        )
        step["seconds"] = round(time.perf_counter() - step_started, 3)
        if found is None:
            stats["stopped"] = stop.reason or "the IP did not finish in time"
            break
        value, table_of = found
        if table_of is None:
            # No plan of cost at most ``target``: the optimum is above it.
            out.bound = _next_bound(target, colgen.integral, objective)
            if out.bound >= objective - 1e-9:
                out.bound = objective
                out.optimal = True
                stats["stopped"] = "no better plan exists"
                break
            continue
        out.table_of, out.objective = table_of, value
        out.bound = value
        out.optimal = True
        stats["stopped"] = "found the optimum"
        break
    return _done(out, started)


def _done(out: ExactOutcome, started: float) -> ExactOutcome:
    out.stats["seconds"] = round(time.perf_counter() - started, 3)
    return out


def _targets(bound: float, objective: float, integral: bool) -> list[float]:
    """The costs ``C`` to try: every integer from the bound to the objective less one, or
    (fractional costs) just below the objective."""
    if integral:
        return [float(c) for c in range(math.ceil(bound - 1e-9), round(objective))]
    return [objective - 1e-6 * max(1.0, abs(objective))]


def _next_bound(target: float, integral: bool, objective: float) -> float:
    return target + 1.0 if integral else objective


def _set_partitioning(
    dinner: DinnerProblem,
    types: list,
    columns: list[tuple[int, tuple[int, ...], float]],
    target: float,
    pi: np.ndarray,
    stop: Stop,
    step: dict[str, object],
    slice_checks: int,
) -> tuple[float | None, np.ndarray | None] | None:
    """The cheapest plan of cost at most ``target`` from ``columns``
    (:class:`~seating.solvers.colgen.partition.PartitionSearch`, in slices of
    ``slice_checks`` table checks between looks at ``stop``; the checks go to ``step``).

    Returns ``(value, table_of)``, ``(None, None)`` when no such plan exists, ``None`` when
    the search did not finish.
    """
    n = dinner.num_attendees
    step["checks"] = 0
    if not columns:
        return None, None
    cap = max(len(members) for _, members, _ in columns)
    members = np.full((len(columns), cap), -1, dtype=np.int64)
    kind = np.empty(len(columns), dtype=np.int64)
    value = np.empty(len(columns))
    for c, (k, seated, cost) in enumerate(columns):
        members[c, : len(seated)] = seated
        kind[c] = k
        value[c] = cost - pi[list(seated)].sum()
    if (np.bincount(members[members >= 0], minlength=n) == 0).any():
        return None, None  # an attendee without any listed table
    counts = np.array([t.count for t in types], dtype=np.int64)
    search = partition.PartitionSearch(members, kind, value, counts, n, float(target - pi.sum()))
    while search.run(slice_checks) != partition.COMPLETE:
        step["checks"] = search.work
        if stop.stopped():
            return None
    step["checks"] = search.work
    if not search.found:
        return None, None
    table_of = np.full(n, -1, dtype=np.int64)
    used = [0] * len(types)
    total = 0.0
    for c in np.nonzero(search.chosen)[0]:
        k, seated, cost = columns[c]
        table_of[list(seated)] = types[k].tables[used[k]]
        used[k] += 1
        total += cost
    return total, table_of
