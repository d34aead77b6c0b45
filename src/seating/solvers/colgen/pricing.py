"""The compiled branch-and-bound over one table type: the cheapest tables, or all cheap tables.

A *table* (a column of the master LP, :mod:`seating.solvers.colgen.master`) is a set of
attendees who may sit at one table of a type: at most its capacity, its host (if any) and no
other host, no keep-apart or cooldown pair, the company and industry limits, keep-together
groups whole, and the table rules (a shared language, newcomers with an anchor, the newcomer
cap). Its value here is ``cost(S) - sum(pi[S])``: the table's objective (pair weights plus the
fairness of its members) less the duals ``pi`` of the attendees it seats.

:func:`search_tables` walks the subsets of the candidates in a fixed order, depth first, adding
one candidate at a time. Every node is a set: it is recorded when it holds every rule and its
value is below the threshold. A child (the set plus candidate q) is skipped when a lower
bound on every set below it cannot beat the threshold: the node's value, plus q's marginal
value (its pair weights with the set, less its dual), plus the most the remaining seats can
take off (the sum of the smallest marginal values of the later compatible candidates, and at
most ``wmin`` per new pair among them). Pair-wise rules (apart, cooldown, company and industry
limits, the newcomer cap, a shared language at the table) only ever forbid more as a set
grows, so they remove candidates; the rules that a larger set can repair (a keep-together group
not yet whole, a newcomer without an anchor, too few mates sharing a language) only decide
whether a node is recorded. The fairness term never decreases when a member is added, so the
bound may leave it out and stay valid.

Two uses, one walk:

- pricing (``enumerate_all=False``): the threshold falls to the best value found, so the last
  record is the exact minimum (when the walk finished within ``node_limit``); the earlier
  records are good tables too and go to the master LP;
- enumeration (``enumerate_all=True``): every table with a value at most the threshold, for the
  set-partitioning IP that proves optimality (:mod:`seating.solvers.colgen.exact`).

Compiled by numba in nopython mode, cached on disk.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from seating.solvers.colgen import completion

COMPLETE = 0
"""The walk visited every node it could not prune: the result is exact."""
NODE_LIMIT = 1
"""The walk stopped at ``node_limit`` nodes: the records are tables, the minimum unproven."""
FULL = 2
"""Enumeration only: more tables than ``max_out`` have a value under the threshold."""

_EPS = 1e-9


@njit(cache=True)
def _valid(
    S, size, incomplete, nnew, nanchor, newcomer_rule, lang_mode, lcount, share
):  # pragma: no cover - compiled
    """Whether the set ``S[:size]`` holds the rules that a larger set could still repair."""
    if size == 0 or incomplete > 0:
        return False
    if newcomer_rule and nnew > 0 and nanchor == 0:
        return False
    if lang_mode < 0 and lcount.shape[0] > 0:
        shared = False
        for c in lcount:
            if c == size:
                shared = True
                break
        if not shared:
            return False
    if lang_mode > 0:
        for r in range(size):
            mates = 0
            for t in range(size):
                if t != r and share[S[r], S[t]]:
                    mates += 1
            if mates < lang_mode:
                return False
    return True


@njit(cache=True)
def search_tables(
    cand,
    base,
    cap,
    W,
    pi,
    forbid,
    comp,
    comp_limit,
    ind,
    ind_limit,
    met,
    fairness,
    group_of,
    group_size,
    lang_mode,
    speaks,
    share,
    newcomer,
    anchor,
    newcomer_rule,
    max_newcomers,
    wmin,
    threshold,
    enumerate_all,
    max_out,
    node_limit,
    prune_dominated,
):  # pragma: no cover - compiled
    """The tables of one type with a value below ``threshold`` (see the module docstring).

    Parameters
    ----------
    cand
        ``(m,)`` attendee indices that may join, in the order of the walk (no hosts).
    base
        ``(b,)`` attendees every table of the type seats (its host), ``b <= cap``.
    cap
        The table's capacity.
    W, pi, forbid, met
        Pair weights ``(n, n)``, duals ``(n,)``, forbidden pairs and pairs met before.
    comp, comp_limit, ind, ind_limit
        Company and industry codes (-1 unknown) and per-table limits (0: none).
    fairness
        Weight of the per-member repeat-load penalty (>= 0).
    group_of, group_size
        Keep-together group of each attendee (-1: none) and the size of each group.
    lang_mode, speaks, share
        Language rule (0 none, -1 one language for the table, k mates), ``(n, L)`` who speaks
        what, ``(n, n)`` who shares a language.
    newcomer, anchor, newcomer_rule, max_newcomers
        The newcomer rule (``max_newcomers`` 0: no cap).
    wmin
        A lower bound on any pair weight among candidates, at most 0.
    threshold
        Record sets whose value is below it (pricing: strictly; enumeration: at most).
    enumerate_all
        Enumeration (keep the threshold) or pricing (lower it to the best value found).
    max_out
        Room for records. Pricing keeps the last ``max_out`` (the best); enumeration stops
        with :data:`FULL`.
    node_limit
        Nodes to visit at most.
    prune_dominated
        Pricing only, when every rule that a smaller set could break is absent (keep-together,
        newcomers, language mates) and no pair weight is negative: skip a candidate whose
        marginal value is not negative, since the same set without it is as cheap.

    Returns
    -------
    tuple
        ``(members, values, count, status, best, nodes)``: ``(max_out, cap)`` records padded
        with -1, their values, how many records were made (pricing: may exceed ``max_out``),
        :data:`COMPLETE`, :data:`NODE_LIMIT` or :data:`FULL`, the lowest value recorded
        (``threshold`` if none) and the nodes visited.
    """
    n = W.shape[0]
    m = cand.shape[0]
    b = base.shape[0]
    depth_max = cap - b
    out = np.full((max_out, cap), -1, dtype=np.int64)
    values = np.zeros(max_out, dtype=np.float64)
    count = 0
    status = COMPLETE
    thr = threshold
    best = threshold
    nodes = 0
    if depth_max < 0:
        return out, values, count, status, best, nodes

    ncomp = 1
    for i in range(n):
        if comp[i] + 1 > ncomp:
            ncomp = comp[i] + 1
    nind = 1
    for i in range(n):
        if ind[i] + 1 > nind:
            nind = ind[i] + 1
    ccount = np.zeros(ncomp, dtype=np.int64)
    icount = np.zeros(nind, dtype=np.int64)
    gcount = np.zeros(max(1, group_size.shape[0]), dtype=np.int64)
    L = speaks.shape[1]
    lcount = np.zeros(L if lang_mode < 0 else 0, dtype=np.int64)
    incomplete = 0
    nnew = 0
    nanchor = 0

    S = np.empty(cap, dtype=np.int64)
    marg = np.zeros((depth_max + 1, m), dtype=np.float64)
    ok = np.zeros((depth_max + 1, m), dtype=np.bool_)
    val = np.zeros(depth_max + 1, dtype=np.float64)
    fair = np.zeros(depth_max + 1, dtype=np.float64)
    loads = np.zeros((depth_max + 1, cap), dtype=np.int64)
    nxt = np.zeros(depth_max + 1, dtype=np.int64)
    compl = np.zeros((depth_max + 1, m), dtype=np.float64)
    alive = np.zeros(depth_max + 1, dtype=np.bool_)
    smallest = np.empty(cap + 1, dtype=np.float64)
    buf_c = np.zeros(cap + 1, dtype=np.int64)
    buf_z = np.zeros(cap + 1, dtype=np.bool_)
    # Classes of candidates who have all met: two picks from one class cost at least wpos
    # together, so past its cheapest member each pick from a class counts wpos more.
    cls, ncls, wpos = completion.classes(cand, W)
    use_classes = wmin == 0.0 and wpos > 0.0 and ncls < m
    cls_min = np.full(max(ncls, 1), np.inf)

    # The root: the base set.
    for j in range(m):
        ok[0, j] = True
        marg[0, j] = -pi[cand[j]]
    v0 = 0.0
    for r in range(b):
        a = base[r]
        S[r] = a
        v0 -= pi[a]
        for t in range(r):
            v0 += W[S[t], a]
            if met[S[t], a]:
                loads[0, t] += 1
                loads[0, r] += 1
        for j in range(m):
            c = cand[j]
            marg[0, j] += W[a, c]
            if forbid[a, c]:
                ok[0, j] = False
        if comp_limit > 0 and comp[a] >= 0:
            ccount[comp[a]] += 1
        if ind_limit > 0 and ind[a] >= 0:
            icount[ind[a]] += 1
        g = group_of[a]
        if g >= 0:
            gcount[g] += 1
            if gcount[g] == 1:
                incomplete += 1
            if gcount[g] == group_size[g]:
                incomplete -= 1
        if newcomer[a]:
            nnew += 1
        if anchor[a]:
            nanchor += 1
        for lang in range(lcount.shape[0]):
            if speaks[a, lang]:
                lcount[lang] += 1
    for j in range(m):
        c = cand[j]
        if comp_limit > 0 and comp[c] >= 0 and ccount[comp[c]] >= comp_limit:
            ok[0, j] = False
        if ind_limit > 0 and ind[c] >= 0 and icount[ind[c]] >= ind_limit:
            ok[0, j] = False
        if newcomer_rule and max_newcomers > 0 and newcomer[c] and nnew >= max_newcomers:
            ok[0, j] = False
        if prune_dominated and marg[0, j] >= 0.0:
            ok[0, j] = False
    val[0] = v0
    if fairness > 0:
        f = 0.0
        for r in range(b):
            f += loads[0, r] * loads[0, r]
        fair[0] = fairness * f

    depth = 0
    last = -1  # position of the candidate added to reach the current node
    entering = True
    while depth >= 0:
        size = b + depth
        if entering:
            entering = False
            nodes += 1
            cost = val[depth] + fair[depth]
            shared = True
            if lcount.shape[0] > 0 and size > 0:
                shared = False
                for c in lcount:
                    if c == size:
                        shared = True
                        break
            alive[depth] = shared
            if shared and _valid(
                S, size, incomplete, nnew, nanchor, newcomer_rule, lang_mode, lcount, share
            ):
                record = cost <= thr + _EPS if enumerate_all else cost < thr - _EPS
                if record:
                    if enumerate_all and count >= max_out:
                        status = FULL
                        return out, values, count, status, best, nodes
                    slot = count % max_out
                    for r in range(cap):
                        out[slot, r] = S[r] if r < size else -1
                    values[slot] = cost
                    count += 1
                    if cost < best:
                        best = cost
                    if not enumerate_all:
                        thr = cost
            if nodes >= node_limit:
                status = NODE_LIMIT
                return out, values, count, status, best, nodes
            # The completion bound of each child (:mod:`.completion`).
            if alive[depth]:
                completion.sweep(
                    marg[depth],
                    ok[depth],
                    compl[depth],
                    last,
                    cap - size,
                    wmin,
                    use_classes,
                    cls,
                    wpos,
                    cls_min,
                    smallest,
                    buf_c,
                    buf_z,
                )
            nxt[depth] = last + 1

        # The next child of the node at ``depth``.
        q = -1
        if size < cap and depth < depth_max and alive[depth]:
            base_cost = val[depth] + fair[depth]
            while nxt[depth] < m:
                j = nxt[depth]
                nxt[depth] += 1
                if not ok[depth, j]:
                    continue
                lb = base_cost + marg[depth, j] + compl[depth, j]
                if enumerate_all:
                    if lb > thr + _EPS:
                        continue
                elif lb >= thr - _EPS:
                    continue
                q = j
                break
        if q < 0:
            # Back up: undo the member that made this node.
            if depth > 0:
                a = S[size - 1]
                if comp_limit > 0 and comp[a] >= 0:
                    ccount[comp[a]] -= 1
                if ind_limit > 0 and ind[a] >= 0:
                    icount[ind[a]] -= 1
                g = group_of[a]
                if g >= 0:
                    if gcount[g] == group_size[g]:
                        incomplete += 1
                    if gcount[g] == 1:
                        incomplete -= 1
                    gcount[g] -= 1
                if newcomer[a]:
                    nnew -= 1
                if anchor[a]:
                    nanchor -= 1
                for lang in range(lcount.shape[0]):
                    if speaks[a, lang]:
                        lcount[lang] -= 1
            depth -= 1
            continue

        # Go down: add candidate q.
        a = cand[q]
        d = depth + 1
        S[size] = a
        val[d] = val[depth] + marg[depth, q]
        if fairness > 0:
            own = 0
            f = 0.0
            for r in range(size):
                extra = 1 if met[S[r], a] else 0
                loads[d, r] = loads[depth, r] + extra
                own += extra
                f += loads[d, r] * loads[d, r]
            loads[d, size] = own
            f += own * own
            fair[d] = fairness * f
        if comp_limit > 0 and comp[a] >= 0:
            ccount[comp[a]] += 1
        if ind_limit > 0 and ind[a] >= 0:
            icount[ind[a]] += 1
        g = group_of[a]
        if g >= 0:
            gcount[g] += 1
            if gcount[g] == 1:
                incomplete += 1
            if gcount[g] == group_size[g]:
                incomplete -= 1
        if newcomer[a]:
            nnew += 1
        if anchor[a]:
            nanchor += 1
        for lang in range(lcount.shape[0]):
            if speaks[a, lang]:
                lcount[lang] += 1
        comp_full = comp_limit > 0 and comp[a] >= 0 and ccount[comp[a]] >= comp_limit
        ind_full = ind_limit > 0 and ind[a] >= 0 and icount[ind[a]] >= ind_limit
        new_full = newcomer_rule and max_newcomers > 0 and nnew >= max_newcomers
        for j in range(q + 1, m):
            c = cand[j]
            good = ok[depth, j] and not forbid[a, c]
            marg[d, j] = marg[depth, j] + W[a, c]
            if good and prune_dominated and marg[d, j] >= 0.0:
                # Adding j can only raise the value of any set below (its marginal value
                # only grows), and the set without j holds the rules too: skip it.
                good = False
            if good and comp_full and comp[c] == comp[a]:
                good = False
            if good and ind_full and ind[c] == ind[a]:
                good = False
            if good and new_full and newcomer[c]:
                good = False
            ok[d, j] = good
        depth = d
        last = q
        entering = True
    return out, values, count, status, best, nodes
