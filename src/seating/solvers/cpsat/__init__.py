"""The exact solver on OR-Tools CP-SAT.

- :mod:`~seating.solvers.cpsat.model`: the model of one dinner and :func:`solve_cpsat`;
- :mod:`~seating.solvers.cpsat.constraints`: the hard rules, one function per family (shared
  with re-seating);
- :mod:`~seating.solvers.cpsat.cuts`: valid inequalities found by an LP;
- :mod:`~seating.solvers.cpsat.infeasibility`: :func:`explain_infeasible`, the rules that clash;
- :mod:`~seating.solvers.cpsat.watch`: a solve that a stop criterion can end early.

Importing this package imports OR-Tools (slow): the rest of the core imports it on first use.
"""

from seating.solvers.cpsat.infeasibility import explain_infeasible as explain_infeasible
from seating.solvers.cpsat.model import solve_cpsat as solve_cpsat

__all__ = ["explain_infeasible", "solve_cpsat"]
