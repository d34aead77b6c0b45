"""Packings of the projective space PG(3, q): resolvable 2-((q^2+1)(q+1), q+1, 1) designs.

The points of PG(3, q) are the 1-dimensional subspaces of GF(q)^4 and the lines the
2-dimensional ones: ``(q^2+1)(q+1)`` points, every line has ``q + 1`` points and every two
points lie on exactly one line. A *spread* is a set of ``q^2 + 1`` lines that partition the
points, and a *packing* (parallelism) is a partition of the lines into ``q^2 + q + 1``
spreads. A packing is therefore a Social Golfer schedule in which every pair of players meets
exactly once: q = 2 gives Kirkman's fifteen schoolgirls (5-3-7) and q = 3 the complete
10-4-13 schedule (a resolvable 2-(40, 4, 1) design).

Packings exist for every q (Denniston, "Some packings of projective spaces", 1972). The points
and lines are computed here from GF(q)^4, and a packing is found by a small exact search:
CP-SAT over booleans "line l is in spread r" (every line in one spread, every point on one
line of each spread), with the spreads ordered by the lines through point 0. For q = 3 (130
lines, 13 spreads) this takes about 0.15 s on one core, single-threaded and seeded, so it is
deterministic; the result is cached per process and verified by the caller.

A quicker cyclic model (a collineation of order q^2 + q + 1 fixing a point and a plane,
permuting the spreads, so one spread with a line from each line orbit suffices) finds
Kirkman's schoolgirls for q = 2, but an exhaustive exact cover found none for q = 3 with that
group, so it is not used.
"""

from __future__ import annotations

import numpy as np

from seating.season.constructions.gf import field, prime_power


def _normalise(vec: tuple[int, ...], mul: np.ndarray, inverse: np.ndarray) -> tuple[int, ...]:
    """The representative of ``vec``'s projective point: first nonzero coordinate 1."""
    lead = next(x for x in vec if x)
    inv = inverse[lead]
    return tuple(int(mul[inv, x]) for x in vec)


def projective_space(q: int) -> tuple[list[tuple[int, ...]], list[frozenset[int]]]:
    """Points (normalised vectors of GF(q)^4) and lines (sets of point indices) of PG(3, q)."""
    add, mul = field(q)
    inverse = np.zeros(q, dtype=np.int64)
    for x in range(1, q):
        inverse[x] = int(np.flatnonzero(mul[x] == 1)[0])
    vectors = [tuple((x // q**i) % q for i in range(4)) for x in range(1, q**4)]
    points = sorted({_normalise(v, mul, inverse) for v in vectors})
    index = {p: i for i, p in enumerate(points)}
    lines: set[frozenset[int]] = set()
    for i, a in enumerate(points):
        for b in points[i + 1 :]:
            # The line through a and b: the points a + t b (t in GF(q)) and b itself.
            pts = {index[b]}
            for t in range(q):
                vec = tuple(int(add[x, mul[t, y]]) for x, y in zip(a, b, strict=True))
                pts.add(index[_normalise(vec, mul, inverse)])
            lines.add(frozenset(pts))
    return points, sorted(lines, key=sorted)


_PACKINGS: dict[int, np.ndarray] = {}
"""Packings found in this process, by q (a failed search is not kept: a later call retries)."""


def _packing(q: int, time_limit: float) -> np.ndarray | None:
    if q in _PACKINGS:
        return _PACKINGS[q]
    from ortools.sat.python import cp_model  # lazy: only this construction needs CP-SAT

    points, lines = projective_space(q)
    rounds = q * q + q + 1
    model = cp_model.CpModel()
    x = [[model.new_bool_var(f"l{i}r{r}") for r in range(rounds)] for i in range(len(lines))]
    for row in x:
        model.add_exactly_one(row)
    on = [[i for i, line in enumerate(lines) if p in line] for p in range(len(points))]
    for through in on:
        for r in range(rounds):
            model.add_exactly_one(x[i][r] for i in through)
    # Symmetry: the q^2 + q + 1 lines through point 0 are in different spreads; fix their order.
    for r, i in enumerate(on[0]):
        model.add(x[i][r] == 1)
    solver = cp_model.CpSolver()
    # Ctrl-C ends the whole command (seating.cli.interrupt), not just this solve.
    solver.parameters.catch_sigint_signal = False
    solver.parameters.num_workers = 1  # deterministic
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = time_limit
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    schedule = np.empty((rounds, q * q + 1, q + 1), dtype=np.int64)
    for r in range(rounds):
        spread = [sorted(line) for i, line in enumerate(lines) if solver.value(x[i][r])]
        schedule[r] = sorted(spread)
    schedule.setflags(write=False)
    _PACKINGS[q] = schedule
    return schedule


def pg3_packing(q: int, time_limit: float = 30.0) -> np.ndarray | None:
    """A packing of PG(3, q) (found by CP-SAT) as a Social Golfer schedule, or ``None``.

    Parameters
    ----------
    q
        A prime power; q = 2 and 3 are solved in well under a second.
    time_limit
        Seconds for the CP-SAT search (a safety net; q = 3 needs a fraction of a second).

    Returns
    -------
    numpy.ndarray or None
        ``(q^2 + q + 1, q^2 + 1, q + 1)`` int array: round r holds the lines of the r-th
        spread, as sorted point indices ``0 .. (q^2+1)(q+1) - 1``. Every pair of points meets
        exactly once. ``None`` if q is not a prime power or the search found no packing in time.
    """
    if prime_power(q) is None:
        return None
    found = _packing(q, time_limit)
    return None if found is None else found.copy()
