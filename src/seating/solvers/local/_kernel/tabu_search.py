"""Iterated tabu search: the best admissible move or swap at every step, restarts from the
best plan shaken by random swaps when the walk stalls.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from seating.solvers.local._kernel.neighbourhood import _scan
from seating.solvers.local._kernel.state import (
    _EPS,
    _apply,
    _copy_into,
    _cost,
    _fits,
    _goto,
    _labels_of,
    _seated,
)
from seating.solvers.rng import below, seeded


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
def _restart(D, S, best_out, movable, strength, rng):
    """Put the state on ``best_out``, then shake it by ``strength`` random swaps of a movable
    unit with a unit of another table (a swap that would overfill a table, or a fixed partner,
    is skipped; an empty table costs the try). Returns the cost of the shaken state.

    Runs once per stall, not per step, so it may take the tuples (see the speed notes).
    """
    unit_fixed, table_of, tab_units, tab_count = D[4], S[0], S[1], S[2]
    T = tab_count.shape[0]
    _goto(D, S, best_out)
    for _ in range(strength):
        u = movable[below(rng, movable.size)]
        a = table_of[u]
        b = below(rng, T - 1)
        if b >= a:
            b += 1
        if tab_count[b] == 0:
            continue
        v = tab_units[b, below(rng, tab_count[b])]
        if unit_fixed[v] < 0 and _fits(D, S, u, v, a, b):
            _apply(D, S, u, v, a, b)
    return _cost(D, S)


@njit(cache=True)
def _tabu_singles(D, S, rng, iterations, tenure, stall, strength, best_out, descent):
    """:func:`tabu_general` when every unit is one member and fairness is off (the common case).

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
    none = np.int64(-1)

    cost = _cost(D, S)
    best = cost
    _copy_into(best_out, table_of)
    last = 0
    rebuild = True
    # The deadline (see the package docstring), a descent's too: the driver repairs a cut
    # descent's plan if it breaks a rule.
    halt = D[14]
    for it in range(iterations):
        if (it & 15) == 0 and halt[0] != 0:
            break
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

        # The best admissible step over all pairs of tables. "None yet" is a typed -1: numba
        # types the call to _apply below first with the starting values, and a literal -1
        # there compiled _apply a second time (see the compile-time notes).
        bu, bv, bb, bd, ties = none, none, none, np.inf, 0
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
                                        if below(rng, a_ties) == 0:
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
                        if below(rng, ties) != 0:
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
            tabu_until[bu, a] = it + tenure + below(rng, tenure + 1)
            if bv >= 0:
                tabu_until[bv, bb] = it + tenure + below(rng, tenure + 1)
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
            # columns of the units at the two tables. Written out, not through _refresh_unit:
            # this runs every step, where a call taking arrays costs more than the work.
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
            _copy_into(best_out, table_of)
            last = it
        elif it - last >= stall or bu < 0:
            cost = _restart(D, S, best_out, movable, strength, rng)
            last = it
            rebuild = True


@njit(cache=True)
def _tabu_start(D, start, seed, best_out):
    """Seat ``start`` (as in :func:`~seating.solvers.local._kernel.annealing.search_singles`) into
    ``best_out``: ``(walk, cost, S, rng)``, ``walk`` False when there is nothing to search
    (``cost`` is then the result: ``inf`` if some unit found no room)."""
    seated, S = _seated(D, start)
    rng = seeded(seed)
    if not seated:
        return False, np.inf, S, rng
    _copy_into(best_out, S[0])
    if not np.any(D[4] < 0) or D[5].shape[0] < 2:
        return False, _cost(D, S), S, rng
    return True, 0.0, S, rng


@njit(cache=True, nogil=True)
def tabu_singles(D, start, seed, iterations, tenure, stall, strength, best_out):
    """:func:`tabu_general` when every unit is one member and fairness is off, by
    :func:`_tabu_singles` (a separate entry point: see the compile-time notes)."""
    walk, cost, S, rng = _tabu_start(D, start, seed, best_out)
    if not walk:
        return cost
    _tabu_singles(D, S, rng, iterations, tenure, stall, strength, best_out, np.bool_(False))
    _goto(D, S, best_out)
    return _cost(D, S)


@njit(cache=True, nogil=True)
def tabu_general(D, start, seed, iterations, tenure, stall, strength, best_out):
    """Iterated tabu search from ``start`` for ``iterations`` steps (any dinner).

    Each step takes the best admissible move or swap (:func:`_scan`), improving or not; a
    unit may not return to the table it left for ``tenure`` to ``2 * tenure`` steps. After
    ``stall`` steps without a new best, the walk restarts from the best plan shaken by
    ``strength`` random swaps. Returns the cost of ``best_out`` (``inf``: no room).
    """
    walk, cost, S, rng = _tabu_start(D, start, seed, best_out)
    if not walk:
        return cost
    unit_fixed, capacity = D[4], D[5]
    table_of = S[0]
    U, T = unit_fixed.shape[0], capacity.shape[0]
    movable = np.nonzero(unit_fixed < 0)[0]
    comp_of, ind_of = _labels_of(D)
    M = np.empty((T, U))
    free = np.empty((T, U + 1), np.int64)
    tabu_until = np.zeros((U, T), np.int64)
    cost = _cost(D, S)
    best = cost
    last = 0
    halt = D[14]
    for it in range(iterations):
        if (it & 15) == 0 and halt[0] != 0:  # the deadline (see the package docstring)
            break
        u, v, b, delta = _scan(D, S, comp_of, ind_of, M, free, tabu_until, it, cost, best, rng)
        if u >= 0:
            a = table_of[u]
            _apply(D, S, u, v, a, b)
            cost += delta
            tabu_until[u, a] = it + tenure + below(rng, tenure + 1)
            if v >= 0:
                tabu_until[v, b] = it + tenure + below(rng, tenure + 1)
        if cost < best - _EPS:
            best = cost
            _copy_into(best_out, table_of)
            last = it
        elif it - last >= stall or u < 0:
            cost = _restart(D, S, best_out, movable, strength, rng)
            last = it
    _goto(D, S, best_out)
    return _cost(D, S)
