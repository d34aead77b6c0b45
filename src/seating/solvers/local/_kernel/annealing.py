"""Simulated annealing followed by steepest descent: :func:`search_general` and
:func:`search_singles` (see :func:`seating.solvers.local._kernel.search`)."""

from __future__ import annotations

import numpy as np
from numba import njit

from seating.solvers.local._kernel.neighbourhood import _scan
from seating.solvers.local._kernel.state import (
    _EPS,
    _apply,
    _copy_into,
    _cost,
    _fair_delta,
    _fair_shift,
    _goto,
    _label_delta,
    _labels_of,
    _rules_after,
    _seated,
    _table_broken,
)
from seating.solvers.local._kernel.tabu_search import _tabu_singles
from seating.solvers.rng import below, seeded, uniform

_REJECT = 25.0
"""Uphill steps costing more than this many temperatures are rejected without ``exp``
(acceptance below 1.4e-11)."""


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
    comp, comp_limit, ind, ind_limit, rep, fairness, penalty = D[6:13]
    X = D[13]
    halt = D[14]
    table_rules = X[0]
    none = np.int64(-1)
    table_of, tab_units, tab_count, unit_pos, load, G, counts_c, counts_i, R, member_table = S
    M, T, U = movable.shape[0], capacity.shape[0], W.shape[0]
    comp_of, ind_of = _labels_of(D)
    labels = comp_limit > 0 or ind_limit > 0
    best = cost
    ratio = (t_end / t_start) ** (1.0 / max(iterations, 1)) if t_start > 0 else 1.0
    temp = t_start
    for step in range(iterations):
        # The deadline, set from another thread (see the package docstring): a branch every
        # 1,024 steps, never taken when the search ends on its own.
        if (step & 1023) == 0 and halt[0] != 0:
            break
        temp *= ratio
        u = movable[below(rng, M)]
        a = table_of[u]
        b = below(rng, T - 1)
        if b >= a:
            b += 1
        v = -1
        if load[b] + unit_size[u] > capacity[b] or (tab_count[b] > 0 and uniform(rng) < 0.5):
            if tab_count[b] == 0:
                continue
            v = tab_units[b, below(rng, tab_count[b])]
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
        if table_rules:
            delta += penalty * (
                _rules_after(X, unit_start, unit_members, tab_units, tab_count, u, v, a, b)
                - _table_broken(X, unit_start, unit_members, tab_units, tab_count, a, none, none)
                - _table_broken(X, unit_start, unit_members, tab_units, tab_count, b, none, none)
            )
        if delta > _EPS and (delta > _REJECT * temp or uniform(rng) >= np.exp(-delta / temp)):
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
            _copy_into(best_out, table_of)
    return best


@njit(cache=True)
def _descend_singles(D, S, rng):
    """Best-improvement descent to a local optimum, when every unit is one member and
    fairness is off: :func:`_tabu_singles` with tenure 0, stopping when no step improves."""
    plan = np.empty(D[0].shape[0], np.int64)
    # Typed constants, not literals: one compilation of _tabu_singles serves both this
    # descent and the tabu search (see the compile-time notes in the package docstring).
    big, zero = np.iinfo(np.int64).max, np.int64(0)
    _tabu_singles(D, S, rng, big, zero, big, zero, plan, np.bool_(True))


@njit(cache=True)
def _descend_general(D, S, rng):
    """Best-improvement descent over all moves and swaps, to a local optimum (any dinner)."""
    U, T = D[0].shape[0], D[5].shape[0]
    comp_of, ind_of = _labels_of(D)
    M = np.empty((T, U))
    free = np.empty((T, U + 1), np.int64)
    never = np.zeros((U, T), np.int64)
    halt = D[14]
    step = 0
    while True:
        # The deadline (see the package docstring): the driver repairs a cut descent's plan
        # if it breaks a rule.
        if (step & 15) == 0 and halt[0] != 0:
            return
        step += 1
        u, v, b, delta = _scan(D, S, comp_of, ind_of, M, free, never, np.int64(0), 0.0,
                               -np.inf, rng)  # fmt: skip
        if u < 0 or delta >= -_EPS:
            return
        _apply(D, S, u, v, S[0][u], b)


@njit(cache=True)
def _seat_and_anneal(D, start, seed, iterations, t_start, t_end, best_out):
    """What :func:`search_general` and :func:`search_singles` share: seat ``start``, anneal,
    go to the best plan. Returns ``(seated, descend, S, rng)``; ``descend`` False when
    nothing can move."""
    seated, S = _seated(D, start)
    rng = seeded(seed)
    if not seated:
        return False, False, S, rng
    _copy_into(best_out, S[0])
    movable = np.nonzero(D[4] < 0)[0]
    if movable.size == 0 or D[5].shape[0] < 2:
        return True, False, S, rng
    if iterations > 0:
        _anneal(D, S, movable, rng, iterations, t_start, t_end, _cost(D, S), best_out)
        _goto(D, S, best_out)
    return True, True, S, rng


@njit(cache=True, nogil=True)
def search_general(D, start, seed, iterations, t_start, t_end, best_out):
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
    seated, descend, S, rng = _seat_and_anneal(D, start, seed, iterations, t_start, t_end,
                                               best_out)  # fmt: skip
    if not seated:
        return np.inf
    if descend:
        _descend_general(D, S, rng)
        _copy_into(best_out, S[0])
    # Recounted, not accumulated: millions of float deltas would drift on fractional weights.
    return _cost(D, S)


@njit(cache=True, nogil=True)
def search_singles(D, start, seed, iterations, t_start, t_end, best_out):
    """:func:`search_general` when every unit is one member and fairness is off, descending
    by :func:`_descend_singles` (a separate entry point: see the compile-time notes)."""
    seated, descend, S, rng = _seat_and_anneal(D, start, seed, iterations, t_start, t_end,
                                               best_out)  # fmt: skip
    if not seated:
        return np.inf
    if descend:
        _descend_singles(D, S, rng)
        _copy_into(best_out, S[0])
    return _cost(D, S)
