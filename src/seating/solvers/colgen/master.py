"""The master LP of column generation: the set-partitioning relaxation over known tables.

Variables ``x[c] >= 0``, one per known table ``c`` (a set of attendees at a table of type
``k``, :mod:`seating.solvers.colgen.tables`), with the table's cost. Rows: every attendee sits at
exactly one table (``= 1``, duals ``pi``), and a type ``k`` has at most ``count_k`` tables
(``<= count_k``, duals ``mu <= 0``). Solved by GLOP (OR-Tools), which keeps its basis between
solves, so adding the tables that pricing found and solving again is cheap.
"""

from __future__ import annotations

import math

import numpy as np
from ortools.linear_solver import pywraplp

from seating.solvers.colgen.tables import TableType


class MasterLP:
    """The restricted master LP of one dinner.

    Parameters
    ----------
    num_attendees
        Rows of the partition.
    types
        The table types (their counts bound the tables of each type).
    """

    def __init__(self, num_attendees: int, types: list[TableType]) -> None:
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        inf = self.lp.infinity()
        self.seat = [self.lp.Constraint(1.0, 1.0) for _ in range(num_attendees)]
        self.tables_of = [self.lp.Constraint(-inf, float(t.count)) for t in types]
        self.columns: list[tuple[int, tuple[int, ...], float]] = []
        self.known: set[tuple[int, tuple[int, ...]]] = set()
        self.vars: list[pywraplp.Variable] = []
        self.lp.Objective().SetMinimization()
        self.value = float("nan")

    def add(self, kind: int, members: tuple[int, ...], cost: float) -> bool:
        """Add a table of type ``kind``; False when it is known already."""
        key = (kind, members)
        if key in self.known:
            return False
        self.known.add(key)
        x = self.lp.NumVar(0.0, self.lp.infinity(), "")
        self.lp.Objective().SetCoefficient(x, cost)
        for i in members:
            self.seat[i].SetCoefficient(x, 1.0)
        self.tables_of[kind].SetCoefficient(x, 1.0)
        self.columns.append((kind, members, cost))
        self.vars.append(x)
        return True

    def solve(self, seconds: float) -> bool:
        """Solve within ``seconds``; True when GLOP reached the optimum."""
        if math.isfinite(seconds):
            self.lp.SetTimeLimit(max(1, int(1000 * seconds)))
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return False
        self.value = float(self.lp.Objective().Value())
        return True

    def duals(self) -> tuple[np.ndarray, np.ndarray]:
        """``(pi, mu)``: the duals of the seat rows and of the type rows (``mu <= 0``)."""
        pi = np.array([row.dual_value() for row in self.seat], dtype=np.float64)
        mu = np.array([row.dual_value() for row in self.tables_of], dtype=np.float64)
        return pi, np.minimum(mu, 0.0)

    def solution(self) -> np.ndarray:
        """The value of each known table's variable at the last optimum."""
        return np.array([x.solution_value() for x in self.vars], dtype=np.float64)
