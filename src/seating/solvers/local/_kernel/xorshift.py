"""Random numbers for the compiled loops: xorshift64*, its state a one-element uint64 array.

numba's ``np.random`` costs ~12 ns a draw, this generator ~2.5 ns (inlined).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _rng(seed):
    """A generator state from any integer seed (splitmix64 of the seed, never zero)."""
    state = np.empty(1, np.uint64)
    z = np.uint64(seed & 0x7FFFFFFFFFFFFFFF) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    state[0] = z if z != np.uint64(0) else np.uint64(1)
    return state


@njit(cache=True, inline="always")
def _uniform(state):
    """A float in [0, 1)."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    return float((x * np.uint64(0x2545F4914F6CDD1D)) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, inline="always")
def _below(state, n):
    """An integer in [0, n)."""
    return int(_uniform(state) * n)
