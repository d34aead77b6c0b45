"""Exact solver: the CP-SAT model of one dinner, and :func:`solve_cpsat`.

Variables ``x[i, t]`` seat attendee i at table t; ``z[i, j]`` marks that a weighted pair shares
a table. The hard rules are the families of :mod:`seating.solvers.cpsat.constraints`, shared
with re-seating and with the explanation of clashing rules
(:mod:`seating.solvers.cpsat.infeasibility`); this module adds what only seating a dinner from
scratch needs: symmetry breaking, the pair variables and the objective, whose terms are added
only when their weight is non-zero.

On small dinners (:data:`EXACT_PAIRS_SIZE`) an LP first finds triangle and clique inequalities
on ``z`` (:mod:`seating.solvers.cpsat.cuts`); they are valid for every plan and make CP-SAT's linear
relaxation strong enough to prove optimality on dense histories.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from seating.compile.bounds import proves_optimal
from seating.compile.objective import objective, violations
from seating.compile.problem import DinnerProblem
from seating.result import Status
from seating.solvers.cpsat.constraints import Seats, add_rules, seat_everyone
from seating.solvers.cpsat.cuts import Cuts, clique_floor, separate
from seating.solvers.cpsat.infeasibility import explain_infeasible
from seating.solvers.cpsat.watch import seconds_left, solve_watched
from seating.solvers.outcome import DinnerOutcome
from seating.stop import Stop

EXACT_PAIRS_SIZE = 40
"""Up to this many attendees the model has a variable per pair and clique-partitioning cuts."""

CUT_SHARE = 0.3
"""Share of the time limit that finding cuts may take
(:func:`seating.solvers.cpsat.cuts.separate`)."""

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
}


@dataclass
class DinnerModel:
    """The CP-SAT model of one dinner with its variables.

    Attributes
    ----------
    problem
        The compiled dinner.
    model
        The CP-SAT model.
    x
        The seat variables (:func:`seating.solvers.cpsat.constraints.seat_everyone`).
    z
        ``z[i, j]`` (and ``z[j, i]``, the same variable): attendees i and j share a table.
    scale
        The objective's coefficients are the weights times this, rounded to integers.
    rounding
        Worst-case ``|scaled objective - CP-SAT's integer objective|``.
    """

    problem: DinnerProblem
    model: cp_model.CpModel
    x: Seats
    z: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    scale: float = 1.0
    rounding: float = 0.0


def _symmetry_breaking(m: DinnerModel) -> None:
    """Interchangeable tables (same capacity, no host) are filled in order.

    The p-th free attendee can only sit at one of the first p + 1 tables of a class: rank the
    tables of a class by their lowest-index attendee; the table holding attendee p then has a
    rank of at most p. Valid because every hard rule treats the tables of a class alike (hosted
    tables are left out): the language and newcomer rules too, since a host, the one thing
    that tells two tables apart for the newcomer rule, makes their table hosted.
    """
    p = m.problem
    hosted = set(p.host_table[p.host_table >= 0].tolist())
    classes: dict[int, list[int]] = defaultdict(list)
    for t in range(p.num_tables):
        if t not in hosted:
            classes[int(p.capacity[t])].append(t)
    free = [i for i in range(p.num_attendees) if p.host_table[i] < 0]
    for tables in classes.values():
        for rank, i in enumerate(free):
            for t in tables[rank + 1 :]:
                m.model.add(m.x[i, t] == 0)


def _integer_scale(weights: np.ndarray, fairness: float) -> float:
    """1 for integer weights (exact); else 10**6, with the rounding error tracked."""
    values = np.concatenate((weights.ravel(), [fairness]))
    return 1.0 if np.all(values == np.round(values)) else 1e6


def _pair_variables(m: DinnerModel) -> None:
    """``z[i, j]`` = i and j share a table, for the pairs the objective or the cuts need.

    Up to :data:`EXACT_PAIRS_SIZE` attendees every allowed pair gets an exact ``z`` and the
    model adds cuts that tighten CP-SAT's linear relaxation a lot on dense histories (measured:
    on 24 attendees the bound after 15 s rose from about 45 to about 55 against an optimum near
    65): each attendee's ``z`` sum equals the other attendees at their table, and the triangle
    inequalities of the clique-partitioning polytope. Above that size only the pairs with a
    non-zero weight get a ``z``, bounded on the side the objective pushes against.
    """
    p = m.problem
    n = p.num_attendees
    exact = n <= EXACT_PAIRS_SIZE
    fair = p.fairness > 0
    needed = (p.weights != 0) | (p.met_before & fair) | exact
    ii, jj = np.nonzero(np.triu(needed & ~p.forbidden, 1))
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        z = m.model.new_bool_var(f"z{i}_{j}")
        m.z[i, j] = m.z[j, i] = z
        w = p.weights[i, j]
        if exact or w > 0 or (fair and p.met_before[i, j]):
            # z >= x[i,t] & x[j,t]: enough when minimisation pushes z down.
            for t in range(p.num_tables):
                m.model.add_bool_or([m.x[i, t].Not(), m.x[j, t].Not(), z])
        if exact or w < 0:
            # z <= (j sits where i sits): enough when the objective pushes z up.
            for t in range(p.num_tables):
                m.model.add_bool_or([m.x[i, t].Not(), m.x[j, t], z.Not()])
    if not exact:
        return
    for i in range(n):
        mates = [m.z[i, j] for j in range(n) if (i, j) in m.z]
        for t in range(p.num_tables):
            others = [m.x[j, t] for j in range(n) if j != i]
            m.model.add(sum(mates) == sum(others)).only_enforce_if(m.x[i, t])
        m.model.add(sum(mates) <= int(p.capacity.max()) - 1)
        if p.capacity.sum() == n and np.all(p.capacity == p.capacity[0]):
            m.model.add(sum(mates) == int(p.capacity[0]) - 1)
    for i in range(n):
        for j in range(i + 1, n):
            if (i, j) not in m.z:
                continue
            for k in range(j + 1, n):
                if (j, k) not in m.z or (i, k) not in m.z:
                    continue
                a, b, c = m.z[i, j], m.z[j, k], m.z[i, k]
                m.model.add(a + b - c <= 1)
                m.model.add(a - b + c <= 1)
                m.model.add(b + c - a <= 1)


def _cuts(m: DinnerModel, cuts: Cuts) -> None:
    """The inequalities of :func:`seating.solvers.cpsat.cuts.separate`, valid for every plan.

    A pair without a ``z`` is one the rules keep apart; its term is 0 in every plan, so
    leaving it out keeps the inequality valid. That needs an exact ``z`` for every other pair,
    which only dinners of up to :data:`EXACT_PAIRS_SIZE` attendees have.
    """
    if m.problem.num_attendees > EXACT_PAIRS_SIZE:
        raise ValueError("cuts need an exact pair variable for every allowed pair")

    for apex, u, v in cuts.triangles:
        terms = [(m.z.get((apex, u)), 1), (m.z.get((apex, v)), 1), (m.z.get((u, v)), -1)]
        terms = [(var, coef) for var, coef in terms if var is not None]
        if terms:
            m.model.add(sum(coef * var for var, coef in terms) <= 1)
    for members in cuts.cliques:
        pairs = [m.z[i, j] for i in members for j in members if i < j and (i, j) in m.z]
        if pairs:
            m.model.add(sum(pairs) >= clique_floor(len(members), cuts.num_tables))


def _objective(m: DinnerModel) -> None:
    p = m.problem
    m.scale = _integer_scale(p.weights, p.fairness)
    _pair_variables(m)
    terms = []
    for (i, j), z in m.z.items():
        if i < j and p.weights[i, j] != 0:
            scaled = p.weights[i, j] * m.scale
            terms.append(round(scaled) * z)
            m.rounding += abs(scaled - round(scaled))
    if p.fairness > 0:
        n = p.num_attendees
        coef = round(p.fairness * m.scale)
        # A load is at most n - 1, so each square term errs by at most this much.
        m.rounding += n * (n - 1) ** 2 * abs(p.fairness * m.scale - coef)
        for i in range(n):
            met = [m.z[i, j] for j in range(n) if (i, j) in m.z and p.met_before[i, j]]
            load = m.model.new_int_var(0, n, f"load{i}")
            m.model.add(load == sum(met))
            square = m.model.new_int_var(0, n * n, f"load_sq{i}")
            m.model.add_multiplication_equality(square, [load, load])
            terms.append(coef * square)
    m.model.minimize(sum(terms))


def build_model(problem: DinnerProblem) -> DinnerModel:
    """The model of seating ``problem`` from scratch: every hard rule, symmetry breaking and
    the objective (pair weights and fairness)."""
    model = cp_model.CpModel()
    x = seat_everyone(model, problem)
    add_rules(model, problem, x)
    m = DinnerModel(problem=problem, model=model, x=x)
    _symmetry_breaking(m)
    _objective(m)
    return m


def _table_of(m: DinnerModel, solver: cp_model.CpSolver) -> np.ndarray:
    p = m.problem
    table_of = np.full(p.num_attendees, -1, dtype=np.int64)
    for (i, t), var in m.x.items():
        if solver.boolean_value(var):
            table_of[i] = t
    return table_of


def solve_cpsat(
    problem: DinnerProblem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    num_workers: int = 1,
    initial: np.ndarray | None = None,
    explain: bool = True,
    stop: Stop | None = None,
) -> DinnerOutcome:
    """Seat one dinner with CP-SAT.

    Parameters
    ----------
    problem
        The compiled dinner.
    time_limit
        Seconds for the whole call (cuts, search and explanation).
    seed
        CP-SAT's random seed.
    num_workers
        CP-SAT search workers; 1 is deterministic.
    initial
        Optional ``(n,)`` plan given to CP-SAT as a hint (e.g. the local search's plan).
    explain
        On proven infeasibility, find the clashing rules (:func:`explain_infeasible`), in the
        time that is left.
    stop
        A criterion that ends the call early, e.g. a :class:`~seating.stop.CancelFlag` set
        from another thread; the search then returns its best plan so far. Its
        :meth:`~seating.stop.Stop.remaining` time caps ``time_limit``.

    Returns
    -------
    DinnerOutcome
        ``optimal`` / ``feasible`` with plan, objective and bound; ``infeasible`` with a
        reason; or ``timeout`` with neither. ``stats["stopped"]`` names the criterion that cut
        the search short, if one did.
    """
    started = time.perf_counter()

    def left() -> float:
        return seconds_left(time_limit - (time.perf_counter() - started), stop)

    if stop is not None and stop.stopped():
        return _stopped_early(stop, started)
    cuts = None
    # The cuts are for proofs: they need presolve off (below), and without presolve a single
    # worker with no plan to start from may find no plan at all (measured: 40 attendees at 4
    # tables, one worker, 10 s: no plan with the cuts, objective 368 without). So one worker
    # gets them only with a hint; two or more find plans with them. The count that matters is
    # the one the cut model runs with (capped at the cores below): on a 1-core machine eight
    # requested workers are one.
    cut_workers = max(1, min(int(num_workers), os.cpu_count() or 1))
    wants_cuts = initial is not None or cut_workers >= 2
    if wants_cuts and problem.num_attendees <= EXACT_PAIRS_SIZE and np.any(problem.weights != 0):
        cuts = separate(problem, time_limit=CUT_SHARE * left(), stop=stop)
    m = build_model(problem)
    if cuts:
        _cuts(m, cuts)
    if initial is not None:
        for (i, t), var in m.x.items():
            m.model.add_hint(var, int(initial[i] == t))
        for (i, j), var in m.z.items():
            if i < j:
                m.model.add_hint(var, int(initial[i] == initial[j]))
    if stop is not None and stop.stopped():
        return _stopped_early(stop, started)
    solver = cp_model.CpSolver()
    # Ctrl-C ends the whole command (seating.cli.interrupt), not just this solve.
    solver.parameters.catch_sigint_signal = False
    solver.parameters.max_time_in_seconds = max(0.01, left())
    solver.parameters.num_workers = max(1, int(num_workers))
    solver.parameters.random_seed = int(seed) % (2**31)
    if cuts:
        # Presolve rewrites the triangle and (T + 1)-clique inequalities as clauses, which the
        # default linear relaxation leaves out (measured, 24 attendees: bound 54 after 10 s
        # against an LP bound of 56.04 and an optimum of 57; once, with one worker, the solve
        # overran its time limit eightfold). The proof comes from the LP-based tree search; on
        # 2 cores, 8 workers starve it (2 workers proved 5 of 5 seeds with a hint, 8 workers 3).
        solver.parameters.cp_model_presolve = False
        solver.parameters.num_workers = cut_workers
    code, stopped = solve_watched(solver, m.model, stop)
    if code == cp_model.MODEL_INVALID:  # a modelling bug, never a timeout
        raise AssertionError(f"CP-SAT rejected the model: {m.model.validate()}")
    status = _STATUS.get(code, Status.UNKNOWN)
    stats = {
        "branches": solver.num_branches,
        "conflicts": solver.num_conflicts,
        "wall_time_s": solver.wall_time,
    }
    if cuts is not None:
        stats["cuts"] = len(cuts)
        stats["cut_lp_bound"] = cuts.lp_bound
        stats["cut_time_s"] = cuts.seconds
    # A search that ended with a proof was not cut short, even if a stop came in meanwhile.
    if stopped and code not in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        stats["stopped"] = stopped
    if status is Status.INFEASIBLE:
        if explain:
            reason = explain_infeasible(problem, left(), stop=stop)
        else:
            reason = "the rules admit no plan"
        return DinnerOutcome(status=status, method="cpsat", reason=reason, stats=stats,
                             runtime_s=time.perf_counter() - started)  # fmt: skip
    runtime = time.perf_counter() - started
    if not status.has_plan:
        reason = (
            f"stopped before a plan was found ({stats['stopped']})" if "stopped" in stats else None
        )
        return DinnerOutcome(status=status, method="cpsat", runtime_s=runtime, reason=reason,
                             stats=stats)  # fmt: skip
    table_of = _table_of(m, solver)
    broken = violations(problem, table_of)
    if broken:  # would be a modelling bug; never hand out a plan that breaks a rule
        raise AssertionError(f"CP-SAT plan breaks a rule: {broken[0]}")
    value = objective(problem, table_of)
    # With fractional weights CP-SAT optimises rounded coefficients: its bound holds for the
    # true objective only after taking off the worst-case rounding error.
    bound = (solver.best_objective_bound - m.rounding) / m.scale
    if status is Status.OPTIMAL and not proves_optimal(value, bound, 2 * m.rounding / m.scale):
        status = Status.FEASIBLE
    return DinnerOutcome(
        status=status,
        table_of=table_of,
        objective=value,
        bound=bound,
        method="cpsat",
        runtime_s=runtime,
        stats=stats,
    )


def _stopped_early(stop: Stop, started: float) -> DinnerOutcome:
    """The outcome of a call stopped before its search began: no plan, and why."""
    return DinnerOutcome(
        status=Status.UNKNOWN,
        method="cpsat",
        runtime_s=time.perf_counter() - started,
        reason=f"stopped before a plan was found ({stop.reason})",
        stats={"stopped": stop.reason},
    )
