"""Compiled search for the base classes of a cyclic (1-rotational) resolvable design.

The points are ``Z_h x {0 .. L-1}`` plus ``f`` fixed points; a round is a *base class* (a
partition of the points into g blocks of s) shifted by ``t`` in ``Z_h``. Two points meet in the
developed schedule once per pair *orbit* hit by a base class, so a schedule without repeats is a
set of base classes hitting every orbit at most once (and never a pair whose orbit is shorter
than h: two points ``h/2`` apart on one level, or two fixed points). The search is a small
min-conflicts tabu walk on swaps between blocks of one base class.
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit

from seating.solvers.rng import below, seeded
from seating.stop import Stop

FIRST_PIECE = 256
"""Swap steps of the first compiled piece of a search with a stop criterion."""

PIECE_SECONDS = 0.02
"""Aimed length of later pieces: the most a search runs past its stop, about."""


@njit(cache=True)
def _pair_cost(count, forbidden):
    if forbidden:
        return count
    return count - 1 if count > 1 else 0


@njit(cache=True)
def _swap_delta(orbit, counts, forb, blocks, c, x, bx, y, by, s):
    """Cost change of swapping point x (block bx) with y (block by) in base class c."""
    delta = 0
    for step in range(4):
        # x leaves bx, y leaves by, x joins by, y joins bx; counts are restored after.
        p = x if step in (0, 2) else y
        blk = bx if step in (0, 3) else by
        sign = -1 if step < 2 else 1
        for k in range(s):
            a = blocks[c, blk, k]
            if a in (x, y):
                continue
            o = orbit[p, a]
            delta -= _pair_cost(counts[o], forb[o])
            counts[o] += sign
            delta += _pair_cost(counts[o], forb[o])
    for step in range(3, -1, -1):
        p = x if step in (0, 2) else y
        blk = bx if step in (0, 3) else by
        sign = -1 if step < 2 else 1
        for k in range(s):
            a = blocks[c, blk, k]
            if a in (x, y):
                continue
            counts[orbit[p, a]] -= sign
    return delta


@njit(cache=True)
def _apply(orbit, counts, blocks, block_of, slot_of, c, x, y, s):
    """Swap points x and y (different blocks of base class c), updating the orbit counts."""
    bx, by = block_of[c, x], block_of[c, y]
    for k in range(s):
        a = blocks[c, bx, k]
        if a != x:
            counts[orbit[x, a]] -= 1
            counts[orbit[y, a]] += 1
        a = blocks[c, by, k]
        if a != y:
            counts[orbit[y, a]] -= 1
            counts[orbit[x, a]] += 1
    sx, sy = slot_of[c, x], slot_of[c, y]
    blocks[c, bx, sx], blocks[c, by, sy] = y, x
    block_of[c, x], block_of[c, y] = by, bx
    slot_of[c, x], slot_of[c, y] = sy, sx


@njit(cache=True)
def _build(orbit, n_orbits, blocks):
    counts = np.zeros(n_orbits, np.int64)
    nb, g, s = blocks.shape
    for c in range(nb):
        for b in range(g):
            for i in range(s):
                for j in range(i + 1, s):
                    counts[orbit[blocks[c, b, i], blocks[c, b, j]]] += 1
    return counts


@njit(cache=True, nogil=True)
def _total(counts, forb):
    total = 0
    for o in range(counts.shape[0]):
        total += _pair_cost(counts[o], forb[o])
    return total


@njit(cache=True, nogil=True)
def _start(orbit, forb, nb, g, s, rng, blocks, block_of, slot_of, out):
    """Random base classes into ``blocks`` (and ``out``); return the orbit counts."""
    v = g * s
    for c in range(nb):
        perm = np.arange(v)
        for i in range(v - 1, 0, -1):
            j = below(rng, i + 1)
            perm[i], perm[j] = perm[j], perm[i]
        for i in range(v):
            blocks[c, i // s, i % s] = perm[i]
            block_of[c, perm[i]] = i // s
            slot_of[c, perm[i]] = i % s
    out[:] = blocks
    return _build(orbit, forb.shape[0], blocks)


@njit(cache=True, nogil=True)
def _steps(orbit, forb, rng, blocks, block_of, slot_of, counts, tabu, out, ctl, first, last):
    """Swap steps ``first .. last - 1`` of the search; ``ctl`` is ``[cost, best, stale, step]``
    (``step``: the steps run so far).

    Returns True when the search is over (no conflict left), False when ``last`` is reached.
    Steps run in pieces give exactly the run of all of them at once.
    """
    nb, g, s = blocks.shape
    v = g * s
    cost, best, stale = ctl[0], ctl[1], ctl[2]
    conflicted = np.empty(nb * v, np.int64)
    done = False
    step = last
    for it in range(first, last):
        if best == 0:
            done, step = True, it
            break
        # Points in a conflict: some mate in their block shares a crowded or forbidden orbit.
        n_conf = 0
        for c in range(nb):
            for x in range(v):
                b = block_of[c, x]
                for k in range(s):
                    a = blocks[c, b, k]
                    if a != x and (forb[orbit[x, a]] or counts[orbit[x, a]] > 1):
                        conflicted[n_conf] = c * v + x
                        n_conf += 1
                        break
        if n_conf == 0:
            done, step = True, it
            break
        pick = conflicted[below(rng, n_conf)]
        c, x = pick // v, pick % v
        bx = block_of[c, x]
        best_delta = 1 << 40
        best_y = -1
        ties = 0
        for y in range(v):
            by = block_of[c, y]
            if by == bx:
                continue
            d = _swap_delta(orbit, counts, forb, blocks, c, x, bx, y, by, s)
            if tabu[c, y] > it and cost + d >= best:
                continue
            if d < best_delta:
                best_delta, best_y, ties = d, y, 1
            elif d == best_delta:
                ties += 1
                if below(rng, ties) == 0:
                    best_y = y
        if best_y < 0:
            continue
        y = best_y
        by = block_of[c, y]
        _apply(orbit, counts, blocks, block_of, slot_of, c, x, y, s)
        cost += best_delta
        tabu[c, x] = it + 3 + below(rng, 8)
        if cost < best:
            best = cost
            out[:] = blocks
            stale = 0
        else:
            stale += 1
        if stale > 2000:
            # Perturb: a few random swaps, then go on from there.
            for _ in range(1 + below(rng, 3)):
                c = below(rng, nb)
                x, y = below(rng, v), below(rng, v)
                bx, by = block_of[c, x], block_of[c, y]
                if bx == by:
                    continue
                cost += _swap_delta(orbit, counts, forb, blocks, c, x, bx, y, by, s)
                _apply(orbit, counts, blocks, block_of, slot_of, c, x, y, s)
            stale = 0
    ctl[0], ctl[1], ctl[2], ctl[3] = cost, best, stale, step
    return done or best == 0


def search_base_classes(
    orbit: np.ndarray,
    forb: np.ndarray,
    nb: int,
    g: int,
    s: int,
    iterations: int,
    seed: int,
    out: np.ndarray,
    *,
    stop: Stop | None = None,
) -> tuple[int, int]:
    """Search ``nb`` base classes whose development hits each pair orbit at most once.

    Parameters
    ----------
    orbit
        ``(v, v)`` orbit id of each pair of points.
    forb
        ``(n_orbits,)`` True for orbits that may not be hit at all (short orbits).
    nb, g, s
        Base classes, blocks per class, points per block (``v = g * s``).
    iterations
        Swap steps at most.
    seed
        Random seed.
    out
        ``(nb, g, s)`` receives the best base classes found.
    stop
        Stop criterion (:mod:`seating.stop`; ``None``: run every step in one compiled call).
        The steps run in compiled pieces of about :data:`PIECE_SECONDS` and ``stop`` is
        checked between them, so the search ends at most one piece after it stops; no step
        runs when it has stopped already. Until then the steps are those of one call.

    Returns
    -------
    tuple
        Conflicts of ``out`` (0: a schedule without repeats) and the swap steps run.
    """
    v = g * s
    rng = seeded(seed)
    blocks = np.empty((nb, g, s), np.int64)
    block_of = np.empty((nb, v), np.int64)
    slot_of = np.empty((nb, v), np.int64)
    counts = _start(orbit, forb, nb, g, s, rng, blocks, block_of, slot_of, out)
    cost = int(_total(counts, forb))
    ctl = np.array([cost, cost, 0, 0], dtype=np.int64)
    tabu = np.zeros((nb, v), np.int64)
    piece = iterations if stop is None else FIRST_PIECE
    while ctl[3] < iterations:
        if stop is not None and stop.stopped():
            break
        first = int(ctl[3])
        last = min(iterations, first + piece)
        tick = time.perf_counter()
        over = _steps(
            orbit, forb, rng, blocks, block_of, slot_of, counts, tabu, out, ctl, first, last
        )
        spent = time.perf_counter() - tick
        if over:
            break
        # Aim for pieces of about PIECE_SECONDS, growing at most fourfold at a time.
        piece = int(min(max(64, piece * PIECE_SECONDS / max(spent, 1e-4)), 4 * piece))
    return int(ctl[1]), int(ctl[3])
