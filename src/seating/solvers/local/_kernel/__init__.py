"""The compiled core of the local search: greedy start, simulated annealing, descent, tabu.

The search works on *units*: a keep-together group is one unit, every other attendee a unit of
one. Capacities, hosts and keep-together are never broken by a move. The other hard rules are
soft here, each violation costing ``penalty``, so the walk can cross briefly infeasible plans;
the driver (:mod:`seating.solvers.local.search`) checks the final plan against the real rules.

Incremental evaluation: ``G[t, u]`` is the summed pair cost between unit ``u`` and the units at
table ``t``; moving a unit from A to B costs ``G[B, u] - G[A, u]`` in O(1) (a swap adds one
entry of ``W``), and applying it updates two contiguous rows of ``G`` in O(U); only accepted
steps pay that. Company and industry limits keep per-table counters (O(1) per member); the
fairness term keeps ``R[t, i]``, how many people at table t member i met before.

Two searches use these: :func:`search` (greedy start, annealing, steepest descent) and
:func:`tabu` (the best admissible move or swap at every step, with a short memory of the
tables units left). The tabu search keeps, per pair of tables, its best step, and rescans
only the pairs touching the two tables a step changed (see
:func:`~seating.solvers.local._kernel.tabu_search._tabu_singles`).

The modules, each depending only on those above it (random numbers come from
:mod:`seating.solvers.rng`, the generator of all compiled code):

- :mod:`.state`: the state arrays, the incremental pieces of a step (labels, fairness), taking
  a step, the full cost, the greedy start;
- :mod:`.neighbourhood`: the best admissible move or swap, every one evaluated;
- :mod:`.tabu_search`: :func:`tabu` (``tabu_general``), and its fast path for single members
  without fairness (``tabu_singles``);
- :mod:`.annealing`: :func:`search` (annealing, then steepest descent; ``search_general`` and
  ``search_singles``).

Everything is compiled by numba in nopython mode and cached on disk (``cache=True``), so only
the first run on a machine pays the compile time. The entry points called from Python
(``search_*``, ``tabu_*``, and the season kernels' ``run``, ``rebuild``, greedy and cyclic
steps) are ``nogil=True``: while they run, other threads run too, among them the command
line's Ctrl-C watcher (:mod:`seating.cli.interrupt`), which could not otherwise act until the
kernel returned. Numba invalidates a cached function only
when its *own* file changes, not when a function it calls from another module here does: after
editing one module of this package, delete its ``__pycache__`` before measuring or testing.

Arrays travel in two tuples:

- ``D`` (data, read-only but for ``halt``): ``W, unit_start, unit_members, unit_size,
  unit_fixed, capacity, comp, comp_limit, ind, ind_limit, rep, fairness, penalty, X, halt``,
  where ``halt`` ``(1,)`` is the deadline inside the compiled loops: the driver's watcher
  thread sets it to 1 when the stop criterion says stop (the time is up, a cancel), and
  annealing and tabu then end at their next check (every 1,024 annealing steps, every 16
  tabu steps) with the best plan so far, and so does a descent (every 16 steps): on a
  1,000-attendee dinner the descent after a cut annealing took seconds. A cut plan may
  break a rule the descent would have repaired; the driver then clears ``halt`` and
  descends again from it, uncut (:func:`seating.solvers.local.search.solve_local`). Nothing
  sets it when the search ends on its own, so plans stay the same for the same seed; and
  ``X`` holds the table rules (:mod:`seating.compile.table_rules`): ``active, F, share, mode,
  L, newcomers, cap, buf``
  (``F`` ``(n, L + 2)``: speaks each language, newcomer, anchor; ``share`` ``(n, n)`` shares a
  language; ``mode`` -1 "table", k > 0 mates, 0 none; ``buf`` ``(n,)`` scratch space). Only the
  general paths read ``X``: a dinner with table rules never takes the fast ones;
- ``S`` (state): ``table_of, tab_units, tab_count, unit_pos, load, G, counts_c, counts_i, R,
  member_table``.

Speed notes (measured with ``time.process_time`` on the 80-attendee benchmark dinner):

- every call into a separately compiled function updates the reference count of each array
  it touches (~10-20 ns each, atomically), and inlining (``inline="always"``) does not remove
  that; an annealing step that called ``_delta(D, S, ...)`` cost ~650 ns, the same step
  written flat in the loop ~30 ns. Hot loops therefore unpack the tuples once and call no
  function that takes arrays, and they create no array views (``row = M[t]``) inside loops;
- unpredictable branches on counts cost more than the arithmetic: label limits are checked
  with comparisons turned into integers (``int(count >= limit)``);
- random numbers come from an inline xorshift64* generator: numba's ``np.random`` costs
  ~12 ns a draw, this one ~2.5 ns.

Compile-time notes (the first run on a machine compiles everything it calls; measured on the
80-attendee benchmark dinner with an empty cache, 49 s before these rules):

- numba compiles a function once per tuple of argument types, and a bare constant argument
  has a type of its own (``f(x, 1)`` passes ``Literal[int](1)``, ``f(x, True)``
  ``Literal[bool](True)``): pass typed constants (``np.int64(1)``, ``np.bool_(True)``), also
  as the starting value of a variable later passed to a compiled function (type inference
  first types the call with the starting value). Such duplicates took 15 s;
- ``a[:] = b`` between arrays compiles an error message for mismatched shapes (4 s): copy
  with :func:`~.state._copy_into`;
- the fast path for single members without fairness and the general path are separate entry
  points (``search_singles`` and ``tabu_singles``, ``search_general`` and ``tabu_general``),
  chosen here in Python, so that a dinner compiles (and loads from the cache) only its path.
"""

from __future__ import annotations

import numpy as np

from seating.solvers.local._kernel.annealing import search_general, search_singles
from seating.solvers.local._kernel.tabu_search import tabu_general, tabu_singles

__all__ = ["search", "tabu"]


def _singles(D: tuple) -> bool:
    """Whether every unit is one member, fairness is off and no table rule applies (the fast
    paths apply)."""
    return bool(D[3].max(initial=0) == 1 and D[11] <= 0.0 and not D[13][0])


def search(
    D: tuple,
    start: np.ndarray,
    seed: int,
    iterations: int,
    t_start: float,
    t_end: float,
    best_out: np.ndarray,
) -> float:
    """Anneal, then descend to a local optimum (:func:`.annealing.search_general`)."""
    entry = search_singles if _singles(D) else search_general
    return entry(D, start, seed, iterations, t_start, t_end, best_out)


def tabu(
    D: tuple,
    start: np.ndarray,
    seed: int,
    iterations: int,
    tenure: int,
    stall: int,
    strength: int,
    best_out: np.ndarray,
) -> float:
    """Iterated tabu search (:func:`.tabu_search.tabu_general`)."""
    entry = tabu_singles if _singles(D) else tabu_general
    return entry(D, start, seed, iterations, tenure, stall, strength, best_out)
