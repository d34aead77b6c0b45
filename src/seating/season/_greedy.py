"""Greedy start for golf-like seasons: Triska & Musliu's "freedom" heuristic (GRASP).

Rounds are filled table by table, two players at a time: the pair chosen is one that creates
the fewest repeats with the players already at the table and, among those, leaves the table
the most *freedom*: the number of still unseated players who have met nobody at it. Ties are
broken at random, so several runs give several starts (GRASP); the best is kept.

The freedom of a candidate pair is a count over all players, so it is kept as bit sets (one
bit per player, 64 to a word): "unseated and met nobody at the table", and for each player
"met before". Counting is then a few popcounts per candidate instead of a loop over every
player; at 400 players a run is about 50 times faster than the loop, with the same choices.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from seating.solvers.rng import below, seeded
from seating.stop import HaltWatch, Stop

_SAMPLE = 24

_ONE = np.uint64(1)
_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)


@njit(cache=True)
def _popcount(x):
    x = x - ((x >> np.uint64(1)) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return np.int64((x * _H01) >> np.uint64(56))


@njit(cache=True)
def _clear(bits, p):
    bits[p >> 6] &= ~(_ONE << np.uint64(p & 63))


@njit(cache=True)
def _has(bits, p):
    return (bits[p >> 6] >> np.uint64(p & 63)) & _ONE


@njit(cache=True)
def _fill_round(cap_r, met, met_bits, rng, out_r, halt):
    """Seat every player of one round (all players attend); ``met`` and ``met_bits`` (bit z
    of row x: x and z met before) are updated with the round's meetings. Once ``halt[0]``
    is set (the deadline), the rest of the round is seated at random, unscored."""
    v = met.shape[0]
    words = met_bits.shape[1]
    unplaced = np.ones(v, np.bool_)
    unplaced_bits = np.zeros(words, np.uint64)
    for z in range(v):
        unplaced_bits[z >> 6] |= _ONE << np.uint64(z & 63)
    compat = np.empty(words, np.uint64)  # unseated, met nobody at the table so far
    free_of_x = np.empty(words, np.uint64)
    sample = np.empty(v, np.int64)
    for t in range(cap_r.shape[0]):
        size = cap_r[t]
        for k in range(out_r.shape[1]):
            out_r[t, k] = -1
        compat[:] = unplaced_bits
        filled = 0
        while filled < size:
            if halt[0] != 0:
                # Past the deadline: a choice scans every player (a run of 1,000 players
                # over 20 rounds took 10 s). Players drawn at random instead: seated in
                # order, the same tables met again every round (85,500 repeats at 1,000).
                n = 0
                for z in range(v):
                    if unplaced[z]:
                        sample[n] = z
                        n += 1
                while filled < size and n > 0:
                    j = below(rng, n)
                    p = sample[j]
                    n -= 1
                    sample[j] = sample[n]
                    out_r[t, filled] = p
                    filled += 1
                    unplaced[p] = False
                break
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
                    j = i + below(rng, n - i)
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
                # Compatible players other than x who have not met x.
                for w in range(words):
                    free_of_x[w] = compat[w] & ~met_bits[x, w]
                _clear(free_of_x, x)
                free_x = 0
                for w in range(words):
                    free_x += _popcount(free_of_x[w])
                ylist_end = v if take_two else 1
                for y in range(ylist_end):
                    if take_two:
                        if y == x or not unplaced[y]:
                            continue
                        clash = clash_x + met[x, y]
                        for k in range(filled):
                            clash += met[y, out_r[t, k]]
                        free = -np.int64(_has(free_of_x, y))
                        for w in range(words):
                            free += _popcount(free_of_x[w] & ~met_bits[y, w])
                    else:
                        clash = clash_x
                        free = free_x
                    score = -1000.0 * v * clash + free
                    if score > best_score:
                        best_score, bx, by, ties = score, x, y, 1
                    elif score == best_score:
                        ties += 1
                        if below(rng, ties) == 0:
                            bx, by = x, y
            for step in range(2 if take_two else 1):
                p = bx if step == 0 else by
                out_r[t, filled] = p
                filled += 1
                unplaced[p] = False
                _clear(unplaced_bits, p)
                for w in range(words):
                    compat[w] &= ~met_bits[p, w]
                _clear(compat, p)
    # Record the round's meetings.
    for t in range(cap_r.shape[0]):
        for i in range(cap_r[t]):
            for j in range(i + 1, cap_r[t]):
                a, b = out_r[t, i], out_r[t, j]
                met[a, b] += 1
                met[b, a] += 1
                met_bits[a, b >> 6] |= _ONE << np.uint64(b & 63)
                met_bits[b, a >> 6] |= _ONE << np.uint64(a & 63)


@njit(cache=True, nogil=True)
def _given_meetings(cap, v, out, first):
    """Meetings in the rounds before ``first`` (``(v, v)`` counts)."""
    given = np.zeros((v, v), np.int64)
    for r in range(first):
        for t in range(out.shape[1]):
            for i in range(cap[r, t]):
                for j in range(i + 1, cap[r, t]):
                    given[out[r, t, i], out[r, t, j]] += 1
                    given[out[r, t, j], out[r, t, i]] += 1
    return given


@njit(cache=True, nogil=True)
def _greedy_run(cap, given, rng, trial, first, halt):
    """One greedy schedule of rounds ``first ..`` into ``trial``; returns its repeats (sum
    over pairs of ``max(0, meetings - 1)``, the given rounds included). ``halt``: see
    :func:`_fill_round`."""
    v = given.shape[0]
    met = given.copy()
    met_bits = np.zeros((v, (v + 63) // 64), np.uint64)
    for a in range(v):
        for b in range(v):
            if met[a, b] > 0:
                met_bits[a, b >> 6] |= _ONE << np.uint64(b & 63)
    for r in range(first, trial.shape[0]):
        _fill_round(cap[r], met, met_bits, rng, trial[r], halt)
    rep = 0
    for a in range(v):
        for b in range(a + 1, v):
            if met[a, b] > 1:
                rep += met[a, b] - 1
    return rep


def freedom_greedy(
    cap: np.ndarray,
    v: int,
    seed: int,
    runs: int,
    out: np.ndarray,
    first: int,
    *,
    stop: Stop | None = None,
) -> int:
    """Best of ``runs`` greedy schedules: ``out[r, t, k]`` is the player at seat k.

    Rounds before ``first`` are given (e.g. from a construction) and kept. No run starts
    after ``stop`` has stopped but the first, which is the start: once ``stop`` stops (a
    watcher thread asks it while the compiled run works), the first run seats the players it
    has not seated yet at random, so that the limit holds on large seasons. The first run
    watches ``stop.graced()``: it may finish in the grace of a first plan after the deadline
    (:mod:`seating.stop`). Until it is cut the same seed gives the same schedule.

    Returns the repeats of ``out`` (sum over pairs of ``max(0, meetings - 1)``).
    """
    rng = seeded(seed)
    given = _given_meetings(cap, v, out, first)
    trial = out.copy()
    best = -1
    halt = np.zeros(1, dtype=np.int64)
    for run in range(runs):
        if run > 0 and stop is not None and stop.stopped():
            break
        if stop is None:
            rep = _greedy_run(cap, given, rng, trial, first, halt)
        else:
            # The first run is the start: it may use the grace of a first plan.
            with HaltWatch(stop.graced() if run == 0 else stop, halt):
                rep = _greedy_run(cap, given, rng, trial, first, halt)
        if best < 0 or rep < best:
            best = rep
            out[:] = trial
    return best
