"""Column generation: the set-partitioning LP bound of one dinner, valid at every round.

Each round solves the master LP over the tables known so far
(:class:`~seating.solvers.colgen.master.MasterLP`), reads the duals ``pi`` of the attendees, and
asks the compiled search (:class:`~seating.solvers.colgen.tables.Pricing`) for the cheapest
table of every type at those duals. Whatever ``pi`` is, every plan costs at least the
*Lagrangian bound*

    L(pi) = sum(pi) + sum over types k of count_k * min(0, v_k),   v_k = min over tables S of
                                                                  type k of cost(S) - pi[S]

(a plan's cost is ``sum(pi)`` plus, over its tables, ``cost(S) - pi[S]``, and it has at most
``count_k`` tables of type k). So every round whose searches all finish gives a proven bound,
and the best of them is reported when the time runs out; at convergence (no table of negative
reduced cost) it equals the LP optimum. Tables with a negative reduced cost
(``cost(S) - pi[S] - mu_k < 0``) join the master, and the next round begins.

When every table costs an integer (integer pair weights and fairness), so does every plan, and
the bound is rounded up.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from seating.compile.problem import DinnerProblem
from seating.solvers.colgen.master import MasterLP
from seating.solvers.colgen.pricing import COMPLETE
from seating.solvers.colgen.tables import Pricing, table_cost
from seating.stop import Stop

NODE_LIMIT = 5_000_000
"""Nodes one pricing search may visit (a few seconds); a round that hits it gives no bound."""

NODES_PER_SECOND = 1_000_000
"""Roughly the nodes the compiled search visits per second (measured on the 80-attendee
benchmark dinner): a search gets no more nodes than the time left allows, so that a stop
criterion is honoured within about a search's length."""


def nodes_for(stop: Stop, most: int, rate: float = NODES_PER_SECOND) -> int:
    """The node limit of one search: ``most``, or fewer when little time is left (``rate``
    nodes a second)."""
    left = stop.remaining()
    if not math.isfinite(left):
        return most
    return max(1_000, min(most, int(rate * left)))


@dataclass(frozen=True)
class Settle:
    """When column generation run for its bound alone (``auto``) may stop before convergence.

    Both rules only cost rounds that could not change the bound much; a proof (``exact``)
    runs to convergence, since reduced-cost enumeration lists fewer tables the higher the
    unrounded bound is.

    Attributes
    ----------
    patience, spread
        Stop when the Lagrangian bounds of the last ``patience`` + 1 rounds that gave one
        lie within ``spread`` times the plan's objective (at least 1) of one another: the
        duals have settled and the bound creeps. Early rounds, whose bounds swing widely,
        never satisfy it.
    room
        Stop when the master LP's value, rounded like the bound, is no higher than the bound:
        the LP optimum lies between them, so no later round can raise the bound.
    """

    patience: int = 5
    spread: float = 0.005
    room: bool = True


@dataclass
class ColgenBound:
    """The outcome of column generation on one dinner.

    Attributes
    ----------
    bound
        The best proven lower bound on the objective (rounded up when costs are integers),
        ``None`` when no round finished.
    lagrangian
        The same bound before rounding (for the reduced-cost enumeration), ``-inf`` if none.
    pi, type_min
        The duals of the best bound and, per table type, ``min(0, v_k)`` at those duals.
    lp_value
        The last master LP value (an upper bound on the LP optimum until convergence).
    converged
        No table of negative reduced cost is left: ``lagrangian`` is the LP optimum.
    rounds, columns, nodes
        Rounds run, tables in the master, nodes visited by the searches.
    reason
        Why the loop ended: ``converged``, ``proved the plan optimal``, ``time limit``, ...
    integral
        Every table costs an integer.
    """

    bound: float | None = None
    lagrangian: float = -math.inf
    pi: np.ndarray | None = None
    type_min: np.ndarray | None = None
    lp_value: float | None = None
    converged: bool = False
    rounds: int = 0
    columns: int = 0
    nodes: int = 0
    reason: str = ""
    integral: bool = False
    seconds: float = 0.0
    master: MasterLP | None = field(default=None, repr=False)

    def stats(self) -> dict[str, object]:
        """The figures for ``Result.stats``."""
        return {
            "bound": self.bound,
            "lp": None if self.lp_value is None else round(self.lp_value, 6),
            "converged": self.converged,
            "rounds": self.rounds,
            "tables": self.columns,
            "nodes": self.nodes,
            "stopped": self.reason,
            "seconds": round(self.seconds, 3),
        }


def integral_costs(dinner: DinnerProblem) -> bool:
    """Whether every table, hence every plan, costs an integer."""
    w = dinner.weights
    return bool(np.all(w == np.round(w))) and float(dinner.fairness).is_integer()


def proven(value: float, integral: bool) -> float:
    """A computed bound made safe against rounding noise, and rounded up for integer costs."""
    safe = value - 1e-6 * max(1.0, abs(value))
    return float(math.ceil(safe)) if integral else safe


def settled(settle: Settle, out: ColgenBound, recent: list[float], upper: float | None) -> str:
    """Why column generation for a bound alone may stop now (see :class:`Settle`), or ""."""
    if out.bound is None or out.lp_value is None:
        return ""
    if settle.room and proven(out.lp_value, out.integral) <= out.bound:
        return "the bound cannot rise further"
    last = recent[-settle.patience - 1 :]
    scale = max(1.0, abs(upper if upper is not None else out.lagrangian))
    if len(last) > settle.patience and max(last) - min(last) < settle.spread * scale:
        return "the bound stopped rising"
    return ""


def column_generation(
    dinner: DinnerProblem,
    plan: np.ndarray,
    stop: Stop,
    *,
    upper: float | None = None,
    max_rounds: int = 1000,
    node_limit: int = NODE_LIMIT,
    pricing: Pricing | None = None,
    trace: list[tuple[int, float, float, float]] | None = None,
    smoothing: float = 0.8,
    settle: Settle | None = None,
) -> ColgenBound:
    """Column generation from the tables of ``plan`` until convergence or ``stop``.

    Parameters
    ----------
    dinner
        The compiled dinner.
    plan
        ``(n,)`` table index of each attendee in a plan that holds every rule: its tables
        make the first master LP feasible.
    stop
        Checked before every LP solve and every pricing search.
    upper
        The objective of the best plan known: the loop ends once the bound reaches it.
    max_rounds, node_limit
        Rounds at most; nodes per pricing search.
    pricing
        The dinner's search arrays, when the caller has them already.
    smoothing
        Weight of the best bound's duals in the duals priced (Wentges smoothing), in [0, 1).
    trace
        When given, receives ``(round, seconds, LP value, Lagrangian bound)`` per round.
    settle
        When given, stop once the bound can no longer rise or has stopped rising
        (:class:`Settle`); ``None`` runs to convergence, the limits or ``stop``.
    """
    started = time.perf_counter()
    pricing = pricing or Pricing(dinner)
    types = pricing.types
    kind_of = {t: k for k, kind in enumerate(types) for t in kind.tables}
    master = MasterLP(dinner.num_attendees, types)
    for t in range(dinner.num_tables):
        members = tuple(int(i) for i in np.nonzero(plan == t)[0])
        if members:
            master.add(kind_of[t], members, table_cost(dinner, np.array(members)))
    out = ColgenBound(integral=integral_costs(dinner), master=master)
    counts = np.array([kind.count for kind in types], dtype=np.float64)
    center = np.zeros(dinner.num_attendees)
    recent: list[float] = []  # the Lagrangian bounds of the rounds that gave one
    while out.rounds < max_rounds and not out.reason:
        if stop.stopped():
            out.reason = stop.reason
            break
        if not master.solve(stop.remaining()):
            out.reason = "the master LP did not solve in time"
            break
        out.rounds += 1
        out.lp_value = master.value
        pi_lp, mu = master.duals()
        # Wentges smoothing: price at a point between the duals of the best bound so far
        # (the centre) and the LP's; the LP duals alone jump from round to round and the
        # bound with them. When the tables found there do not help the LP (mispricing),
        # move towards the LP duals; at the LP duals themselves, no table means convergence.
        alpha = smoothing
        while True:
            pi = alpha * center + (1.0 - alpha) * pi_lp
            type_min = np.zeros(len(types))
            exact = True
            added = 0
            for k, kind in enumerate(types):
                if stop.stopped():
                    exact = False
                    out.reason = stop.reason
                    break
                tables, status, best, nodes = pricing.search(
                    kind, pi, 0.0, node_limit=nodes_for(stop, node_limit)
                )
                out.nodes += nodes
                exact = exact and status == COMPLETE
                type_min[k] = min(0.0, best)
                for members, cost in tables:
                    if cost - pi_lp[list(members)].sum() < mu[k] - 1e-9:
                        added += master.add(k, members, cost)
            if exact:
                value = float(pi.sum() + counts @ type_min)
                recent.append(value)
                if trace is not None:
                    trace.append((out.rounds, time.perf_counter() - started, master.value, value))
                if value > out.lagrangian:
                    out.lagrangian = value
                    out.bound = proven(value, out.integral)
                    out.pi, out.type_min = pi, type_min
                    center = pi
            if out.reason or added:
                break
            if not exact:
                out.reason = "a pricing search reached its node limit"
                break
            if alpha == 0.0 or out.lagrangian >= master.value - 1e-7:
                out.converged = True
                out.reason = "converged"
                break
            alpha = 0.0 if alpha < 0.3 else alpha - 0.3
        if not out.reason and upper is not None and (out.bound or -math.inf) >= upper - 1e-9:
            out.reason = "proved the plan optimal"
        if not out.reason and settle is not None:
            out.reason = settled(settle, out, recent, upper)
    if not out.reason:
        out.reason = "round limit"
    out.columns = len(master.columns)
    out.seconds = time.perf_counter() - started
    return out
