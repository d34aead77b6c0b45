"""Random numbers for the compiled code: xorshift64*, its state a one-element uint64 array.

The one generator of every numba-compiled search: the dinner local search
(:mod:`seating.solvers.local._kernel`) and the season's greedy start, tabu search and cyclic
design search (:mod:`seating.season`). numba's ``np.random`` costs ~12 ns a draw, this
generator ~2.5 ns (inlined), and its state is an array the caller owns, so a seed gives the
same numbers whatever else runs in the process.

numba invalidates a cached function only when its own file changes: after editing this module,
delete the ``__pycache__`` folders of ``solvers/local/_kernel/``, ``season/`` and
``season/constructions/`` (every module that inlines these functions).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_TO_UNIT = 1.0 / 9007199254740992.0
"""2 ** -53: a 53-bit integer to a float in [0, 1)."""


@njit(cache=True)
def seeded(seed):
    """A generator state from any integer seed (splitmix64 of the seed, never zero)."""
    state = np.empty(1, np.uint64)
    z = np.uint64(seed & 0x7FFFFFFFFFFFFFFF) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    state[0] = z if z != np.uint64(0) else np.uint64(1)
    return state


@njit(cache=True, inline="always")
def next53(state):
    """The next 53-bit random integer (one xorshift64* step)."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    return (x * np.uint64(0x2545F4914F6CDD1D)) >> np.uint64(11)


@njit(cache=True, inline="always")
def uniform(state):
    """A float in [0, 1)."""
    return float(next53(state)) * _TO_UNIT


@njit(cache=True, inline="always")
def below(state, n):
    """An integer in [0, n), for ``n >= 1``."""
    return int(uniform(state) * n)
