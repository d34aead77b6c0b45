"""The seating a club gets without software: hosts at their tables, everyone else at random."""

from __future__ import annotations

import numpy as np

from seating.compile.problem import DinnerProblem


def random_plan(problem: DinnerProblem, seed: int = 0) -> np.ndarray:
    """A random seating that respects capacities and hosts (and no other rule).

    Returns
    -------
    numpy.ndarray
        ``(n,)`` table index of each attendee.
    """
    rng = np.random.default_rng(seed)
    table_of = problem.host_table.copy()
    free_seats = problem.capacity - np.bincount(
        table_of[table_of >= 0], minlength=problem.num_tables
    )
    seats = np.repeat(np.arange(problem.num_tables), np.maximum(free_seats, 0))
    rng.shuffle(seats)
    guests = np.nonzero(table_of < 0)[0]
    table_of[guests] = seats[: guests.size]
    return table_of
