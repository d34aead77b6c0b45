"""Column generation as a phase of a solve: add its bound to a plan, or prove the plan optimal.

:func:`add_bound` is what ``method="auto"`` runs after the local search on dinners of more than
:data:`~seating.solvers.dinner.EXACT_SIZE` attendees; :func:`prove_plan` is
``method="exact"``. Both take the local search's outcome and a stop criterion, and never report
an unproven number: when the time runs out they keep the last bound a finished round proved
(or the bound the outcome already had).
"""

from __future__ import annotations

import math

from seating.compile.bounds import proves_optimal
from seating.compile.objective import objective as objective_of
from seating.compile.objective import violations
from seating.compile.problem import DinnerProblem
from seating.result import Status
from seating.solvers.colgen.bound import Settle, column_generation
from seating.solvers.colgen.exact import prove
from seating.solvers.colgen.tables import Pricing
from seating.solvers.outcome import DinnerOutcome
from seating.stop import Stop

MAX_SIZE = 300
"""Above this many attendees ``auto`` skips column generation: on the 1,000-attendee dinners
the table search cannot finish a round in any useful time, and the local search's plan is
returned as fast as before."""


def skip_reason(dinner: DinnerProblem, outcome: DinnerOutcome, bound: float) -> str | None:
    """Why column generation would not pay on this dinner, or ``None`` when it may."""
    if not outcome.status.has_plan or outcome.table_of is None:
        return "no plan to start from"
    if dinner.num_attendees > MAX_SIZE:
        return f"{dinner.num_attendees} attendees, more than {MAX_SIZE}"
    if proves_optimal(outcome.objective, bound):
        return "the cheap bound proves the plan optimal"
    return None


def add_bound(
    dinner: DinnerProblem, outcome: DinnerOutcome, bound: float, stop: Stop
) -> DinnerOutcome:
    """``outcome`` with the column-generation bound when it beats ``bound`` (the cheap one).

    Column generation stops early once its bound cannot rise further or has stopped rising
    (:class:`~seating.solvers.colgen.bound.Settle`): the bound is all it is run for here.
    The statistics go to ``outcome.stats["colgen"]`` (or why it was skipped).
    """
    reason = skip_reason(dinner, outcome, bound)
    if reason is not None:
        outcome.stats = {**outcome.stats, "colgen": {"skipped": reason}}
        outcome.bound = bound
        return outcome
    found = column_generation(
        dinner, outcome.table_of, stop, upper=outcome.objective, settle=Settle()
    )
    outcome.stats = {**outcome.stats, "colgen": found.stats()}
    if found.bound is not None and found.bound > bound:
        bound = min(found.bound, outcome.objective)
    outcome.bound = bound
    return outcome


def prove_plan(
    dinner: DinnerProblem, outcome: DinnerOutcome, bound: float, stop: Stop
) -> DinnerOutcome:
    """``outcome`` proven optimal (or improved to the optimum) within ``stop``, or with the
    best bound proven and the gap.

    Column generation first, then reduced-cost enumeration and the set-partitioning IP
    (:func:`~seating.solvers.colgen.exact.prove`); their statistics go to
    ``outcome.stats["colgen"]`` and ``["exact"]``.
    """
    if not outcome.status.has_plan or outcome.table_of is None:
        outcome.stats = {**outcome.stats, "colgen": {"skipped": "no plan to start from"}}
        return outcome
    pricing = Pricing(dinner)
    found = column_generation(
        dinner, outcome.table_of, stop, upper=outcome.objective, pricing=pricing
    )
    stats = {**outcome.stats, "colgen": found.stats()}
    if found.bound is not None:
        bound = max(bound, found.bound)
    if proves_optimal(outcome.objective, bound):
        outcome.stats = stats
        outcome.bound = min(bound, outcome.objective)
        outcome.status = Status.OPTIMAL
        return outcome
    exact = prove(dinner, outcome.objective, found, stop, pricing=pricing)
    stats["exact"] = exact.stats
    if exact.table_of is not None:
        broken = violations(dinner, exact.table_of)
        if broken:  # never expected: the listed tables hold every rule
            raise AssertionError(f"exact: the IP's plan breaks a rule: {broken[0]}")
        value = objective_of(dinner, exact.table_of)
        if value < outcome.objective - 1e-9:
            outcome.table_of, outcome.objective = exact.table_of, value
    if math.isfinite(exact.bound):
        bound = max(bound, exact.bound)
    outcome.bound = min(bound, outcome.objective)
    if exact.optimal or proves_optimal(outcome.objective, bound):
        outcome.status = Status.OPTIMAL
    outcome.stats = stats
    return outcome
