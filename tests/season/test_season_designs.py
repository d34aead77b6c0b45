"""Constructions from design theory are certificates: checked to have zero repeats."""

import math

import numpy as np
import pytest

from seating.season import designs
from seating.season.gf import field, prime_power


@pytest.mark.parametrize("q", [2, 3, 4, 5, 7, 8, 9])
def test_field_tables_are_a_field(q):
    add, mul = field(q)
    assert (add[0] == np.arange(q)).all() and (mul[1] == np.arange(q)).all()
    for x in range(1, q):  # every nonzero element has an inverse
        assert (mul[x] == 1).sum() == 1
    assert (add == add.T).all() and (mul == mul.T).all()


def test_prime_power():
    assert prime_power(8) == (2, 3) and prime_power(9) == (3, 2) and prime_power(7) == (7, 1)
    assert prime_power(6) is None and prime_power(10) is None and prime_power(1) is None


@pytest.mark.parametrize("q", [2, 3, 4, 5, 7, 8, 9])
def test_affine_plane_meets_every_pair_once(q):
    schedule = designs.affine_plane(q)
    assert schedule.shape == (q + 1, q, q)
    assert designs.is_resolvable(schedule, q * q)
    counts = designs.meeting_counts(schedule, q * q)
    assert (counts[~np.eye(q * q, dtype=bool)] == 1).all()


@pytest.mark.parametrize("n", [3, 4, 5, 12, 15])
def test_latin_squares_schedule_has_no_repeat(n):
    squares = designs.mols(n)
    schedule = designs.mols_schedule(n, len(squares) + 2)
    assert schedule is not None and designs.is_resolvable(schedule, n * n)
    assert designs.repeats(schedule, n * n) == 0
    assert designs.mols_schedule(n, len(squares) + 3) is None


@pytest.mark.parametrize(("g", "s", "w"), [(5, 3, 7), (6, 3, 8), (8, 4, 9), (9, 3, 13)])
def test_cyclic_designs_are_repeat_free(g, s, w):
    for found in (
        designs.construct(g, s, w, seed=0, iterations=30_000).schedule,
        # The search itself (construct prefers the stored table for 8-4-9).
        designs.cyclic_schedule(g, s, w, seed=0, iterations=30_000),
    ):
        assert found is not None
        assert found.shape == (w, g, s)
        assert designs.is_resolvable(found, g * s)
        assert designs.repeats(found, g * s) == 0


def test_kirkman_schoolgirls_is_complete():
    found = designs.construct(5, 3, 7, seed=1, iterations=30_000)
    assert found is not None and found.complete
    counts = designs.meeting_counts(found.schedule, 15)
    assert (counts[~np.eye(15, dtype=bool)] == 1).all()


@pytest.mark.parametrize(("g", "s", "w"), [(4, 4, 7), (3, 3, 9), (5, 3, 10)])
def test_concatenation_meets_the_counting_bounds(g, s, w):
    found = designs.construct(g, s, w, seed=2, iterations=30_000)
    assert found is not None and "relabelled copies" in found.name
    v = g * s
    bound = w * g * math.comb(s, 2) - math.comb(v, 2)
    assert designs.repeats(found.schedule, v) == bound
    most = math.ceil(w * g * math.comb(s, 2) / math.comb(v, 2))
    assert designs.meeting_counts(found.schedule, v).max() == most


def test_no_construction_for_bad_parameters():
    assert designs.construct(0, 3, 2) is None
    assert designs.construct(3, 1, 2) is None
    assert designs.construct(1, 4, 3).schedule.shape == (3, 1, 4)
