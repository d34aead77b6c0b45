"""Why a dinner has no plan: a small set of hard rules that together admit none.

Every rule of :mod:`seating.solvers.cpsat.constraints` is guarded by an *assumption literal*
named after it (the rule's readable name, with the offending ids). CP-SAT, asked to seat
everyone under all assumptions, returns a sufficient subset of them (an unsatisfiable core);
deleting rules one at a time while the time allows shrinks it towards a minimal one.
"""

from __future__ import annotations

import time

import numpy as np
from ortools.sat.python import cp_model

from seating.compile.problem import DinnerProblem
from seating.solvers.cpsat.constraints import add_rules, seat_everyone
from seating.solvers.cpsat.watch import seconds_left, solve_watched
from seating.stop import Stop

NO_CORE = "the rules admit no plan (no smaller explanation found in time)"


class _Assumptions:
    """The guard of every rule: one assumption literal per rule name, made on first use."""

    def __init__(self, model: cp_model.CpModel) -> None:
        self.model = model
        self.literals: dict[str, cp_model.IntVar] = {}

    def __call__(self, name: str) -> list[cp_model.IntVar]:
        if name not in self.literals:
            self.literals[name] = self.model.new_bool_var(name)
        return [self.literals[name]]


def explain_infeasible(
    problem: DinnerProblem, time_limit: float, *, stop: Stop | None = None
) -> str:
    """Name a small set of rules that together admit no plan.

    Parameters
    ----------
    problem
        A compiled dinner whose rules admit no plan.
    time_limit
        Seconds for the whole explanation; a caller passes what is left of its own budget.
    stop
        A criterion that ends the explanation early (its remaining time also caps
        ``time_limit``); the rules found so far are named.

    Returns
    -------
    str
        ``"these rules clash: ..."`` with the rules' names, or a generic reason when no core
        was found in time.
    """
    started = time.perf_counter()

    def left() -> float:
        return seconds_left(time_limit - (time.perf_counter() - started), stop)

    model = cp_model.CpModel()
    x = seat_everyone(model, problem)
    assumptions = _Assumptions(model)
    add_rules(model, problem, x, assumptions)
    rules = assumptions.literals
    core = _core(model, rules, list(rules), left(), stop)
    if core is None:
        return NO_CORE
    for name in list(core):
        if len(core) == 1 or left() <= 0 or (stop is not None and stop.stopped()):
            break
        if name not in core:
            continue
        # A quarter of the budget at most: one hard deletion must not use up the time of the rest.
        smaller = _core(
            model, rules, [c for c in core if c != name], min(time_limit / 4, left()), stop
        )
        if smaller is not None:
            core = smaller
    if not core:
        return "not every attendee can be seated (too few seats)"
    reason = "these rules clash: " + "; ".join(sorted(core))
    if any(name.startswith("cooldown ") for name in core):
        reason += ". " + cooldown_in_words(problem)
    return reason


def cooldown_in_words(problem: DinnerProblem) -> str:
    """Why the hard cooldown leaves no plan, in words, and the soft rule to use instead.

    The largest group of attendees who all sat together recently (found greedily among the
    cooldown's pairs) needs a table each: with more of them than tables, two must meet again.
    """
    n, tables = problem.num_attendees, problem.num_tables
    recent = np.zeros((n, n), dtype=bool)
    for i, j in problem.cooldown_pairs:
        recent[i, j] = recent[j, i] = True
    clique: list[int] = []
    for first in np.argsort(-recent.sum(axis=1), kind="stable")[: min(n, 50)]:
        group = [int(first)]
        for j in np.argsort(-recent[first].astype(int) * recent.sum(axis=1), kind="stable"):
            if recent[j, group].all():
                group.append(int(j))
        if len(group) > len(clique):
            clique = group
    window = "last time" if problem.cooldown == 1 else f"within the last {problem.cooldown} dinners"
    soft = (
        f"To allow it at a cost instead, use policy.recent_penalty with recent_dinners "
        f"{problem.cooldown or 1} in place of rules.cooldown"
    )
    if len(clique) > tables:
        return (
            f"{len(clique)} attendees sat together {window} and there are {tables} "
            f"tables: two of them must meet again. {soft}"
        )
    return soft


def _core(
    model: cp_model.CpModel,
    rules: dict[str, cp_model.IntVar],
    names: list[str],
    seconds: float,
    stop: Stop | None,
) -> list[str] | None:
    """The sufficient assumptions of an infeasible solve with only ``names`` assumed; None when
    the solve proves nothing in ``seconds``."""
    model.clear_assumptions()
    model.add_assumptions([rules[name] for name in names])
    solver = cp_model.CpSolver()
    # Ctrl-C ends the whole command (seating.cli.interrupt), not just this solve.
    solver.parameters.catch_sigint_signal = False
    # Assumption cores need a single worker.
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    code, _ = solve_watched(solver, model, stop)
    if code != cp_model.INFEASIBLE:
        return None
    by_index = {rules[name].index: name for name in names}
    return [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
