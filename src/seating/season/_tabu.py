"""The compiled tabu search over a whole season (after Dotu & Van Hentenryck).

The season cost is a quadratic form over "pair p sits together at round r":

    sum over (p, r) together of a(p, r)  +  sum over p, r < r2 together at both of b[r, r2]

``a(p, r) = hscale[r] * Hf[p] + Apen[p] (+ pen if history cooldown forbids p at r)`` carries
history and the keep-apart / keep-together penalties; ``b`` carries the repeat weight of the
policy (faded by distance with a half-life) and the cooldown penalty between nearby rounds.
Company and industry limits are penalised per seat over the limit. Hosts are fixed seats.

Constant-time swap deltas: ``J[r, x, t]`` holds the cost of the pairs x would form with the
players at table t in round r (excluding round r itself), so swapping x (table A) with y
(table B) costs ``J[r,x,B] - J[r,x,A] + J[r,y,A] - J[r,y,B] - 2 coef(x,y,r)`` plus label terms.
Empty seats are dummy players (indices >= N) that cost nothing, so swaps also move people.

``D`` (data): cap, fixed, Hf, hscale, Apen, La, cooldown, bmat, uniform, fd, pen, comp,
comp_limit, ind, ind_limit, N, evening (of each round: the history cooldown counts evenings).
``S`` (state): grp, tab, pos, M, J, cc, ci.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from seating.solvers.rng import below

_EPS = 1e-9


@njit(cache=True)
def coef(D, S, x, y, r):
    """Cost of pair (x, y) sitting together at round r, given every other round."""
    hscale, Hf, Apen, La, cooldown = D[3], D[2], D[4], D[5], D[6]
    bmat, uniform, fd, pen = D[7], D[8], D[9], D[10]
    grp, M = S[0], S[3]
    a = hscale[r] * Hf[x, y] + Apen[x, y]
    if cooldown > 0 and La[x, y] + D[16][r] < cooldown:
        a += pen
    if uniform:
        together = 1 if grp[r, x] >= 0 and grp[r, x] == grp[r, y] else 0
        return a + fd[M[x, y] - together]
    for r2 in range(grp.shape[0]):
        if r2 != r and grp[r2, x] >= 0 and grp[r2, x] == grp[r2, y]:
            a += bmat[r, r2]
    return a


@njit(cache=True)
def _excess(count, limit):
    return count - limit if limit > 0 and count > limit else 0


@njit(cache=True)
def _label_delta(counts, limit, codes, r, x, y, A, B):
    if limit <= 0:
        return 0
    cx, cy = codes[x], codes[y]
    if cx == cy:
        return 0
    change = 0
    if cx >= 0:
        before = _excess(counts[r, A, cx], limit) + _excess(counts[r, B, cx], limit)
        after = _excess(counts[r, A, cx] - 1, limit) + _excess(counts[r, B, cx] + 1, limit)
        change += after - before
    if cy >= 0:
        before = _excess(counts[r, B, cy], limit) + _excess(counts[r, A, cy], limit)
        after = _excess(counts[r, B, cy] - 1, limit) + _excess(counts[r, A, cy] + 1, limit)
        change += after - before
    return change


@njit(cache=True)
def delta(D, S, r, x, y):
    """Cost change of swapping x and y (at different tables) in round r."""
    comp, comp_limit, ind, ind_limit, N, pen = D[11], D[12], D[13], D[14], D[15], D[10]
    grp, J, cc, ci = S[0], S[4], S[5], S[6]
    A, B = grp[r, x], grp[r, y]
    d = 0.0
    both = x < N and y < N
    c = coef(D, S, x, y, r) if both else 0.0
    if x < N:
        d += J[r, x, B] - J[r, x, A] - c
    if y < N:
        d += J[r, y, A] - J[r, y, B] - c
    labels = _label_delta(cc, comp_limit, comp, r, x, y, A, B)
    labels += _label_delta(ci, ind_limit, ind, r, x, y, A, B)
    return d + pen * labels


@njit(cache=True)
def _unseat(D, S, r, x):
    """Take x away from its table at round r, keeping M and J exact."""
    bmat, uniform, fd, N, comp, ind = D[7], D[8], D[9], D[15], D[11], D[13]
    grp, tab, M, J, cc, ci = S[0], S[1], S[3], S[4], S[5], S[6]
    A = grp[r, x]
    if comp[x] >= 0:
        cc[r, A, comp[x]] -= 1
    if ind[x] >= 0:
        ci[r, A, ind[x]] -= 1
    if x >= N:
        grp[r, x] = -1
        return
    # Round r: every attendee's view of table A loses x (coefficients exclude round r).
    for t in range(tab.shape[1]):
        for k in range(tab.shape[2]):
            z = tab[r, t, k]
            if z >= 0 and z < N and z != x:
                J[r, z, A] -= coef(D, S, z, x, r)
    grp[r, x] = -1
    R = grp.shape[0]
    for k in range(tab.shape[2]):
        a = tab[r, A, k]
        if a < 0 or a >= N or a == x:
            continue
        m = M[x, a]
        M[x, a] -= 1
        M[a, x] -= 1
        for r2 in range(R):
            if r2 != r and grp[r2, x] >= 0 and grp[r2, a] >= 0:
                if uniform:
                    # Meetings outside r2 go from m - tg to m - 1 - tg (tg: together at r2).
                    tg = 1 if grp[r2, x] == grp[r2, a] else 0
                    change = fd[m - 1 - tg] - fd[m - tg]
                else:
                    change = -bmat[r2, r]
                J[r2, x, grp[r2, a]] += change
                J[r2, a, grp[r2, x]] += change


@njit(cache=True)
def _seat(D, S, r, x, B):
    """Seat x (unseated at round r, its tab slot already holding x) at table B."""
    bmat, uniform, fd, N, comp, ind = D[7], D[8], D[9], D[15], D[11], D[13]
    grp, tab, M, J, cc, ci = S[0], S[1], S[3], S[4], S[5], S[6]
    if comp[x] >= 0:
        cc[r, B, comp[x]] += 1
    if ind[x] >= 0:
        ci[r, B, ind[x]] += 1
    if x >= N:
        grp[r, x] = B
        return
    R = grp.shape[0]
    for k in range(tab.shape[2]):
        a = tab[r, B, k]
        if a < 0 or a >= N or a == x:
            continue
        m = M[x, a]
        M[x, a] += 1
        M[a, x] += 1
        for r2 in range(R):
            if r2 != r and grp[r2, x] >= 0 and grp[r2, a] >= 0:
                if uniform:
                    tg = 1 if grp[r2, x] == grp[r2, a] else 0
                    change = fd[m + 1 - tg] - fd[m - tg]
                else:
                    change = bmat[r2, r]
                J[r2, x, grp[r2, a]] += change
                J[r2, a, grp[r2, x]] += change
    grp[r, x] = B
    for t in range(tab.shape[1]):
        for k in range(tab.shape[2]):
            z = tab[r, t, k]
            if z >= 0 and z < N and z != x:
                J[r, z, B] += coef(D, S, z, x, r)


@njit(cache=True)
def swap(D, S, r, x, y):
    """Exchange the seats of x and y (different tables) at round r."""
    grp, tab, pos = S[0], S[1], S[2]
    A, B = grp[r, x], grp[r, y]
    _unseat(D, S, r, x)
    _unseat(D, S, r, y)
    px, py = pos[r, x], pos[r, y]
    tab[r, A, px] = y
    tab[r, B, py] = x
    pos[r, x], pos[r, y] = py, px
    _seat(D, S, r, x, B)
    _seat(D, S, r, y, A)


@njit(cache=True, nogil=True)
def rebuild(D, S):
    """Recompute grp, pos, M, J and the label counts from ``tab``; return the full cost."""
    comp, comp_limit, ind, ind_limit, N, pen = D[11], D[12], D[13], D[14], D[15], D[10]
    hscale, Hf, Apen, La, cooldown = D[3], D[2], D[4], D[5], D[6]
    uniform, fd = D[8], D[9]
    grp, tab, pos, M, J, cc, ci = S[0], S[1], S[2], S[3], S[4], S[5], S[6]
    R, T, K = tab.shape
    grp[:] = -1
    M[:] = 0
    J[:] = 0.0
    cc[:] = 0
    ci[:] = 0
    for r in range(R):
        for t in range(T):
            for k in range(K):
                x = tab[r, t, k]
                if x >= 0:
                    grp[r, x] = t
                    pos[r, x] = k
                    if comp[x] >= 0:
                        cc[r, t, comp[x]] += 1
                    if ind[x] >= 0:
                        ci[r, t, ind[x]] += 1
    for r in range(R):
        for t in range(T):
            for k in range(K):
                x = tab[r, t, k]
                if x < 0 or x >= N:
                    continue
                for k2 in range(k + 1, K):
                    y = tab[r, t, k2]
                    if 0 <= y < N:
                        M[x, y] += 1
                        M[y, x] += 1
    cost = 0.0
    pair_terms = 0.0
    excess = 0
    for r in range(R):
        for t in range(T):
            for k in range(K):
                x = tab[r, t, k]
                if x < 0 or x >= N:
                    continue
                for t2 in range(T):
                    for k2 in range(K):
                        y = tab[r, t2, k2]
                        if 0 <= y < N and y != x:
                            J[r, x, t2] += coef(D, S, x, y, r)
                for k2 in range(k + 1, K):
                    y = tab[r, t, k2]
                    if 0 <= y < N:
                        a = hscale[r] * Hf[x, y] + Apen[x, y]
                        if cooldown > 0 and La[x, y] + D[16][r] < cooldown:
                            a += pen
                        pair_terms += a
                cost += J[r, x, t]
            for c in range(cc.shape[2]):
                excess += _excess(cc[r, t, c], comp_limit)
            for c in range(ci.shape[2]):
                excess += _excess(ci[r, t, c], ind_limit)
    if uniform:
        # Pair cost sum_{i < m} fd[i] of the m planned meetings of each pair (convex fd).
        pairs = 0.0
        for x in range(N):
            for y in range(x + 1, N):
                for i in range(M[x, y]):
                    pairs += fd[i]
        return pair_terms + pairs + pen * excess
    # sum of own-table J counts a-terms twice and each round-pair b-term four times.
    return 0.5 * pair_terms + 0.25 * cost + pen * excess


@njit(cache=True)
def _conflicted(D, S, r, x):
    comp, comp_limit, ind, ind_limit = D[11], D[12], D[13], D[14]
    grp, J, cc, ci = S[0], S[4], S[5], S[6]
    t = grp[r, x]
    if J[r, x, t] > _EPS:
        return True
    if comp_limit > 0 and comp[x] >= 0 and cc[r, t, comp[x]] > comp_limit:
        return True
    return ind_limit > 0 and ind[x] >= 0 and ci[r, t, ind[x]] > ind_limit


@njit(cache=True, nogil=True)
def run(D, S, best_tab, tabu, rng, ctl, params, iterations):
    """Tabu search for ``iterations`` steps (or until ``cost <= target``), resumable.

    ``ctl`` (float64): ``[iteration, cost, best, last_improvement, perturbations, moves]``;
    ``params``: ``[tenure_min, tenure_max, stagnation, perturb_swaps, max_candidates,
    target]``. ``best_tab`` holds the best seating found. Returns the best cost.
    """
    fixed, cap, N = D[1], D[0], D[15]
    Hf, hscale, Apen, La, cooldown = D[2], D[3], D[4], D[5], D[6]
    bmat, uniform, fd, pen = D[7], D[8], D[9], D[10]
    comp, comp_limit, ind, ind_limit = D[11], D[12], D[13], D[14]
    has_labels = comp_limit > 0 or ind_limit > 0
    grp, tab, M, J, cc, ci = S[0], S[1], S[3], S[4], S[5], S[6]
    R, T = tab.shape[0], tab.shape[1]
    P = grp.shape[1]
    tenure_min, tenure_max = int(params[0]), int(params[1])
    stagnation, perturb, max_cand, target = (
        int(params[2]),
        int(params[3]),
        int(params[4]),
        params[5],
    )
    it, cost, best, last = int(ctl[0]), ctl[1], ctl[2], int(ctl[3])
    cand_r = np.empty(R * P, np.int64)
    cand_x = np.empty(R * P, np.int64)
    for _ in range(iterations):
        if best <= target + _EPS:
            break
        n = 0
        for r in range(R):
            for x in range(N):
                t = grp[r, x]
                if t < 0 or fixed[r, x] != 0:
                    continue
                hot = J[r, x, t] > _EPS
                if not hot and has_labels:
                    hot = comp_limit > 0 and comp[x] >= 0 and cc[r, t, comp[x]] > comp_limit
                    hot = hot or (ind_limit > 0 and ind[x] >= 0 and ci[r, t, ind[x]] > ind_limit)
                if hot:
                    cand_r[n] = r
                    cand_x[n] = x
                    n += 1
        if n == 0:
            # Nothing costs anything locally (e.g. favouring repeats): try everyone.
            for r in range(R):
                for x in range(N):
                    if grp[r, x] >= 0 and fixed[r, x] == 0:
                        cand_r[n] = r
                        cand_x[n] = x
                        n += 1
        if n > max_cand:
            for i in range(max_cand):
                j = i + below(rng, n - i)
                cand_r[i], cand_r[j] = cand_r[j], cand_r[i]
                cand_x[i], cand_x[j] = cand_x[j], cand_x[i]
            n = max_cand
        best_d = np.inf
        mr = mx = my = -1
        ties = 0
        for i in range(n):
            r, x = cand_r[i], cand_x[i]
            A = grp[r, x]
            jx_a = J[r, x, A]
            for B in range(T):
                if B == A or cap[r, B] == 0:
                    continue
                base = J[r, x, B] - jx_a
                for k in range(cap[r, B]):
                    y = tab[r, B, k]
                    if fixed[r, y] != 0:
                        continue
                    # The swap delta, inlined (this loop is the whole cost of the search).
                    if y < N:
                        c = hscale[r] * Hf[x, y] + Apen[x, y]
                        if cooldown > 0 and La[x, y] + D[16][r] < cooldown:
                            c += pen
                        if uniform:
                            c += fd[M[x, y]]
                        else:
                            for r2 in range(R):
                                if r2 != r and grp[r2, x] >= 0 and grp[r2, x] == grp[r2, y]:
                                    c += bmat[r, r2]
                        d = base + J[r, y, A] - J[r, y, B] - 2.0 * c
                    else:
                        d = base
                    if has_labels:
                        labels = _label_delta(cc, comp_limit, comp, r, x, y, A, B)
                        labels += _label_delta(ci, ind_limit, ind, r, x, y, A, B)
                        d += pen * labels
                    if tabu[x, y] > it and cost + d >= best - _EPS:
                        continue
                    if d < best_d - _EPS:
                        best_d, mr, mx, my, ties = d, r, x, y, 1
                    elif d <= best_d + _EPS:
                        ties += 1
                        if below(rng, ties) == 0:
                            mr, mx, my = r, x, y
        if mr >= 0:
            swap(D, S, mr, mx, my)
            cost += best_d
            tenure = tenure_min + below(rng, max(1, tenure_max - tenure_min + 1))
            tabu[mx, my] = it + tenure
            tabu[my, mx] = it + tenure
            ctl[5] += 1
        if cost < best - _EPS:
            best = cost
            best_tab[:] = tab
            last = it
        elif it - last > stagnation or mr < 0:
            # Stagnation: back to the best seating, shaken by a few random swaps.
            tab[:] = best_tab
            rebuild(D, S)
            for _ in range(perturb):
                r = below(rng, R)
                x = below(rng, P)
                y = below(rng, P)
                if grp[r, x] < 0 or grp[r, y] < 0 or grp[r, x] == grp[r, y]:
                    continue
                if fixed[r, x] != 0 or fixed[r, y] != 0 or (x >= N and y >= N):
                    continue
                swap(D, S, r, x, y)
            cost = rebuild(D, S)
            last = it
            ctl[4] += 1
        it += 1
    ctl[0], ctl[1], ctl[2], ctl[3] = it, cost, best, last
    return best
