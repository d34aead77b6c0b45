"""The completion bound of the table search: the least that the seats left can add.

At a node of :func:`~seating.solvers.colgen.pricing.search_tables` (a set of attendees with
``R`` seats left), a child adds candidate q, and below it at most ``R - 1`` more candidates
after q join. Each of them adds its *marginal value* (pair weights with the set, less its dual)
plus its pair weights with the others that join. :func:`sweep` bounds that from below for
every child at once, sweeping the candidates from the last to the first and keeping the
``R - 1`` smallest values seen:

- with negative pair weights (``wmin < 0``): the best over r of the r smallest values plus
  ``wmin`` for each of the ``r (r + 1) / 2`` new pairs;
- without: the sum of the negative values among them, where within each *class* of candidates
  who have all met (:func:`classes`) every value past the class's least is raised by the least
  positive weight ``wpos``: t picks from one class share ``t (t - 1) / 2 >= t - 1`` pairs.

The second bound is valid because for any picks A, the class's least value (unraised) and the
raised values of A's other members of that class sum to at most A's own values plus
``(t - 1) * wpos``. Removing and raising the least when a smaller one comes keeps the buffer the
``R - 1`` smallest of the raised values: anything it dropped earlier was at least its largest.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _insert(buf_v, buf_c, buf_z, k, most, x, c, z):  # pragma: no cover - compiled
    """Insert value ``x`` (class ``c``, unraised flag ``z``) into the ascending buffer that
    keeps the ``most`` smallest values; return its new length."""
    if k < most:
        p = k
        k += 1
    elif k > 0 and x < buf_v[k - 1]:
        p = k - 1
    else:
        return k
    while p > 0 and buf_v[p - 1] > x:
        buf_v[p] = buf_v[p - 1]
        buf_c[p] = buf_c[p - 1]
        buf_z[p] = buf_z[p - 1]
        p -= 1
    buf_v[p] = x
    buf_c[p] = c
    buf_z[p] = z
    return k


@njit(cache=True)
def classes(cand, W):  # pragma: no cover - compiled
    """A greedy partition of the candidates (positions of ``cand``) into classes whose members
    have all met (positive pair weight), their number, and the least positive weight among
    candidates (0 when none)."""
    m = cand.shape[0]
    cls = np.full(m, -1, dtype=np.int64)
    members = np.empty((m, m), dtype=np.int64)
    size = np.zeros(m, dtype=np.int64)
    ncls = 0
    wpos = np.inf
    for j in range(m):
        for i in range(j):
            w = W[cand[i], cand[j]]
            if 0.0 < w < wpos:
                wpos = w
        for c in range(ncls):
            fits = True
            for r in range(size[c]):
                if not W[cand[members[c, r]], cand[j]] > 0.0:
                    fits = False
                    break
            if fits:
                cls[j] = c
                members[c, size[c]] = j
                size[c] += 1
                break
        if cls[j] < 0:
            cls[j] = ncls
            members[ncls, 0] = j
            size[ncls] = 1
            ncls += 1
    if wpos == np.inf:
        wpos = 0.0
    return cls, ncls, wpos


@njit(cache=True)
def sweep(
    marg, ok, compl, last, R, wmin, use_classes, cls, wpos, cls_min, smallest, buf_c, buf_z
):  # pragma: no cover - compiled
    """Fill ``compl[j]`` for every candidate j after ``last``: the least that at most ``R - 1``
    candidates after j can add (see the module docstring).

    Parameters
    ----------
    marg, ok
        Marginal value and compatibility of each candidate at the node.
    compl
        Output, one value per candidate position.
    last
        The candidate that made the node (-1 at the root).
    R
        Seats left at the node.
    wmin
        The least pair weight among candidates (at most 0).
    use_classes, cls, wpos
        Whether to use the classes, each candidate's class, the least positive weight.
    cls_min, smallest, buf_c, buf_z
        Work arrays (per class; at least ``R`` long).
    """
    m = marg.shape[0]
    k = 0
    bestc = 0.0
    if R <= 0:
        return
    if R > 1 and use_classes:
        for c in range(cls_min.shape[0]):
            cls_min[c] = np.inf
        for j in range(m - 1, last, -1):
            compl[j] = bestc
            if not ok[j]:
                continue
            x = marg[j]
            c = cls[j]
            if x < cls_min[c]:
                y = cls_min[c]
                cls_min[c] = x
                for p in range(k):
                    if buf_c[p] == c and buf_z[p]:
                        for r in range(p, k - 1):
                            smallest[r] = smallest[r + 1]
                            buf_c[r] = buf_c[r + 1]
                            buf_z[r] = buf_z[r + 1]
                        k -= 1
                        k = _insert(smallest, buf_c, buf_z, k, R - 1, y + wpos, c, False)
                        break
                k = _insert(smallest, buf_c, buf_z, k, R - 1, x, c, True)
            elif k < R - 1 or x + wpos < smallest[k - 1]:
                k = _insert(smallest, buf_c, buf_z, k, R - 1, x + wpos, c, False)
            else:
                continue  # nothing changed
            bestc = 0.0
            for p in range(k):
                if smallest[p] < 0.0:
                    bestc += smallest[p]
        return
    negsum = 0.0  # without negative weights the bound is the sum of the negative kept values
    for j in range(m - 1, last, -1):
        compl[j] = bestc
        if not ok[j] or R < 2:
            continue
        x = marg[j]
        if k < R - 1:
            p = k
            k += 1
            evicted = 0.0
        elif x < smallest[k - 1]:
            p = k - 1
            evicted = smallest[k - 1]
        else:
            continue
        while p > 0 and smallest[p - 1] > x:
            smallest[p] = smallest[p - 1]
            p -= 1
        smallest[p] = x
        if wmin == 0.0:
            negsum += min(x, 0.0) - min(evicted, 0.0)
            bestc = negsum
        else:
            bestc = 0.0
            run = 0.0
            for r in range(1, k + 1):
                run += smallest[r - 1]
                c = run + wmin * (r * (r + 1) / 2.0)
                if c < bestc:
                    bestc = c
