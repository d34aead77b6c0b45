"""Cheap lower bounds on the objective of one dinner, valid for every solver's plan."""

from __future__ import annotations

import numpy as np

from seating.problem import DinnerProblem


def degree_bound(problem: DinnerProblem) -> float:
    """A lower bound from each attendee's cheapest possible set of table mates.

    Attendee i sits at some table t with between ``max(0, n - (C - cap_t)) - 1`` and
    ``cap_t - 1`` mates (C = total capacity). Its share of the pair cost is at least the
    cheapest sum of that many pair weights, leaving out pairs no plan can seat together
    (keep-apart, cooldown, and same company where at most one per company is allowed). Each
    pair is shared by two attendees, so the bound is half the sum. The fairness term is >= 0.
    """
    n = problem.num_attendees
    if n < 2:
        return 0.0
    capacity = problem.capacity
    total = int(capacity.sum())
    weights = np.where(problem.forbidden, np.inf, problem.weights)
    if problem.max_per_company == 1:
        same = (problem.company[:, None] == problem.company[None, :]) & (problem.company >= 0)
        weights = np.where(same, np.inf, weights)
    np.fill_diagonal(weights, np.inf)
    ordered = np.sort(weights, axis=1)
    prefix = np.concatenate((np.zeros((n, 1)), np.cumsum(ordered, axis=1)), axis=1)
    fewest_at = np.maximum(0, n - (total - capacity)) - 1  # per table
    most_at = np.minimum(capacity, n) - 1
    share = np.empty(n)
    for i in range(n):
        t = problem.host_table[i]
        low = max(0, int(fewest_at[t] if t >= 0 else fewest_at.min()))
        high = int(most_at[t] if t >= 0 else most_at.max())
        window = prefix[i, low : high + 1]
        finite = window[np.isfinite(window)]
        # No finite choice means i cannot have that many mates at all: the plan is
        # infeasible and any bound is valid; 0 keeps the number readable.
        share[i] = finite.min() if finite.size else 0.0
    return float(0.5 * share.sum())


def proves_optimal(value: float, bound: float, slack: float = 0.0) -> bool:
    """Whether a bound proves a plan's value optimal, up to ``slack`` and floating-point noise.

    CP-SAT optimises integers: fractional weights are scaled by 10**6 and rounded, so its
    "optimal" holds up to twice the rounding error (at most 10**-6 per pair), the ``slack``.
    """
    return value <= bound + slack + 1e-9 * max(1.0, abs(value))
