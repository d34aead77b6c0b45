"""Lower bounds and exact optima by column generation over tables (issue 15).

A plan is a set of tables; the set-partitioning LP over every possible table gives a strong
lower bound, found by column generation:

- :mod:`~seating.solvers.colgen.tables`: table types, a table's cost and rules, the arrays of
  the search;
- :mod:`~seating.solvers.colgen.pricing`: the compiled branch-and-bound that finds the cheapest
  tables at given duals (pricing) or lists every cheap table (enumeration), with its
  completion bound in :mod:`~seating.solvers.colgen.completion`;
- :mod:`~seating.solvers.colgen.master`: the master LP (GLOP);
- :mod:`~seating.solvers.colgen.bound`: the column-generation loop and its Lagrangian bound,
  valid at every round;
- :mod:`~seating.solvers.colgen.exact`: reduced-cost enumeration and the set-partitioning IP
  that prove a plan optimal, the IP solved by :mod:`~seating.solvers.colgen.partition`;
- :mod:`~seating.solvers.colgen.run`: both as phases of ``solve`` (``auto`` and ``exact``).

Importing this package imports OR-Tools (slow): the rest of the core imports it on first use.
"""
