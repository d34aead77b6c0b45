"""The full move and swap neighbourhood: the best admissible step, every one evaluated.

Used by the tabu search and the descent when keep-together groups or fairness are in play;
with single members only, :mod:`.tabu_search` keeps per-pair bests instead of rescanning.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from seating.solvers.local._kernel.state import (
    _EPS,
    _fair_delta,
    _label_delta,
    _rules_after,
    _rules_now,
)
from seating.solvers.rng import below


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
    comp, comp_limit, ind, ind_limit, rep, fairness, penalty = D[6:13]
    X = D[13]
    tab_units, tab_count, load, G, counts_c, counts_i, R = S[1], S[2], S[4], S[5], S[6], S[7], S[8]
    T = M.shape[0]
    table_rules = X[0]
    # Broken table-rule units per table now: a step's change is what it leaves at its tables.
    broken = np.zeros(T, np.int64)
    if table_rules:
        _rules_now(X, unit_start, unit_members, tab_units, tab_count, broken)
    labels = comp_limit > 0 or ind_limit > 0
    singles = unit_size.max() == 1
    # "No partner" for _fair_delta as a typed value, not the literal -1, which numba would
    # compile _fair_delta for separately (see the compile-time notes in the package docstring).
    no_v = np.int64(-1)
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
                            rep, unit_start, unit_members, tab_units, tab_count, R, u, no_v, a, b
                        )
                    if table_rules:
                        after = _rules_after(
                            X, unit_start, unit_members, tab_units, tab_count, u, no_v, a, b
                        )
                        delta += penalty * (after - broken[a] - broken[b])
                    if delta < bd + _EPS and (tabu_until[u, b] <= it or cost + delta < best - _EPS):
                        if delta < bd - _EPS:
                            bu, bv, bb, bd, ties = u, -1, b, delta, 1
                        else:
                            ties += 1
                            if below(rng, ties) == 0:
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
                    if table_rules:
                        after = _rules_after(
                            X, unit_start, unit_members, tab_units, tab_count, u, v, a, b
                        )
                        delta += penalty * (after - broken[a] - broken[b])
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
                        if below(rng, ties) == 0:
                            bu, bv, bb = u, v, b
    return bu, bv, bb, bd
