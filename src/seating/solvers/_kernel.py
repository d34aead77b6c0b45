"""The compiled core of the local search: greedy start, simulated annealing, descent, tabu.

The search works on *units*: a keep-together group is one unit, every other attendee a unit of
one. Capacities, hosts and keep-together are never broken by a move. The other hard rules are
soft here, each violation costing ``penalty``, so the walk can cross briefly infeasible plans;
the driver (:mod:`seating.solvers.local`) checks the final plan against the real rules.

Incremental evaluation: ``G[t, u]`` is the summed pair cost between unit ``u`` and the units at
table ``t``; moving a unit from A to B costs ``G[B, u] - G[A, u]`` in O(1) (a swap adds one
entry of ``W``), and applying it updates two contiguous rows of ``G`` in O(U); only accepted
steps pay that. Company and industry limits keep per-table counters (O(1) per member); the
fairness term keeps ``R[t, i]``, how many people at table t member i met before.

Two searches use these: :func:`search` (greedy start, annealing, steepest descent) and
:func:`tabu` (the best admissible move or swap at every step, with a short memory of the
tables units left). The tabu search keeps, per pair of tables, its best step, and rescans
only the pairs touching the two tables a step changed (see :func:`_tabu_singles`).

Everything is compiled by numba in nopython mode and cached on disk (``cache=True``), so only
the first run on a machine pays the compile time. Arrays travel in two tuples:

- ``D`` (data, read-only): ``W, unit_start, unit_members, unit_size, unit_fixed, capacity,
  comp, comp_limit, ind, ind_limit, rep, fairness, penalty``;
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
"""

from __future__ import annotations

import numpy as np
from numba import njit

_EPS = 1e-9
_REJECT = 25.0
"""Uphill steps costing more than this many temperatures are rejected without ``exp``
(acceptance below 1.4e-11)."""


# --- random numbers: xorshift64*, state in a one-element uint64 array --------------------------


@njit(cache=True)
def _rng(seed):
    """A generator state from any integer seed (splitmix64 of the seed, never zero)."""
    state = np.empty(1, np.uint64)
    z = np.uint64(seed & 0x7FFFFFFFFFFFFFFF) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    state[0] = z if z != np.uint64(0) else np.uint64(1)
    return state


@njit(cache=True, inline="always")
def _uniform(state):
    """A float in [0, 1)."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    return float((x * np.uint64(0x2545F4914F6CDD1D)) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, inline="always")
def _below(state, n):
    """An integer in [0, n)."""
    return int(_uniform(state) * n)


# --- incremental pieces of a step (inlined into the loops) -----------------------------------


@njit(cache=True, inline="always")
def _excess(count, limit):
    return count - limit if limit > 0 and count > limit else 0


@njit(cache=True)
def _shift_codes(counts, limit, codes, unit_start, unit_members, u, a, b):
    """Move unit u's labels from table a to table b in ``counts``; return the excess change."""
    change = 0
    for p in range(unit_start[u], unit_start[u + 1]):
        c = codes[unit_members[p]]
        if c < 0:
            continue
        before = _excess(counts[a, c], limit) + _excess(counts[b, c], limit)
        counts[a, c] -= 1
        counts[b, c] += 1
        change += _excess(counts[a, c], limit) + _excess(counts[b, c], limit) - before
    return change


@njit(cache=True, inline="always")
def _label_delta(counts, limit, codes, unit_start, unit_size, unit_members, u, v, a, b):
    """Excess change of moving u from a to b and (if v >= 0) v from b to a; counts restored."""
    if limit <= 0:
        return 0
    if unit_size[u] == 1 and (v < 0 or unit_size[v] == 1):
        # The common case in O(1): one label leaves a for b, maybe another leaves b for a.
        # Written without branches on the counts: those branches are unpredictable, and
        # mispredicting them cost more than the rest of the step together (measured).
        c = codes[unit_members[unit_start[u]]]
        d = codes[unit_members[unit_start[v]]] if v >= 0 else -1
        if c == d:
            return 0
        change = 0
        if c >= 0:
            change += int(counts[b, c] >= limit) - int(counts[a, c] > limit)
        if d >= 0:
            change += int(counts[a, d] >= limit) - int(counts[b, d] > limit)
        return change
    change = _shift_codes(counts, limit, codes, unit_start, unit_members, u, a, b)
    if v >= 0:
        change += _shift_codes(counts, limit, codes, unit_start, unit_members, v, b, a)
        _shift_codes(counts, limit, codes, unit_start, unit_members, v, a, b)
    _shift_codes(counts, limit, codes, unit_start, unit_members, u, b, a)
    return change


@njit(cache=True)
def _rep_to_unit(rep, unit_start, unit_members, j, u):
    """How many members of unit u member j met before (0 for u = -1)."""
    total = 0
    if u >= 0:
        for p in range(unit_start[u], unit_start[u + 1]):
            total += rep[j, unit_members[p]]
    return total


@njit(cache=True)
def _fair_side(rep, unit_start, unit_members, tab_units, tab_count, R, t, gone, came, u, v):
    """Change of the squared loads of the members staying at t while ``gone`` leaves it and
    ``came`` joins it (either may be -1)."""
    change = 0
    for q in range(tab_count[t]):
        w = tab_units[t, q]
        if w in (u, v):
            continue
        for p in range(unit_start[w], unit_start[w + 1]):
            j = unit_members[p]
            old = R[t, j]
            new = old - _rep_to_unit(rep, unit_start, unit_members, j, gone)
            new += _rep_to_unit(rep, unit_start, unit_members, j, came)
            change += new * new - old * old
    return change


@njit(cache=True)
def _fair_mover(rep, unit_start, unit_members, R, mover, src, dst, other):
    """Change of the squared loads of ``mover``'s members going from src to dst."""
    change = 0
    for p in range(unit_start[mover], unit_start[mover + 1]):
        i = unit_members[p]
        old = R[src, i]
        new = R[dst, i] - _rep_to_unit(rep, unit_start, unit_members, i, other)
        # Mates inside the unit stay mates: counted in R[src, i] but not in R[dst, i].
        new += _rep_to_unit(rep, unit_start, unit_members, i, mover)
        change += new * new - old * old
    return change


@njit(cache=True)
def _fair_delta(rep, unit_start, unit_members, tab_units, tab_count, R, u, v, a, b):
    """Change of sum(load ** 2) when u moves a -> b and (if v >= 0) v moves b -> a."""
    change = _fair_side(rep, unit_start, unit_members, tab_units, tab_count, R, a, u, v, u, v)
    change += _fair_side(rep, unit_start, unit_members, tab_units, tab_count, R, b, v, u, u, v)
    change += _fair_mover(rep, unit_start, unit_members, R, u, a, b, v)
    if v >= 0:
        change += _fair_mover(rep, unit_start, unit_members, R, v, b, a, u)
    return change


@njit(cache=True)
def _fair_shift(rep, unit_start, unit_members, R, u, a, b):
    """Update ``R`` for unit u going from table a to table b."""
    for p in range(unit_start[u], unit_start[u + 1]):
        i = unit_members[p]
        for j in range(rep.shape[0]):
            if j != i:
                R[a, j] -= rep[i, j]
                R[b, j] += rep[i, j]


@njit(cache=True)
def _fits(D, S, u, v, a, b):
    """Whether moving u to b (and v to a) keeps both tables within capacity."""
    unit_size, capacity, load = D[3], D[5], S[4]
    if v < 0:
        return load[b] + unit_size[u] <= capacity[b]
    if unit_size[u] == unit_size[v]:
        return True
    return (
        load[a] - unit_size[u] + unit_size[v] <= capacity[a]
        and load[b] - unit_size[v] + unit_size[u] <= capacity[b]
    )


@njit(cache=True, inline="always")
def _place(D, S, u, t, sign):
    """Seat unit u at table t (sign = 1) or take it away (sign = -1); all but ``G``."""
    unit_start, unit_members, unit_size = D[1], D[2], D[3]
    comp, ind, rep, fairness = D[6], D[8], D[10], D[11]
    table_of, tab_units, tab_count, unit_pos, load = S[0], S[1], S[2], S[3], S[4]
    counts_c, counts_i, R, member_table = S[6], S[7], S[8], S[9]
    if sign > 0:
        table_of[u] = t
        unit_pos[u] = tab_count[t]
        tab_units[t, tab_count[t]] = u
        tab_count[t] += 1
    else:
        last = tab_units[t, tab_count[t] - 1]
        tab_units[t, unit_pos[u]] = last
        unit_pos[last] = unit_pos[u]
        tab_count[t] -= 1
        table_of[u] = -1
    load[t] += sign * unit_size[u]
    for p in range(unit_start[u], unit_start[u + 1]):
        i = unit_members[p]
        member_table[i] = t if sign > 0 else -1
        if comp[i] >= 0:
            counts_c[t, comp[i]] += sign
        if ind[i] >= 0:
            counts_i[t, ind[i]] += sign
        if fairness > 0.0:
            for j in range(rep.shape[0]):
                if j != i:
                    R[t, j] += sign * rep[i, j]


@njit(cache=True)
def _seat(D, S, u, t, sign):
    """Seat unit u at table t (sign = 1) or take it away from t (sign = -1)."""
    _place(D, S, u, t, sign)
    W, G = D[0], S[5]
    if sign > 0:
        for x in range(G.shape[1]):
            G[t, x] += W[u, x]
    else:
        for x in range(G.shape[1]):
            G[t, x] -= W[u, x]


@njit(cache=True, inline="always")
def _step(D, S, u, v, a, b):
    """Move u from a to b and, if v >= 0, v from b to a: two passes over ``G``, not four."""
    _place(D, S, u, a, -1)
    if v >= 0:
        _place(D, S, v, b, -1)
        _place(D, S, v, a, 1)
    _place(D, S, u, b, 1)
    W, G = D[0], S[5]
    if v >= 0:
        for x in range(G.shape[1]):
            change = W[u, x] - W[v, x]
            G[a, x] -= change
            G[b, x] += change
    else:
        for x in range(G.shape[1]):
            G[a, x] -= W[u, x]
            G[b, x] += W[u, x]


@njit(cache=True)
def _apply(D, S, u, v, a, b):
    """:func:`_step` as a function of its own (for the loops outside the annealing)."""
    _step(D, S, u, v, a, b)


# --- whole-state functions --------------------------------------------------------------------


@njit(cache=True)
def _cost(D, S):
    """The full cost of the current state, penalties included (O(U + T * labels + n))."""
    comp_limit, ind_limit, fairness, penalty = D[7], D[9], D[11], D[12]
    table_of, G, counts_c, counts_i, R, member_table = S[0], S[5], S[6], S[7], S[8], S[9]
    total = 0.0
    for u in range(table_of.shape[0]):
        total += 0.5 * G[table_of[u], u]
    excess = 0
    for t in range(counts_c.shape[0]):
        for c in range(counts_c.shape[1]):
            excess += _excess(counts_c[t, c], comp_limit)
        for c in range(counts_i.shape[1]):
            excess += _excess(counts_i[t, c], ind_limit)
    total += penalty * excess
    if fairness > 0.0:
        squares = 0
        for i in range(member_table.shape[0]):
            squares += R[member_table[i], i] ** 2
        total += fairness * squares
    return total


@njit(cache=True)
def _greedy_table(D, S, u, pack):
    """The table with room where unit u costs least (ties: the emptier table), or with
    ``pack`` the fullest table it fits (best fit, cost ignored); -1 if none."""
    unit_start, unit_members, unit_size, capacity = D[1], D[2], D[3], D[5]
    comp, comp_limit, ind, ind_limit, penalty = D[6], D[7], D[8], D[9], D[12]
    load, G, counts_c, counts_i = S[4], S[5], S[6], S[7]
    best_t = -1
    best = np.inf
    for t in range(capacity.shape[0]):
        if load[t] + unit_size[u] > capacity[t]:
            continue
        if pack:
            if capacity[t] - load[t] < best:
                best = capacity[t] - load[t]
                best_t = t
            continue
        cost = G[t, u] - 1e-6 * (capacity[t] - load[t])
        for p in range(unit_start[u], unit_start[u + 1]):
            i = unit_members[p]
            if comp[i] >= 0 and comp_limit > 0 and counts_c[t, comp[i]] >= comp_limit:
                cost += penalty
            if ind[i] >= 0 and ind_limit > 0 and counts_i[t, ind[i]] >= ind_limit:
                cost += penalty
        if cost < best:
            best = cost
            best_t = t
    return best_t


@njit(cache=True)
def _new_state(D):
    W, capacity = D[0], D[5]
    comp, ind, fairness = D[6], D[8], D[11]
    U, T, n = W.shape[0], capacity.shape[0], comp.shape[0]
    return (
        np.full(U, -1, np.int64),  # table_of
        # A table holds at most U units, whatever its capacity (capacity 10**9 is legal).
        np.full((T, max(1, min(capacity.max(), U))), -1, np.int64),  # tab_units
        np.zeros(T, np.int64),  # tab_count
        np.zeros(U, np.int64),  # unit_pos
        np.zeros(T, np.int64),  # load
        np.zeros((T, U)),  # G
        np.zeros((T, max(1, comp.max() + 1)), np.int64),  # counts_c
        np.zeros((T, max(1, ind.max() + 1)), np.int64),  # counts_i
        np.zeros((T, n if fairness > 0.0 else 1), np.int64),  # R
        np.full(n, -1, np.int64),  # member_table
    )


@njit(cache=True)
def _start(D, S, start, pack):
    """Seat ``start`` (``-1``: not seated); then the hosts' units; then the rest, larger units
    first, by best insertion or (``pack``) best fit.

    Returns False if some unit found no table with room.
    """
    unit_size, unit_fixed = D[3], D[4]
    table_of = S[0]
    U = unit_size.shape[0]
    for u in range(U):
        if start[u] >= 0:
            _seat(D, S, u, start[u], 1)
    for u in range(U):
        if table_of[u] < 0 and unit_fixed[u] >= 0:
            _seat(D, S, u, unit_fixed[u], 1)
    for size in range(unit_size.max(), 0, -1):
        for u in range(U):
            if table_of[u] < 0 and unit_size[u] == size:
                t = _greedy_table(D, S, u, pack)
                if t < 0:
                    return False
                _seat(D, S, u, t, 1)
    return True


@njit(cache=True)
def _seated(D, start):
    """Whether every unit found a seat (:func:`_start`), and the state.

    Best insertion fills the cheapest tables; when that leaves a group without room, the
    units not seated by ``start`` are packed by best fit instead (first-fit decreasing packs
    groups of 2, 2 and 3 into tables of 4 and 3; cost-driven insertion may not).
    """
    S = _new_state(D)
    if _start(D, S, start, False):
        return True, S
    S = _new_state(D)
    return _start(D, S, start, True), S


@njit(cache=True)
def _goto(D, S, plan):
    """Put the state on ``plan`` (unseat what differs, then seat it where the plan says)."""
    table_of = S[0]
    for u in range(table_of.shape[0]):
        if table_of[u] != plan[u]:
            _seat(D, S, u, table_of[u], -1)
    for u in range(table_of.shape[0]):
        if table_of[u] < 0:
            _seat(D, S, u, plan[u], 1)


@njit(cache=True)
def _labels_of(D):
    """Company and industry code of each single-member unit (-1: none; -2: a group)."""
    unit_start, unit_members, unit_size, comp, ind = D[1], D[2], D[3], D[6], D[8]
    U = unit_size.shape[0]
    comp_of = np.full(U, -1, np.int64)
    ind_of = np.full(U, -1, np.int64)
    for w in range(U):
        if unit_size[w] > 1:
            comp_of[w] = ind_of[w] = -2
        else:
            comp_of[w] = comp[unit_members[unit_start[w]]]
            ind_of[w] = ind[unit_members[unit_start[w]]]
    return comp_of, ind_of


@njit(cache=True)
def _anneal(D, S, movable, rng, iterations, t_start, t_end, cost, best_out):
    """Geometric annealing from ``t_start`` to ``t_end``; the best plan goes to ``best_out``.

    A step picks a movable unit u and another table b, then moves u to b (if b has room and a
    coin says so) or swaps u with a random movable unit at b. Returns the best cost.

    The step is written out flat: every call that takes arrays costs reference-count updates
    (~10 ns per array), more than the step itself, so only the rare paths (groups in a label
    limit, fairness) call helpers.
    """
    W, unit_start, unit_members, unit_size, unit_fixed, capacity = D[:6]
    comp, comp_limit, ind, ind_limit, rep, fairness, penalty = D[6:]
    table_of, tab_units, tab_count, unit_pos, load, G, counts_c, counts_i, R, member_table = S
    M, T, U = movable.shape[0], capacity.shape[0], W.shape[0]
    comp_of, ind_of = _labels_of(D)
    labels = comp_limit > 0 or ind_limit > 0
    best = cost
    ratio = (t_end / t_start) ** (1.0 / max(iterations, 1)) if t_start > 0 else 1.0
    temp = t_start
    for _ in range(iterations):
        temp *= ratio
        u = movable[_below(rng, M)]
        a = table_of[u]
        b = _below(rng, T - 1)
        if b >= a:
            b += 1
        v = -1
        if load[b] + unit_size[u] > capacity[b] or (tab_count[b] > 0 and _uniform(rng) < 0.5):
            if tab_count[b] == 0:
                continue
            v = tab_units[b, _below(rng, tab_count[b])]
            if unit_fixed[v] >= 0:
                continue
            if unit_size[u] != unit_size[v] and (
                load[a] - unit_size[u] + unit_size[v] > capacity[a]
                or load[b] - unit_size[v] + unit_size[u] > capacity[b]
            ):
                continue
        delta = G[b, u] - G[a, u]
        if v >= 0:
            delta += G[a, v] - G[b, v] - 2.0 * W[u, v]
        if labels:
            c, d = comp_of[u], comp_of[v] if v >= 0 else -1
            e, f = ind_of[u], ind_of[v] if v >= 0 else -1
            if c == -2 or d == -2:
                excess = _label_delta(counts_c, comp_limit, comp, unit_start, unit_size,
                                      unit_members, u, v, a, b)  # fmt: skip
                excess += _label_delta(counts_i, ind_limit, ind, unit_start, unit_size,
                                       unit_members, u, v, a, b)  # fmt: skip
            else:
                # Branch-free: these comparisons are unpredictable (measured: 3x slower).
                excess = 0
                if comp_limit > 0 and c != d:
                    if c >= 0:
                        excess += int(counts_c[b, c] >= comp_limit)
                        excess -= int(counts_c[a, c] > comp_limit)
                    if d >= 0:
                        excess += int(counts_c[a, d] >= comp_limit)
                        excess -= int(counts_c[b, d] > comp_limit)
                if ind_limit > 0 and e != f:
                    if e >= 0:
                        excess += int(counts_i[b, e] >= ind_limit)
                        excess -= int(counts_i[a, e] > ind_limit)
                    if f >= 0:
                        excess += int(counts_i[a, f] >= ind_limit)
                        excess -= int(counts_i[b, f] > ind_limit)
            delta += penalty * excess
        if fairness > 0.0:
            delta += fairness * _fair_delta(rep, unit_start, unit_members, tab_units, tab_count,
                                            R, u, v, a, b)  # fmt: skip
        if delta > _EPS and (delta > _REJECT * temp or _uniform(rng) >= np.exp(-delta / temp)):
            continue
        # Take the step (what _apply does, flat for the same reason as above).
        if fairness > 0.0:
            _fair_shift(rep, unit_start, unit_members, R, u, a, b)
            if v >= 0:
                _fair_shift(rep, unit_start, unit_members, R, v, b, a)
        if v >= 0:
            pu, pv = unit_pos[u], unit_pos[v]
            tab_units[a, pu], unit_pos[v] = v, pu
            tab_units[b, pv], unit_pos[u] = u, pv
            table_of[v] = a
            load[a] += unit_size[v] - unit_size[u]
            load[b] += unit_size[u] - unit_size[v]
        else:
            last = tab_units[a, tab_count[a] - 1]
            tab_units[a, unit_pos[u]] = last
            unit_pos[last] = unit_pos[u]
            tab_count[a] -= 1
            unit_pos[u] = tab_count[b]
            tab_units[b, tab_count[b]] = u
            tab_count[b] += 1
            load[a] -= unit_size[u]
            load[b] += unit_size[u]
        table_of[u] = b
        for p in range(unit_start[u], unit_start[u + 1]):
            i = unit_members[p]
            member_table[i] = b
            if comp[i] >= 0:
                counts_c[a, comp[i]] -= 1
                counts_c[b, comp[i]] += 1
            if ind[i] >= 0:
                counts_i[a, ind[i]] -= 1
                counts_i[b, ind[i]] += 1
        if v >= 0:
            for p in range(unit_start[v], unit_start[v + 1]):
                i = unit_members[p]
                member_table[i] = a
                if comp[i] >= 0:
                    counts_c[b, comp[i]] -= 1
                    counts_c[a, comp[i]] += 1
                if ind[i] >= 0:
                    counts_i[b, ind[i]] -= 1
                    counts_i[a, ind[i]] += 1
        if v >= 0:
            for x in range(U):
                change = W[u, x] - W[v, x]
                G[a, x] -= change
                G[b, x] += change
        else:
            for x in range(U):
                G[a, x] -= W[u, x]
                G[b, x] += W[u, x]
        cost += delta
        if cost < best - _EPS:
            best = cost
            best_out[:] = table_of
    return best


@njit(cache=True)
def _move_costs(D, S, comp_of, ind_of, out):
    """``out[t, x]``: cost change of moving unit x alone to table t (labels included for
    single members; groups get the pair part only)."""
    comp_limit, ind_limit, penalty = D[7], D[9], D[12]
    table_of, G, counts_c, counts_i = S[0], S[5], S[6], S[7]
    T, U = out.shape
    for x in range(U):
        a = table_of[x]
        own = G[a, x]
        c, e = comp_of[x], ind_of[x]
        lc = int(c >= 0 and comp_limit > 0)
        li = int(e >= 0 and ind_limit > 0)
        leave = 0
        if lc:
            leave -= int(counts_c[a, c] > comp_limit)
        if li:
            leave -= int(counts_i[a, e] > ind_limit)
        for t in range(T):
            join = 0
            if lc:
                join += int(counts_c[t, c] >= comp_limit)
            if li:
                join += int(counts_i[t, e] >= ind_limit)
            out[t, x] = G[t, x] - own + penalty * (leave + join)


@njit(cache=True)
def _same_label_fix(counts, limit, c, a, b):
    """What :func:`_move_costs` counts for two units of label c swapping tables a and b
    (in excess units); the true change is 0."""
    return (
        int(counts[b, c] >= limit)
        - int(counts[a, c] > limit)
        + int(counts[a, c] >= limit)
        - int(counts[b, c] > limit)
    )


@njit(cache=True)
def _free_units(D, S, free):
    """``free[t, 0]``: how many movable units sit at table t; ``free[t, 1:]`` lists them."""
    unit_fixed, tab_units, tab_count = D[4], S[1], S[2]
    for t in range(tab_count.shape[0]):
        k = 0
        for q in range(tab_count[t]):
            w = tab_units[t, q]
            if unit_fixed[w] < 0:
                k += 1
                free[t, k] = w
        free[t, 0] = k


@njit(cache=True)
def _scan(D, S, comp_of, ind_of, M, free, tabu_until, it, cost, best, rng):
    """The best admissible move or swap: ``(u, v, b, delta)``, ``v = -1`` for a move and
    ``u = -1`` if none. Steps in ``tabu_until`` (unit, table) later than ``it`` are
    admissible only if they reach a cost below ``best`` (aspiration); ties are broken at
    random. Every unordered swap is looked at once, moves both ways.

    ``M`` and ``free`` are work arrays (``(T, U)`` floats, ``(T, U + 1)`` ints).
    """
    _move_costs(D, S, comp_of, ind_of, M)
    _free_units(D, S, free)
    return _scan_general(D, S, comp_of, ind_of, M, free, tabu_until, it, cost, best, rng)


@njit(cache=True)
def _scan_general(D, S, comp_of, ind_of, M, free, tabu_until, it, cost, best, rng):
    """:func:`_scan` with groups or fairness (their parts call helpers: slower)."""
    W, unit_start, unit_members, unit_size, capacity = D[0], D[1], D[2], D[3], D[5]
    comp, comp_limit, ind, ind_limit, rep, fairness, penalty = D[6:]
    tab_units, tab_count, load, G, counts_c, counts_i, R = S[1], S[2], S[4], S[5], S[6], S[7], S[8]
    T = M.shape[0]
    labels = comp_limit > 0 or ind_limit > 0
    singles = unit_size.max() == 1
    bu, bv, bb, bd, ties = -1, -1, -1, np.inf, 0
    for a in range(T):
        for qu in range(1, free[a, 0] + 1):
            u = free[a, qu]
            group_u = comp_of[u] == -2
            cu, eu = comp_of[u], ind_of[u]
            for b in range(T):
                if b == a:
                    continue
                du = M[b, u]
                if load[b] + unit_size[u] <= capacity[b]:
                    delta = du
                    if labels and group_u:
                        delta += penalty * (
                            _label_delta(counts_c, comp_limit, comp, unit_start, unit_size,
                                         unit_members, u, -1, a, b)
                            + _label_delta(counts_i, ind_limit, ind, unit_start, unit_size,
                                           unit_members, u, -1, a, b)
                        )  # fmt: skip
                    if fairness > 0.0:
                        delta += fairness * _fair_delta(
                            rep, unit_start, unit_members, tab_units, tab_count, R, u, -1, a, b
                        )
                    if delta < bd + _EPS and (tabu_until[u, b] <= it or cost + delta < best - _EPS):
                        if delta < bd - _EPS:
                            bu, bv, bb, bd, ties = u, -1, b, delta, 1
                        else:
                            ties += 1
                            if _below(rng, ties) == 0:
                                bu, bv, bb = u, -1, b
                if b < a:
                    continue
                for qv in range(1, free[b, 0] + 1):
                    v = free[b, qv]
                    if (
                        not singles
                        and unit_size[u] != unit_size[v]
                        and (
                            load[a] - unit_size[u] + unit_size[v] > capacity[a]
                            or load[b] - unit_size[v] + unit_size[u] > capacity[b]
                        )
                    ):
                        continue
                    delta = du + M[a, v] - 2.0 * W[u, v]
                    if labels and (group_u or comp_of[v] == -2):
                        delta = G[b, u] - G[a, u] + G[a, v] - G[b, v] - 2.0 * W[u, v]
                        delta += penalty * (
                            _label_delta(counts_c, comp_limit, comp, unit_start, unit_size,
                                         unit_members, u, v, a, b)
                            + _label_delta(counts_i, ind_limit, ind, unit_start, unit_size,
                                           unit_members, u, v, a, b)
                        )  # fmt: skip
                    elif labels:
                        if comp_limit > 0 and cu >= 0 and cu == comp_of[v]:
                            delta -= penalty * _same_label_fix(counts_c, comp_limit, cu, a, b)
                        if ind_limit > 0 and eu >= 0 and eu == ind_of[v]:
                            delta -= penalty * _same_label_fix(counts_i, ind_limit, eu, a, b)
                    if fairness > 0.0:
                        delta += fairness * _fair_delta(
                            rep, unit_start, unit_members, tab_units, tab_count, R, u, v, a, b
                        )
                    if delta >= bd + _EPS:
                        continue
                    if (tabu_until[u, b] > it or tabu_until[v, a] > it) and not (
                        cost + delta < best - _EPS
                    ):
                        continue
                    if delta < bd - _EPS:
                        bu, bv, bb, bd, ties = u, v, b, delta, 1
                    else:
                        ties += 1
                        if _below(rng, ties) == 0:
                            bu, bv, bb = u, v, b
    return bu, bv, bb, bd


@njit(cache=True)
def _refresh_unit(x, table_of, G, counts_c, counts_i, cl, il, comp_limit, ind_limit, own, leave):
    """Own pair cost and label 'leave' term of unit x at its table (for ``M``)."""
    a = table_of[x]
    own[x] = G[a, x]
    gone = 0
    if cl[x] >= 0:
        gone -= int(counts_c[a, cl[x]] > comp_limit)
    if il[x] >= 0:
        gone -= int(counts_i[a, il[x]] > ind_limit)
    leave[x] = gone


@njit(cache=True)
def _tabu_singles(D, S, rng, iterations, tenure, stall, strength, best_out, descent):
    """:func:`tabu` when every unit is one member and fairness is off (the common case).

    Steps are grouped by the pair of tables they involve. A step changes two tables, and the
    value of a step between two *other* tables does not change (it depends on the rows of
    those tables in ``G`` and the label counts there), so each pair keeps its best admissible
    step and its best tabu step, and only the pairs touching the two changed tables are
    scanned again; a pair is also scanned again when one of its tabu steps that beat the
    admissible best expires. At 9 tables that is 15 of 36 pairs a step; at 100 tables, 199
    of 4,950. ``M[t, x]`` (cost change of moving x to t, labels included) is kept up to date
    the same way: two rows and the columns of the units at the two tables.

    With ``descent`` (and ``tenure`` 0) this is a steepest descent: it stops when no step
    improves.
    """
    W, unit_start, unit_members, unit_fixed, capacity = D[0], D[1], D[2], D[4], D[5]
    comp, comp_limit, ind, ind_limit, penalty = D[6], D[7], D[8], D[9], D[12]
    table_of, tab_units, tab_count, load, G = S[0], S[1], S[2], S[4], S[5]
    counts_c, counts_i = S[6], S[7]
    U, T = unit_fixed.shape[0], capacity.shape[0]
    big = np.iinfo(np.int64).max
    cl = np.full(U, -1, np.int64)
    il = np.full(U, -1, np.int64)
    for x in range(U):
        if comp_limit > 0:
            cl[x] = comp[unit_members[unit_start[x]]]
        if ind_limit > 0:
            il[x] = ind[unit_members[unit_start[x]]]
    # Movable units of each table, and where each sits in its list.
    mov = np.empty((T, U), np.int64)
    mov_count = np.zeros(T, np.int64)
    mov_pos = np.zeros(U, np.int64)
    own = np.zeros(U)
    leave = np.zeros(U, np.int64)
    M = np.empty((T, U))
    adm = np.empty((T, T))
    tab = np.empty((T, T))
    adm_step = np.full((T, T, 3), -1, np.int64)
    tab_step = np.full((T, T, 3), -1, np.int64)
    expiry = np.zeros((T, T), np.int64)
    dirty = np.ones((T, T), np.bool_)
    tabu_until = np.zeros((U, T), np.int64)
    movable = np.nonzero(unit_fixed < 0)[0]

    cost = _cost(D, S)
    best = cost
    best_out[:] = table_of
    last = 0
    rebuild = True
    for it in range(iterations):
        if rebuild:
            mov_count[:] = 0
            for x in range(U):
                _refresh_unit(x, table_of, G, counts_c, counts_i, cl, il, comp_limit,
                              ind_limit, own, leave)  # fmt: skip
                if unit_fixed[x] < 0:
                    t = table_of[x]
                    mov[t, mov_count[t]] = x
                    mov_pos[x] = mov_count[t]
                    mov_count[t] += 1
            for t in range(T):
                for x in range(U):
                    join = 0
                    if cl[x] >= 0:
                        join += int(counts_c[t, cl[x]] >= comp_limit)
                    if il[x] >= 0:
                        join += int(counts_i[t, il[x]] >= ind_limit)
                    M[t, x] = G[t, x] - own[x] + penalty * (leave[x] + join)
            dirty[:, :] = True
            rebuild = False

        # The best admissible step over all pairs of tables.
        bu, bv, bb, bd, ties = -1, -1, -1, np.inf, 0
        for c in range(T):
            for d in range(c + 1, T):
                if dirty[c, d] or expiry[c, d] <= it:
                    # Scan the pair: moves c -> d (with swaps), then moves d -> c.
                    a_val, a_u, a_v, a_b, a_ties = np.inf, -1, -1, -1, 0
                    t_val, t_u, t_v, t_b = np.inf, -1, -1, -1
                    soon = big
                    for side in range(2):
                        src, dst = (c, d) if side == 0 else (d, c)
                        room = load[dst] < capacity[dst]
                        partners = mov_count[d] if side == 0 else 0
                        for qu in range(mov_count[src]):
                            u = mov[src, qu]
                            du = M[dst, u]
                            cu, eu = cl[u], il[u]
                            tu = tabu_until[u, dst]
                            for qv in range(-1 if room else 0, partners):
                                if qv < 0:
                                    v = -1
                                    val = du
                                    until = tu
                                else:
                                    v = mov[d, qv]
                                    val = du + M[c, v] - 2.0 * W[u, v]
                                    # M counts a label leaving and joining; for two units of
                                    # one label trading tables the counts do not change.
                                    if cu >= 0 and cu == cl[v]:
                                        ca, cb = counts_c[c, cu], counts_c[d, cu]
                                        val -= penalty * (
                                            int(cb >= comp_limit)
                                            - int(ca > comp_limit)
                                            + int(ca >= comp_limit)
                                            - int(cb > comp_limit)
                                        )
                                    if eu >= 0 and eu == il[v]:
                                        ea, eb = counts_i[c, eu], counts_i[d, eu]
                                        val -= penalty * (
                                            int(eb >= ind_limit)
                                            - int(ea > ind_limit)
                                            + int(ea >= ind_limit)
                                            - int(eb > ind_limit)
                                        )
                                    if val >= a_val + _EPS:
                                        continue
                                    until = max(tu, tabu_until[v, c])
                                if until <= it:
                                    if val < a_val - _EPS:
                                        a_val, a_u, a_v, a_b, a_ties = val, u, v, dst, 1
                                    elif val < a_val + _EPS:
                                        a_ties += 1
                                        if _below(rng, a_ties) == 0:
                                            a_u, a_v, a_b = u, v, dst
                                elif val < a_val - _EPS:
                                    soon = min(soon, until)
                                    if val < t_val:
                                        t_val, t_u, t_v, t_b = val, u, v, dst
                    adm[c, d], tab[c, d], expiry[c, d] = a_val, t_val, soon
                    adm_step[c, d, 0], adm_step[c, d, 1], adm_step[c, d, 2] = a_u, a_v, a_b
                    tab_step[c, d, 0], tab_step[c, d, 1], tab_step[c, d, 2] = t_u, t_v, t_b
                    dirty[c, d] = False
                val, aspired = adm[c, d], False
                if tab[c, d] < val - _EPS and cost + tab[c, d] < best - _EPS:
                    val, aspired = tab[c, d], True
                if val < bd + _EPS and val < np.inf:
                    if val < bd - _EPS:
                        ties = 1
                    else:
                        ties += 1
                        if _below(rng, ties) != 0:
                            continue
                    bd = val
                    if aspired:
                        bu, bv, bb = tab_step[c, d, 0], tab_step[c, d, 1], tab_step[c, d, 2]
                    else:
                        bu, bv, bb = adm_step[c, d, 0], adm_step[c, d, 1], adm_step[c, d, 2]

        if descent and (bu < 0 or bd >= -_EPS):
            break
        if bu >= 0:
            a = table_of[bu]
            _apply(D, S, bu, bv, a, bb)
            cost += bd
            tabu_until[bu, a] = it + tenure + _below(rng, tenure + 1)
            if bv >= 0:
                tabu_until[bv, bb] = it + tenure + _below(rng, tenure + 1)
                pu, pv = mov_pos[bu], mov_pos[bv]
                mov[a, pu], mov[bb, pv] = bv, bu
                mov_pos[bv], mov_pos[bu] = pu, pv
            else:
                last_unit = mov[a, mov_count[a] - 1]
                mov[a, mov_pos[bu]] = last_unit
                mov_pos[last_unit] = mov_pos[bu]
                mov_count[a] -= 1
                mov[bb, mov_count[bb]] = bu
                mov_pos[bu] = mov_count[bb]
                mov_count[bb] += 1
            # M: units at the two tables (own cost and labels), then the two rows, then the
            # columns of the units at the two tables.
            for t in (a, bb):
                for q in range(tab_count[t]):
                    x = tab_units[t, q]
                    own[x] = G[t, x]
                    gone = 0
                    if cl[x] >= 0:
                        gone -= int(counts_c[t, cl[x]] > comp_limit)
                    if il[x] >= 0:
                        gone -= int(counts_i[t, il[x]] > ind_limit)
                    leave[x] = gone
            for t in (a, bb):
                for x in range(U):
                    join = 0
                    if cl[x] >= 0:
                        join += int(counts_c[t, cl[x]] >= comp_limit)
                    if il[x] >= 0:
                        join += int(counts_i[t, il[x]] >= ind_limit)
                    M[t, x] = G[t, x] - own[x] + penalty * (leave[x] + join)
            for t0 in (a, bb):
                for q in range(tab_count[t0]):
                    x = tab_units[t0, q]
                    for t in range(T):
                        join = 0
                        if cl[x] >= 0:
                            join += int(counts_c[t, cl[x]] >= comp_limit)
                        if il[x] >= 0:
                            join += int(counts_i[t, il[x]] >= ind_limit)
                        M[t, x] = G[t, x] - own[x] + penalty * (leave[x] + join)
            for t in range(T):
                dirty[min(a, t), max(a, t)] = True
                dirty[min(bb, t), max(bb, t)] = True

        if cost < best - _EPS:
            best = cost
            best_out[:] = table_of
            last = it
        elif it - last >= stall or bu < 0:
            _goto(D, S, best_out)
            for _ in range(strength):
                u = movable[_below(rng, movable.size)]
                a = table_of[u]
                b = _below(rng, T - 1)
                if b >= a:
                    b += 1
                if tab_count[b] == 0:
                    continue
                v = tab_units[b, _below(rng, tab_count[b])]
                if unit_fixed[v] < 0 and _fits(D, S, u, v, a, b):
                    _apply(D, S, u, v, a, b)
            cost = _cost(D, S)
            last = it
            rebuild = True


@njit(cache=True)
def _steepest(D, S, rng):
    """Best-improvement descent over all moves and swaps, to a local optimum."""
    U, T = D[0].shape[0], D[5].shape[0]
    if D[3].max() == 1 and D[11] <= 0.0:
        plan = np.empty(U, np.int64)
        _tabu_singles(D, S, rng, np.iinfo(np.int64).max, 0, np.iinfo(np.int64).max, 0, plan,
                      True)  # fmt: skip
        return
    comp_of, ind_of = _labels_of(D)
    M = np.empty((T, U))
    free = np.empty((T, U + 1), np.int64)
    never = np.zeros((U, T), np.int64)
    while True:
        u, v, b, delta = _scan(D, S, comp_of, ind_of, M, free, never, 0, 0.0, -np.inf, rng)
        if u < 0 or delta >= -_EPS:
            return
        _apply(D, S, u, v, S[0][u], b)


@njit(cache=True)
def tabu(D, start, seed, iterations, tenure, stall, strength, best_out):
    """Iterated tabu search from ``start`` (as in :func:`search`) for ``iterations`` steps.

    Each step takes the best admissible move or swap (:func:`_scan`), improving or not; a
    unit may not return to the table it left for ``tenure`` to ``2 * tenure`` steps. After
    ``stall`` steps without a new best, the walk restarts from the best plan shaken by
    ``strength`` random swaps. Returns the cost of ``best_out`` (``inf``: no room).
    """
    seated, S = _seated(D, start)
    if not seated:
        return np.inf
    unit_fixed, capacity = D[4], D[5]
    table_of, tab_units, tab_count = S[0], S[1], S[2]
    U, T = unit_fixed.shape[0], capacity.shape[0]
    best_out[:] = table_of
    movable = np.nonzero(unit_fixed < 0)[0]
    if movable.size == 0 or T < 2:
        return _cost(D, S)
    rng = _rng(seed)
    if D[3].max() == 1 and D[11] <= 0.0:
        _tabu_singles(D, S, rng, iterations, tenure, stall, strength, best_out, False)
        _goto(D, S, best_out)
        return _cost(D, S)
    comp_of, ind_of = _labels_of(D)
    M = np.empty((T, U))
    free = np.empty((T, U + 1), np.int64)
    tabu_until = np.zeros((U, T), np.int64)
    cost = _cost(D, S)
    best = cost
    last = 0
    for it in range(iterations):
        u, v, b, delta = _scan(D, S, comp_of, ind_of, M, free, tabu_until, it, cost, best, rng)
        if u >= 0:
            a = table_of[u]
            _apply(D, S, u, v, a, b)
            cost += delta
            tabu_until[u, a] = it + tenure + _below(rng, tenure + 1)
            if v >= 0:
                tabu_until[v, b] = it + tenure + _below(rng, tenure + 1)
        if cost < best - _EPS:
            best = cost
            best_out[:] = table_of
            last = it
        elif it - last >= stall or u < 0:
            _goto(D, S, best_out)
            for _ in range(strength):
                u = movable[_below(rng, movable.size)]
                a = table_of[u]
                b = _below(rng, T - 1)
                if b >= a:
                    b += 1
                if tab_count[b] == 0:
                    continue
                v = tab_units[b, _below(rng, tab_count[b])]
                if unit_fixed[v] < 0 and _fits(D, S, u, v, a, b):
                    _apply(D, S, u, v, a, b)
            cost = _cost(D, S)
            last = it
    _goto(D, S, best_out)
    return _cost(D, S)


@njit(cache=True)
def search(D, start, seed, iterations, t_start, t_end, best_out):
    """Anneal from ``start`` for ``iterations`` steps, then descend to a local optimum.

    Parameters
    ----------
    D
        The data tuple (see the module docstring).
    start
        ``(U,)`` table of each unit; ``-1`` entries are seated by best insertion: fixed units
        (hosts) first, then larger units before smaller ones.
    seed
        Seed of the random generator.
    iterations
        Annealing steps (0: greedy start and descent only).
    t_start, t_end
        Geometric temperature schedule.
    best_out
        ``(U,)`` receives the best plan found.

    Returns
    -------
    float
        The cost of ``best_out``, penalties included; ``inf`` if some unit found no room.
    """
    seated, S = _seated(D, start)
    if not seated:
        return np.inf
    best_out[:] = S[0]
    movable = np.nonzero(D[4] < 0)[0]
    if movable.size > 0 and D[5].shape[0] > 1:
        rng = _rng(seed)
        if iterations > 0:
            _anneal(D, S, movable, rng, iterations, t_start, t_end, _cost(D, S), best_out)
            _goto(D, S, best_out)
        _steepest(D, S, rng)
        best_out[:] = S[0]
    # Recounted, not accumulated: millions of float deltas would drift on fractional weights.
    return _cost(D, S)
