"""The compiled core of the local search: greedy start, simulated annealing, and descent.

The search works on *units*: a keep-together group is one unit, every other attendee a unit of
one. Capacities, hosts and keep-together are never broken by a move. The other hard rules are
soft here, each violation costing ``penalty``, so the walk can cross briefly infeasible plans;
the driver (:mod:`seating.solvers.local`) checks the final plan against the real rules.

Incremental evaluation: ``G[u, t]`` is the summed pair cost between unit ``u`` and the units at
table ``t``; moving a unit from A to B costs ``G[u, B] - G[u, A]`` in O(1) and updating ``G``
costs O(U). Company and industry limits keep per-table counters; the fairness term keeps
``R[i, t]``, how many people at table t member i met before.

Everything is compiled by numba in nopython mode and cached on disk (``cache=True``), so only
the first run on a machine pays the compile time. Arrays travel in two tuples:

- ``D`` (data, read-only): ``W, unit_start, unit_members, unit_size, unit_fixed, capacity,
  comp, comp_limit, ind, ind_limit, rep, fairness, penalty``;
- ``S`` (state): ``table_of, tab_units, tab_count, unit_pos, load, G, counts_c, counts_i, R,
  member_table``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_EPS = 1e-9


@njit(cache=True)
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


@njit(cache=True)
def _label_delta(counts, limit, codes, unit_start, unit_members, u, v, a, b):
    """Excess change of moving u from a to b and (if v >= 0) v from b to a; counts restored."""
    if limit <= 0:
        return 0
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
def _fair_delta(D, S, u, v, a, b):
    """Change of sum(load ** 2) when u moves a -> b and (if v >= 0) v moves b -> a."""
    unit_start, unit_members, rep = D[1], D[2], D[10]
    tab_units, tab_count, R = S[1], S[2], S[8]
    change = 0
    for t, gone, came in ((a, u, v), (b, v, u)):
        for q in range(tab_count[t]):
            w = tab_units[t, q]
            if w in (u, v):
                continue
            for p in range(unit_start[w], unit_start[w + 1]):
                j = unit_members[p]
                old = R[j, t]
                new = old - _rep_to_unit(rep, unit_start, unit_members, j, gone)
                new += _rep_to_unit(rep, unit_start, unit_members, j, came)
                change += new * new - old * old
    for mover, src, dst, other in ((u, a, b, v), (v, b, a, u)):
        if mover < 0:
            continue
        for p in range(unit_start[mover], unit_start[mover + 1]):
            i = unit_members[p]
            old = R[i, src]
            new = R[i, dst] - _rep_to_unit(rep, unit_start, unit_members, i, other)
            # Mates inside the unit stay mates: counted in R[i, src] but not in R[i, dst].
            new += _rep_to_unit(rep, unit_start, unit_members, i, mover)
            change += new * new - old * old
    return change


@njit(cache=True)
def _delta(D, S, u, v, a, b):
    """Cost change of moving unit u from a to b and, if v >= 0, unit v from b to a."""
    W, unit_start, unit_members = D[0], D[1], D[2]
    comp, comp_limit, ind, ind_limit = D[6], D[7], D[8], D[9]
    fairness, penalty = D[11], D[12]
    G, counts_c, counts_i = S[5], S[6], S[7]
    delta = G[u, b] - G[u, a]
    if v >= 0:
        delta += G[v, a] - G[v, b] - 2.0 * W[u, v]
    excess = _label_delta(counts_c, comp_limit, comp, unit_start, unit_members, u, v, a, b)
    excess += _label_delta(counts_i, ind_limit, ind, unit_start, unit_members, u, v, a, b)
    delta += penalty * excess
    if fairness > 0.0:
        delta += fairness * _fair_delta(D, S, u, v, a, b)
    return delta


@njit(cache=True)
def _fits(D, S, u, v, a, b):
    """Whether moving u to b (and v to a) keeps both tables within capacity."""
    unit_size, capacity, load = D[3], D[5], S[4]
    if v < 0:
        return load[b] + unit_size[u] <= capacity[b]
    return (
        load[a] - unit_size[u] + unit_size[v] <= capacity[a]
        and load[b] - unit_size[v] + unit_size[u] <= capacity[b]
    )


@njit(cache=True)
def _seat(D, S, u, t, sign):
    """Seat unit u at table t (sign = 1) or take it away from t (sign = -1)."""
    W, unit_start, unit_members, unit_size = D[0], D[1], D[2], D[3]
    comp, ind, rep, fairness = D[6], D[8], D[10], D[11]
    table_of, tab_units, tab_count, unit_pos, load = S[0], S[1], S[2], S[3], S[4]
    G, counts_c, counts_i, R, member_table = S[5], S[6], S[7], S[8], S[9]
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
    for x in range(W.shape[0]):
        G[x, t] += sign * W[x, u]
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
                    R[j, t] += sign * rep[j, i]


@njit(cache=True)
def _apply(D, S, u, v, a, b):
    _seat(D, S, u, a, -1)
    if v >= 0:
        _seat(D, S, v, b, -1)
        _seat(D, S, v, a, 1)
    _seat(D, S, u, b, 1)


@njit(cache=True)
def _cost(D, S):
    """The full cost of the current state, penalties included (O(U + T * labels + n))."""
    comp_limit, ind_limit, fairness, penalty = D[7], D[9], D[11], D[12]
    table_of, G, counts_c, counts_i, R, member_table = S[0], S[5], S[6], S[7], S[8], S[9]
    total = 0.0
    for u in range(table_of.shape[0]):
        total += 0.5 * G[u, table_of[u]]
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
            squares += R[i, member_table[i]] ** 2
        total += fairness * squares
    return total


@njit(cache=True)
def _greedy_table(D, S, u):
    """The table with room where unit u costs least (ties: the emptier table); -1 if none."""
    unit_start, unit_members, unit_size, capacity = D[1], D[2], D[3], D[5]
    comp, comp_limit, ind, ind_limit, penalty = D[6], D[7], D[8], D[9], D[12]
    load, G, counts_c, counts_i = S[4], S[5], S[6], S[7]
    best_t = -1
    best = np.inf
    for t in range(capacity.shape[0]):
        if load[t] + unit_size[u] > capacity[t]:
            continue
        cost = G[u, t] - 1e-6 * (capacity[t] - load[t])
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
def _descend(D, S, movable):
    """First-improvement descent over all moves and swaps until none improves; returns gain."""
    unit_fixed, capacity = D[4], D[5]
    table_of, tab_units, tab_count = S[0], S[1], S[2]
    gain = 0.0
    improved = True
    while improved:
        improved = False
        for u in movable:
            for b in range(capacity.shape[0]):
                a = table_of[u]
                if b == a:
                    continue
                for q in range(-1, tab_count[b]):
                    v = -1 if q < 0 else tab_units[b, q]
                    if (v >= 0 and unit_fixed[v] >= 0) or not _fits(D, S, u, v, a, b):
                        continue
                    delta = _delta(D, S, u, v, a, b)
                    if delta < -_EPS:
                        _apply(D, S, u, v, a, b)
                        gain += delta
                        improved = True
                        break
    return gain


@njit(cache=True)
def search(D, start, seed, iterations, t_start, t_end, best_out):
    """Anneal from ``start`` for ``iterations`` steps, then descend to a local optimum.

    Parameters
    ----------
    D
        The data tuple (see the module docstring).
    start
        ``(U,)`` table of each unit; ``-1`` entries are seated by best insertion, fixed units
        (hosts) first.
    seed
        Seed of numba's random generator.
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
    np.random.seed(seed)
    W, unit_size, unit_fixed, capacity = D[0], D[3], D[4], D[5]
    comp, ind, fairness = D[6], D[8], D[11]
    U, T, n = W.shape[0], capacity.shape[0], comp.shape[0]
    S = (
        np.full(U, -1, np.int64),  # table_of
        np.full((T, max(1, capacity.max())), -1, np.int64),  # tab_units
        np.zeros(T, np.int64),  # tab_count
        np.zeros(U, np.int64),  # unit_pos
        np.zeros(T, np.int64),  # load
        np.zeros((U, T)),  # G
        np.zeros((T, max(1, comp.max() + 1)), np.int64),  # counts_c
        np.zeros((T, max(1, ind.max() + 1)), np.int64),  # counts_i
        np.zeros((n if fairness > 0.0 else 1, T), np.int64),  # R
        np.full(n, -1, np.int64),  # member_table
    )
    table_of, tab_units, tab_count, load = S[0], S[1], S[2], S[4]
    for u in range(U):
        if start[u] >= 0:
            _seat(D, S, u, start[u], 1)
    for u in range(U):
        if table_of[u] < 0 and unit_fixed[u] >= 0:
            _seat(D, S, u, unit_fixed[u], 1)
    for u in range(U):
        if table_of[u] < 0:
            t = _greedy_table(D, S, u)
            if t < 0:
                return np.inf
            _seat(D, S, u, t, 1)

    cost = _cost(D, S)
    best = cost
    best_out[:] = table_of
    movable = np.nonzero(unit_fixed < 0)[0]
    if movable.size == 0 or T < 2:
        return best

    ratio = (t_end / t_start) ** (1.0 / max(iterations, 1)) if t_start > 0 else 1.0
    temp = t_start
    for _ in range(iterations):
        temp *= ratio
        u = movable[np.random.randint(movable.size)]
        a = table_of[u]
        b = np.random.randint(T - 1)
        b += b >= a
        v = -1
        if load[b] + unit_size[u] > capacity[b] or (tab_count[b] > 0 and np.random.random() < 0.5):
            if tab_count[b] == 0:
                continue
            v = tab_units[b, np.random.randint(tab_count[b])]
            if unit_fixed[v] >= 0 or not _fits(D, S, u, v, a, b):
                continue
        delta = _delta(D, S, u, v, a, b)
        if delta > _EPS and np.random.random() >= np.exp(-delta / temp):
            continue
        _apply(D, S, u, v, a, b)
        cost += delta
        if cost < best - _EPS:
            best = cost
            best_out[:] = table_of

    # Return to the best plan, then descend from it to a local optimum.
    for u in range(U):
        if table_of[u] != best_out[u]:
            _seat(D, S, u, table_of[u], -1)
    for u in range(U):
        if table_of[u] < 0:
            _seat(D, S, u, best_out[u], 1)
    best += _descend(D, S, movable)
    best_out[:] = table_of
    return best
