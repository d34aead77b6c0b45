"""Valid inequalities on the pair variables of one dinner, found by a cutting-plane LP.

With ``z[i, j] = 1`` when attendees i and j share a table, every plan satisfies

- the *triangle* inequalities ``z[a, b] + z[a, c] - z[b, c] <= 1`` (sharing is transitive), and
- the *clique* (pigeonhole) inequalities: any ``q`` attendees at ``T`` tables have at least
  :func:`clique_floor` ``(q, T)`` pairs seated together, reached by spreading them evenly.

None of these depends on the weights, so adding any of them to the CP-SAT model cannot cut off
a plan: they only tighten its linear relaxation. On dense histories that relaxation is what
keeps CP-SAT from proving optimality (issue 2), and the clique inequalities are what it lacks:
on the 24-attendee benchmark dinners (3 tables, seeds 0-4), the triangle relaxation stays
19-31 % below the optimum; with cliques of up to 8 attendees it is within 4 % (0-2.4 points).

There are far too many of them to add all (the 6-cliques of 24 attendees alone number 134,596),
so :func:`separate` solves the relaxation with GLOP, adds the inequalities the LP optimum
violates, and repeats; the inequalities binding at the end are the ones worth giving CP-SAT.
The LP's own bound is informational only: the proof always comes from CP-SAT.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp

from seating.compile.bounds import fewest_mates, most_mates
from seating.compile.problem import DinnerProblem
from seating.stop import Stop

EXACT_SMALLEST_CLIQUES = 200_000
"""Enumerate every (T + 1)-subset of attendees when there are at most this many."""

_TOL = 1e-6


def clique_floor(size: int, num_tables: int) -> int:
    """Fewest pairs seated together among ``size`` attendees at ``num_tables`` tables.

    The pigeonhole principle: spread them as evenly as the tables allow.
    """
    base, extra = divmod(size, num_tables)
    return (num_tables - extra) * base * (base - 1) // 2 + extra * (base + 1) * base // 2


@dataclass
class Cuts:
    """Inequalities found by :func:`separate`, each valid for every plan of the dinner.

    Attributes
    ----------
    num_tables
        ``T``, which sets the right-hand side of the clique inequalities.
    triangles
        ``(a, b, c)``: ``z[a, b] + z[a, c] - z[b, c] <= 1``.
    cliques
        Attendee sets ``Q`` (``|Q| > T``): ``sum of z over the pairs of Q >= clique_floor``.
    lp_bound
        The LP's bound on the pair part of the objective (informational, not a proof).
    rounds, seconds
        Separation rounds run, and the time they took.
    """

    num_tables: int
    triangles: list[tuple[int, int, int]] = field(default_factory=list)
    cliques: list[tuple[int, ...]] = field(default_factory=list)
    lp_bound: float | None = None
    rounds: int = 0
    seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.triangles) + len(self.cliques)


def pair_bounds(problem: DinnerProblem) -> tuple[np.ndarray, np.ndarray]:
    """``(n, n)`` lower and upper bounds of ``z`` that every plan respects.

    0 for pairs the rules keep apart (forbidden pairs, a label limited to one per table, the
    hosts of two tables), 1 within a keep-together group.
    """
    n = problem.num_attendees
    low = np.zeros((n, n))
    high = np.ones((n, n))
    high[problem.forbidden] = 0.0
    for codes, limit in (
        (problem.company, problem.max_per_company),
        (problem.industry, problem.max_per_industry),
    ):
        if limit == 1:
            same = (codes[:, None] == codes[None, :]) & (codes[:, None] >= 0)
            high[same] = 0.0
    hosts = problem.host_table
    both = (hosts[:, None] >= 0) & (hosts[None, :] >= 0) & (hosts[:, None] != hosts[None, :])
    high[both] = 0.0
    for group in problem.groups:
        low[np.ix_(group, group)] = 1.0
    np.fill_diagonal(low, 0.0)
    np.fill_diagonal(high, 0.0)
    return low, np.maximum(low, high)


class _Relaxation:
    """The LP over ``z`` (GLOP): pair bounds, mate counts, and the cuts added so far."""

    def __init__(self, problem: DinnerProblem) -> None:
        n = self.n = problem.num_attendees
        self.num_tables = problem.num_tables
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        low, high = pair_bounds(problem)
        self.z = {}
        objective = self.lp.Objective()
        for i, j in itertools.combinations(range(n), 2):
            var = self.lp.NumVar(float(low[i, j]), float(high[i, j]), "")
            self.z[i, j] = self.z[j, i] = var
            objective.SetCoefficient(var, float(problem.weights[i, j]))
        objective.SetMinimization()
        # Each attendee's "pairs at my table" sum lies between these (counting keep-together
        # groups, which tightens the LP where there are any).
        fewest, most = fewest_mates(problem), most_mates(problem)
        for i in range(n):
            row = self.lp.Constraint(float(fewest[i]), float(most[i]))
            for j in range(n):
                if j != i:
                    row.SetCoefficient(self.z[i, j], 1.0)
        self.triples = np.array(list(itertools.combinations(range(n), 3)), dtype=np.int64)
        self.triangles: dict[tuple[int, int, int], pywraplp.Constraint] = {}
        self.cliques: dict[tuple[int, ...], pywraplp.Constraint] = {}
        self.values = np.zeros((n, n))

    def solve(self, seconds: float) -> float | None:
        """The LP optimum, or ``None`` (infeasible, or not solved within ``seconds``)."""
        # GLOP honours a time limit in milliseconds; without one a slow first solve (40
        # attendees: about a second) ran far past the share of the time it was given.
        self.lp.SetTimeLimit(max(1, int(seconds * 1000)))
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        for (i, j), var in self.z.items():
            self.values[i, j] = var.solution_value()
        return self.lp.Objective().Value()

    def binding(self) -> tuple[list[tuple[int, int, int]], list[tuple[int, ...]]]:
        """The triangles and cliques with a non-zero dual at the last optimum."""
        triangles = [k for k, row in self.triangles.items() if abs(row.dual_value()) > 1e-9]
        cliques = [k for k, row in self.cliques.items() if abs(row.dual_value()) > 1e-9]
        return triangles, cliques

    def add_triangles(self, limit: int) -> int:
        """Add up to ``limit`` most violated triangle inequalities."""
        z, (a, b, c) = self.values, self.triples.T
        candidates = []
        for apex, u, v in ((a, b, c), (b, a, c), (c, a, b)):
            excess = z[apex, u] + z[apex, v] - z[u, v] - 1.0
            hit = np.nonzero(excess > _TOL)[0]
            candidates += [(excess[k], (int(apex[k]), int(u[k]), int(v[k]))) for k in hit]
        added = 0
        for _, key in sorted(candidates, reverse=True):
            if added == limit:
                break
            if key in self.triangles:
                continue
            apex, u, v = key
            row = self.lp.Constraint(-self.lp.infinity(), 1.0)
            row.SetCoefficient(self.z[apex, u], 1.0)
            row.SetCoefficient(self.z[apex, v], 1.0)
            row.SetCoefficient(self.z[u, v], -1.0)
            self.triangles[key] = row
            added += 1
        return added

    def add_cliques(self, largest: int, limit: int) -> int:
        """Add up to ``limit`` violated clique inequalities (most violated per member first)."""
        found = _violated_cliques(self.values, self.num_tables, largest)
        added = 0
        for _, members in sorted(((v, q) for q, v in found.items()), reverse=True):
            if added == limit:
                break
            if members in self.cliques:
                continue
            row = self.lp.Constraint(
                float(clique_floor(len(members), self.num_tables)), self.lp.infinity()
            )
            for i, j in itertools.combinations(members, 2):
                row.SetCoefficient(self.z[i, j], 1.0)
            self.cliques[members] = row
            added += 1
        return added


def _violated_cliques(z: np.ndarray, num_tables: int, largest: int) -> dict[tuple[int, ...], float]:
    """Attendee sets whose clique inequality the LP point ``z`` violates, with the violation
    per member.

    Every (T + 1)-set is checked when they are few; larger sets are grown greedily from every
    pair, adding the attendee that raises the pair sum least (sets with few pairs together are
    the ones that can violate).
    """
    n = len(z)
    found: dict[tuple[int, ...], float] = {}
    smallest = num_tables + 1
    if math.comb(n, smallest) <= EXACT_SMALLEST_CLIQUES:
        sets = np.array(list(itertools.combinations(range(n), smallest)), dtype=np.int64)
        total = np.zeros(len(sets))
        for a, b in itertools.combinations(range(smallest), 2):
            total += z[sets[:, a], sets[:, b]]
        short = 1.0 - total  # a (T + 1)-set always has at least one pair together
        for k in np.nonzero(short > _TOL)[0]:
            found[tuple(sets[k].tolist())] = short[k] / smallest
    first, second = np.triu_indices(n, 1)
    starts = np.arange(len(first))
    inside = np.zeros((len(first), n), dtype=bool)
    inside[starts, first] = inside[starts, second] = True
    gain = z[first] + z[second]  # what adding each attendee would add to the pair sum
    total = z[first, second].copy()
    members = [first, second]
    for size in range(3, largest + 1):
        nxt = np.argmin(np.where(inside, np.inf, gain), axis=1)
        total += gain[starts, nxt]
        inside[starts, nxt] = True
        gain += z[nxt]
        members.append(nxt)
        if size < smallest:
            continue
        short = clique_floor(size, num_tables) - total
        for k in np.nonzero(short > _TOL)[0]:
            key = tuple(sorted(int(m[k]) for m in members))
            found[key] = max(found.get(key, 0.0), short[k] / size)
    return found


def separate(
    problem: DinnerProblem,
    *,
    time_limit: float,
    per_round: int = 300,
    max_rounds: int = 40,
    stall: float = 0.05,
    stop: Stop | None = None,
) -> Cuts:
    """Triangle and clique inequalities that tighten the LP relaxation of ``problem``.

    Parameters
    ----------
    problem
        The compiled dinner.
    time_limit
        Seconds, a backstop: each GLOP solve gets what is left of it. The loop normally stops
        on ``max_rounds`` or ``stall``, which do not depend on the clock, so the same dinner
        gives the same inequalities; only a loop cut by this limit can differ between runs.
    per_round
        At most this many new triangles and this many new cliques per round.
    max_rounds
        At most this many rounds.
    stall
        Stop once three rounds together raised the LP bound by less than this.
    stop
        A criterion checked between rounds (e.g. a cancel from another thread).

    Returns
    -------
    Cuts
        The inequalities binding (non-zero dual) at the last LP optimum; empty when the LP has
        no optimum (the rules clash) or the dinner has a single table.
    """
    started = time.perf_counter()
    num_tables = problem.num_tables
    cuts = Cuts(num_tables=num_tables)
    n = problem.num_attendees
    if num_tables < 2 or n <= num_tables:
        return cuts
    # Cliques larger than this add little on the instances measured (sizes 9-10 moved the LP
    # bound by under 0.3 %) and cost a GLOP row of many terms each.
    largest = min(n, 3 * num_tables - 1)
    relaxation = _Relaxation(problem)

    def left() -> float:
        if stop is not None and stop.stopped():
            return 0.0
        return time_limit - (time.perf_counter() - started)

    value = relaxation.solve(left())
    if value is None:
        cuts.seconds = time.perf_counter() - started
        return cuts
    # The inequalities binding at the last LP optimum: read right after each solve, because a
    # round may add rows and then find no time to solve again (the duals would be stale).
    binding = relaxation.binding()
    history = [value]
    while cuts.rounds < max_rounds and left() > 0:
        added = relaxation.add_triangles(per_round)
        added += relaxation.add_cliques(largest, per_round)
        if not added or left() <= 0:
            break
        cuts.rounds += 1
        value = relaxation.solve(left())
        if value is None:
            break  # out of time mid-solve: keep the last optimum's inequalities
        history.append(value)
        binding = relaxation.binding()
        if len(history) > 3 and history[-1] - history[-4] < stall:
            break
    cuts.seconds = time.perf_counter() - started
    cuts.lp_bound = history[-1]
    cuts.triangles, cuts.cliques = binding
    return cuts


def holds(cuts: Cuts, table_of: np.ndarray) -> bool:
    """Whether a plan satisfies every inequality of ``cuts`` (for tests and debugging)."""
    together = (table_of[:, None] == table_of[None, :]).astype(np.int64)
    for apex, u, v in cuts.triangles:
        if together[apex, u] + together[apex, v] - together[u, v] > 1:
            return False
    for members in cuts.cliques:
        index = np.array(members)
        pairs = int(np.triu(together[np.ix_(index, index)], 1).sum())
        if pairs < clique_floor(len(members), cuts.num_tables):
            return False
    return True
