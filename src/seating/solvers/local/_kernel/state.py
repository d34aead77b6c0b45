"""The search state and its incremental pieces: label and fairness deltas, taking a step,
the full cost, the greedy start.

``D`` and ``S`` are the data and state tuples described in :mod:`seating.solvers.local._kernel`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_EPS = 1e-9
"""Cost differences within this are ties (accumulated float deltas carry rounding error)."""


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
def _table_broken(X, unit_start, unit_members, tab_units, tab_count, t, gone, came):
    """Broken units of the table rules at table t with unit ``gone`` away and unit ``came``
    seated there (either may be -1); ``X`` is the table-rule tuple of ``D`` (see the package).

    The language rule counts the people at t who do not speak its best-shared language ("table")
    or the missing language mates of each member (k); the newcomer rule counts 1 for newcomers
    without an anchor and each newcomer above the cap. Recounted from the table's members (a
    dozen at most): the rules are per table, not per pair, so ``G`` cannot hold them.
    """
    F, share, mode, L, newcomer_on, cap, buf = X[1], X[2], X[3], X[4], X[5], X[6], X[7]
    m = 0
    for q in range(tab_count[t]):
        w = tab_units[t, q]
        if w == gone:
            continue
        for p in range(unit_start[w], unit_start[w + 1]):
            buf[m] = unit_members[p]
            m += 1
    if came >= 0:
        for p in range(unit_start[came], unit_start[came + 1]):
            buf[m] = unit_members[p]
            m += 1
    broken = 0
    if m == 0:
        return broken
    if mode < 0 and L > 0:
        most = 0
        for lang in range(L):
            c = 0
            for q in range(m):
                c += F[buf[q], lang]
            most = max(most, c)
        broken += m - most
    elif mode > 0:
        for q in range(m):
            i = buf[q]
            c = 0
            for r in range(m):
                c += share[i, buf[r]]
            if c < mode:
                broken += mode - c
    if newcomer_on:
        fresh = 0
        anchors = 0
        for q in range(m):
            fresh += F[buf[q], L]
            anchors += F[buf[q], L + 1]
        if fresh > 0 and anchors == 0:
            broken += 1
        if cap > 0 and fresh > cap:
            broken += fresh - cap
    return broken


@njit(cache=True)
def _rules_after(X, unit_start, unit_members, tab_units, tab_count, u, v, a, b):
    """Broken table-rule units at tables a and b after u moves a -> b (and v >= 0, b -> a)."""
    return _table_broken(X, unit_start, unit_members, tab_units, tab_count, a, u, v) + (
        _table_broken(X, unit_start, unit_members, tab_units, tab_count, b, v, u)
    )


@njit(cache=True)
def _rules_now(X, unit_start, unit_members, tab_units, tab_count, out):
    """``out[t]``: broken table-rule units at each table now; returns their sum."""
    none = np.int64(-1)
    total = 0
    for t in range(out.shape[0]):
        out[t] = _table_broken(X, unit_start, unit_members, tab_units, tab_count, t, none, none)
        total += out[t]
    return total


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
    """Seat unit u at table t (sign = 1) or take it away from t (sign = -1).

    Callers pass ``np.int64(1)``, not ``1``: a bare constant argument has a type of its own
    (``Literal[int](1)``), and numba compiles a function once per argument types (see the
    compile-time notes in :mod:`seating.solvers.local._kernel`).
    """
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


@njit(cache=True)
def _copy_into(out, values):
    """``out[:] = values`` for two ``(U,)`` arrays, written as a loop: the slice assignment
    checks shapes, and compiling its error message (``str`` of the shapes) took 4 s."""
    for x in range(values.shape[0]):
        out[x] = values[x]


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
    X = D[13]
    if X[0]:
        broken = np.zeros(counts_c.shape[0], np.int64)
        total += penalty * _rules_now(X, D[1], D[2], S[1], S[2], broken)
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
        X = D[13]
        if X[0]:
            none = np.int64(-1)
            tab_units, tab_count = S[1], S[2]
            cost += penalty * (
                _table_broken(X, unit_start, unit_members, tab_units, tab_count, t, none, u)
                - _table_broken(X, unit_start, unit_members, tab_units, tab_count, t, none, none)
            )
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
            _seat(D, S, u, start[u], np.int64(1))
    for u in range(U):
        if table_of[u] < 0 and unit_fixed[u] >= 0:
            _seat(D, S, u, unit_fixed[u], np.int64(1))
    for size in range(unit_size.max(), 0, -1):
        for u in range(U):
            if table_of[u] < 0 and unit_size[u] == size:
                t = _greedy_table(D, S, u, pack)
                if t < 0:
                    return False
                _seat(D, S, u, t, np.int64(1))
    return True


@njit(cache=True)
def _seated(D, start):
    """Whether every unit found a seat (:func:`_start`), and the state.

    Best insertion fills the cheapest tables; when that leaves a group without room, the
    units not seated by ``start`` are packed by best fit instead (first-fit decreasing packs
    groups of 2, 2 and 3 into tables of 4 and 3; cost-driven insertion may not).
    """
    S = _new_state(D)
    if _start(D, S, start, np.bool_(False)):
        return True, S
    S = _new_state(D)
    return _start(D, S, start, np.bool_(True)), S


@njit(cache=True)
def _goto(D, S, plan):
    """Put the state on ``plan`` (unseat what differs, then seat it where the plan says)."""
    table_of = S[0]
    for u in range(table_of.shape[0]):
        if table_of[u] != plan[u]:
            _seat(D, S, u, table_of[u], np.int64(-1))
    for u in range(table_of.shape[0]):
        if table_of[u] < 0:
            _seat(D, S, u, plan[u], np.int64(1))


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
