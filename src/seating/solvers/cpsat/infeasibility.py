"""Why a dinner has no plan: a small set of hard rules that together admit none.

Every rule of :mod:`seating.solvers.cpsat.constraints` is guarded by an *assumption literal*
named after it (the rule's readable name, with the offending ids). CP-SAT, asked to seat
everyone under all assumptions, returns a sufficient subset of them (an unsatisfiable core);
deleting rules one at a time while the time allows shrinks it towards a minimal one.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from seating.compile.problem import DinnerProblem
from seating.solvers.cpsat.constraints import add_rules, seat_everyone

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


def explain_infeasible(problem: DinnerProblem, time_limit: float = 10.0) -> str:
    """Name a small set of rules that together admit no plan.

    Parameters
    ----------
    problem
        A compiled dinner whose rules admit no plan.
    time_limit
        Seconds for finding a first set of clashing rules, and again for shrinking it.

    Returns
    -------
    str
        ``"these rules clash: ..."`` with the rules' names, or a generic reason when no core
        was found in time.
    """
    model = cp_model.CpModel()
    x = seat_everyone(model, problem)
    assumptions = _Assumptions(model)
    add_rules(model, problem, x, assumptions)
    rules = assumptions.literals
    core = _core(model, rules, list(rules), time_limit)
    if core is None:
        return NO_CORE
    deadline = time.perf_counter() + time_limit
    for name in list(core):
        if len(core) == 1 or time.perf_counter() > deadline:
            break
        if name not in core:
            continue
        smaller = _core(model, rules, [c for c in core if c != name], time_limit / 4)
        if smaller is not None:
            core = smaller
    if not core:
        return "not every attendee can be seated (too few seats)"
    return "these rules clash: " + "; ".join(sorted(core))


def _core(
    model: cp_model.CpModel,
    rules: dict[str, cp_model.IntVar],
    names: list[str],
    seconds: float,
) -> list[str] | None:
    """The sufficient assumptions of an infeasible solve with only ``names`` assumed; None when
    the solve proves nothing in ``seconds``."""
    model.clear_assumptions()
    model.add_assumptions([rules[name] for name in names])
    solver = cp_model.CpSolver()
    # Assumption cores need a single worker.
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    if solver.solve(model) != cp_model.INFEASIBLE:
        return None
    by_index = {rules[name].index: name for name in names}
    return [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
