"""Cheap lower bounds on the objective of one dinner, valid for every solver's plan."""

from __future__ import annotations

import numpy as np

from seating.compile.problem import DinnerProblem


def fewest_mates(problem: DinnerProblem) -> np.ndarray:
    """``(n,)`` the fewest table mates each attendee has in any plan that seats everyone.

    With total capacity C, table t seats at least ``n - (C - cap_t)`` people (every other
    table full); a host sits at its own table, anyone else at the table allowing the fewest;
    a keep-together group's members sit with the rest of their group.
    """
    n = problem.num_attendees
    capacity = problem.capacity
    fewest_at = np.maximum(0, n - (int(capacity.sum()) - capacity)) - 1  # per table
    host = problem.host_table
    low = np.where(host >= 0, fewest_at[np.maximum(host, 0)], fewest_at.min(initial=n))
    for group in problem.groups:
        low[group] = np.maximum(low[group], len(group) - 1)
    return np.maximum(low, 0).astype(np.int64)


def most_mates(problem: DinnerProblem) -> np.ndarray:
    """``(n,)`` the most table mates each attendee can have: a host the size of its table
    less one, anyone else the largest table's (both at most the other attendees)."""
    n = problem.num_attendees
    most_at = np.minimum(problem.capacity, n) - 1
    host = problem.host_table
    return np.where(host >= 0, most_at[np.maximum(host, 0)], most_at.max(initial=0)).astype(
        np.int64
    )


def degree_bound(problem: DinnerProblem) -> float:
    """A lower bound from each attendee's cheapest possible set of table mates.

    Attendee i sits at some table t with between :func:`fewest_mates` and ``cap_t - 1``
    mates. Its share of the pair cost is at least the
    cheapest sum of that many pair weights, leaving out pairs no plan can seat together
    (keep-apart, cooldown, and same company where at most one per company is allowed). Each
    pair is shared by two attendees, so the bound is half the sum. The fairness term is >= 0.
    """
    n = problem.num_attendees
    if n < 2:
        return 0.0
    weights = np.where(problem.forbidden, np.inf, problem.weights)
    if problem.max_per_company == 1:
        same = (problem.company[:, None] == problem.company[None, :]) & (problem.company >= 0)
        weights = np.where(same, np.inf, weights)
    np.fill_diagonal(weights, np.inf)
    ordered = np.sort(weights, axis=1)
    prefix = np.concatenate((np.zeros((n, 1)), np.cumsum(ordered, axis=1)), axis=1)
    fewest, most = fewest_mates(problem), most_mates(problem)
    share = np.empty(n)
    for i in range(n):
        low, high = int(fewest[i]), int(most[i])
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


def unavoidable_course_repeats(problem: DinnerProblem) -> int:
    """The fewest pairs that sit together in two courses of an evening, whatever the plan,
    when ``problem`` (one course) is served twice or more at the same tables.

    A table of the second course that seats ``s`` people takes them from the ``T`` tables
    of the first: spread as evenly as possible (``s = qT + r``), ``r C(q+1, 2) + (T-r) C(q, 2)``
    of its pairs still shared a first-course table. Seating the evening's people one by one
    where the next costs least (a person joining ``s`` others costs ``s // T``: the cost is
    convex in ``s``) gives the least total over the tables' capacities. Pairs the rules keep
    together at every course (keep-together groups, a guest and who invited them) are no
    repeat to count, so they are taken off; hosts and the other rules only add repeats.
    """
    T = problem.num_tables
    capacity = problem.capacity
    sizes = np.zeros(T, dtype=np.int64)
    least = 0
    for _ in range(problem.num_attendees):
        room = np.nonzero(sizes < capacity)[0]
        if room.size == 0:
            break
        t = room[np.argmin(sizes[room] // T)]
        least += int(sizes[t] // T)
        sizes[t] += 1
    kept = sum(len(g) * (len(g) - 1) // 2 for g in problem.groups)
    return max(0, least - kept)
