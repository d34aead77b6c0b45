"""The one random generator of the compiled code (seating.solvers.rng)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import seating
from seating.solvers.rng import below, next53, seeded, uniform

PACKAGE = Path(seating.__file__).parent


def test_a_seed_gives_one_stream_and_seeds_differ():
    a, b, c = seeded(7), seeded(7), seeded(8)
    first = [int(next53(a)) for _ in range(5)]
    assert first == [int(next53(b)) for _ in range(5)]
    assert first != [int(next53(c)) for _ in range(5)]
    assert all(0 <= x < 2**53 for x in first)


@pytest.mark.parametrize("seed", [0, 1, -1, -(2**62), 2**63 - 1])
def test_every_integer_seed_gives_a_live_state(seed):
    """splitmix64 of the seed: never the all-zero state, at which xorshift would stay."""
    state = seeded(seed)
    assert state.dtype == np.uint64 and state.shape == (1,) and state[0] != 0
    assert len({int(next53(state)) for _ in range(10)}) == 10


def test_uniform_and_below_stay_in_range_and_spread_evenly():
    state = seeded(3)
    draws = np.array([uniform(state) for _ in range(20_000)])
    assert draws.min() >= 0.0 and draws.max() < 1.0
    for n in (1, 2, 7, 1000):
        values = np.array([below(state, n) for _ in range(7_000)])
        assert values.min() >= 0 and values.max() < n
        if n == 7:
            # 1000 expected per value; 5 standard deviations is about 150.
            assert np.abs(np.bincount(values, minlength=7) - 1000).max() < 150


def test_no_compiled_module_keeps_a_generator_of_its_own():
    """Only solvers/rng.py steps an xorshift state (the multiplier of xorshift64*)."""
    own = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if re.search(r"0x2545F4914F6CDD1D|2685821657736338717", p.read_text("utf-8"), re.I)
    ]
    assert own == ["solvers/rng.py"]
