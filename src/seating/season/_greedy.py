"""Greedy start for golf-like seasons: Triska & Musliu's "freedom" heuristic (GRASP).

Rounds are filled table by table, two players at a time: the pair chosen is one that creates
the fewest repeats with the players already at the table and, among those, leaves the table
the most *freedom*: the number of still unseated players who have met nobody at it. Ties are
broken at random, so several runs give several starts (GRASP); the best is kept.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from seating.season._cyclic import _below, seeded

_SAMPLE = 24


@njit(cache=True)
def _fill_round(cap_r, met, rng, out_r):
    """Seat every player of one round (all players attend); ``met`` is updated."""
    v = met.shape[0]
    unplaced = np.ones(v, np.bool_)
    compat = np.empty(v, np.bool_)
    sample = np.empty(v, np.int64)
    for t in range(cap_r.shape[0]):
        size = cap_r[t]
        for k in range(out_r.shape[1]):
            out_r[t, k] = -1
        compat[:] = unplaced
        filled = 0
        while filled < size:
            take_two = size - filled >= 2
            # Candidates for the first player: a random sample of the unseated.
            n = 0
            for z in range(v):
                if unplaced[z]:
                    sample[n] = z
                    n += 1
            if n == 0:
                break
            if n > _SAMPLE:
                for i in range(_SAMPLE):
                    j = i + _below(rng, n - i)
                    sample[i], sample[j] = sample[j], sample[i]
                n = _SAMPLE
            best_score = -1e18
            bx = by = -1
            ties = 0
            for i in range(n):
                x = sample[i]
                clash_x = 0
                for k in range(filled):
                    clash_x += met[x, out_r[t, k]]
                ylist_end = v if take_two else 1
                for y in range(ylist_end):
                    if take_two:
                        if y == x or not unplaced[y]:
                            continue
                        clash = clash_x + met[x, y]
                        for k in range(filled):
                            clash += met[y, out_r[t, k]]
                    else:
                        clash = clash_x
                    free = 0
                    for z in range(v):
                        if compat[z] and z != x and met[x, z] == 0:
                            if take_two and (z == y or met[y, z] > 0):
                                continue
                            free += 1
                    score = -1000.0 * v * clash + free
                    if score > best_score:
                        best_score, bx, by, ties = score, x, y, 1
                    elif score == best_score:
                        ties += 1
                        if _below(rng, ties) == 0:
                            bx, by = x, y
            for step in range(2 if take_two else 1):
                p = bx if step == 0 else by
                out_r[t, filled] = p
                filled += 1
                unplaced[p] = False
                for z in range(v):
                    if met[p, z] > 0:
                        compat[z] = False
                compat[p] = False
    # Record the round's meetings.
    for t in range(cap_r.shape[0]):
        for i in range(cap_r[t]):
            for j in range(i + 1, cap_r[t]):
                a, b = out_r[t, i], out_r[t, j]
                met[a, b] += 1
                met[b, a] += 1


@njit(cache=True)
def freedom_greedy(cap, v, seed, runs, out, first):
    """Best of ``runs`` greedy schedules: ``out[r, t, k]`` is the player at seat k.

    Rounds before ``first`` are given (e.g. from a construction) and kept.

    Returns the repeats of ``out`` (sum over pairs of ``max(0, meetings - 1)``).
    """
    rng = seeded(seed)
    R = out.shape[0]
    trial = out.copy()
    given = np.zeros((v, v), np.int64)
    for r in range(first):
        for t in range(out.shape[1]):
            for i in range(cap[r, t]):
                for j in range(i + 1, cap[r, t]):
                    given[out[r, t, i], out[r, t, j]] += 1
                    given[out[r, t, j], out[r, t, i]] += 1
    best = -1
    for _ in range(runs):
        met = given.copy()
        for r in range(first, R):
            _fill_round(cap[r], met, rng, trial[r])
        rep = 0
        for a in range(v):
            for b in range(a + 1, v):
                if met[a, b] > 1:
                    rep += met[a, b] - 1
        if best < 0 or rep < best:
            best = rep
            out[:] = trial
    return best
