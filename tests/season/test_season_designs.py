"""Constructions from design theory are certificates: checked to have zero repeats."""

import math

import numpy as np
import pytest

from seating.compile.meetings import schedule_counts
from seating.season.constructions import cyclic as _cyclic
from seating.season.constructions import designs
from seating.season.constructions.gf import field, prime_power
from seating.stop import TimeBudget


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
    counts = schedule_counts(schedule, q * q)
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
    counts = schedule_counts(found.schedule, 15)
    assert (counts[~np.eye(15, dtype=bool)] == 1).all()


@pytest.mark.parametrize(("g", "s", "w"), [(4, 4, 7), (3, 3, 9), (5, 3, 10)])
def test_concatenation_meets_the_counting_bounds(g, s, w):
    found = designs.construct(g, s, w, seed=2, iterations=30_000)
    assert found is not None and "relabelled copies" in found.name
    v = g * s
    bound = w * g * math.comb(s, 2) - math.comb(v, 2)
    assert designs.repeats(found.schedule, v) == bound
    most = math.ceil(w * g * math.comb(s, 2) / math.comb(v, 2))
    assert schedule_counts(found.schedule, v).max() == most


def test_no_construction_for_bad_parameters():
    assert designs.construct(0, 3, 2) is None
    assert designs.construct(3, 1, 2) is None
    assert designs.construct(1, 4, 3).schedule.shape == (3, 1, 4)


class _FakeClock:
    """Seconds that move only when a test says so: ``step`` seconds per compiled piece."""

    def __init__(self, step: float = 0.0, now: float = 0.0) -> None:
        self.now, self.step, self.pieces = now, step, 0

    def __call__(self) -> float:
        return self.now

    def piece_done(self) -> None:
        self.pieces += 1
        self.now += self.step


def _count_pieces(monkeypatch, clock: _FakeClock) -> None:
    """Wrap the compiled search steps so that each piece advances ``clock``."""
    steps = _cyclic._steps

    def counted(*args):
        clock.piece_done()
        return steps(*args)

    monkeypatch.setattr(_cyclic, "_steps", counted)


def _stalling_search():
    """The 10-10-11 cyclic search (Z_11, 9 levels, one fixed point): it never succeeds here."""
    orbit, forb = designs._orbits(11, 9, 1)
    return orbit, forb, np.empty((1, 10, 10), dtype=np.int64)


def test_cyclic_search_stops_at_the_deadline(monkeypatch):
    """A search of 10**9 steps with a deadline runs pieces only while the clock is before it:
    each piece here 'takes' 0.3 s, so a deadline of 1 s allows four pieces, then it stops."""
    clock = _FakeClock(step=0.3)
    _count_pieces(monkeypatch, clock)
    orbit, forb, out = _stalling_search()
    conflicts, steps = _cyclic.search_base_classes(
        orbit, forb, 1, 10, 10, 10**9, 0, out, stop=TimeBudget(1.0, clock=clock)
    )
    assert clock.pieces == 4 and clock.now >= 1.0
    assert conflicts > 0 and _cyclic.FIRST_PIECE <= steps < 10**9


def test_cyclic_search_in_pieces_is_the_search_in_one_call():
    """Before its deadline the search runs the very steps of one compiled call."""
    orbit, forb, out = _stalling_search()
    whole = _cyclic.search_base_classes(orbit, forb, 1, 10, 10, 3_000, 5, out)
    first = out.copy()
    pieces = _cyclic.search_base_classes(
        orbit, forb, 1, 10, 10, 3_000, 5, out, stop=TimeBudget(1.0, clock=_FakeClock())
    )
    assert pieces == whole and whole[1] == 3_000
    assert np.array_equal(out, first)


def test_no_cyclic_search_after_the_deadline(monkeypatch):
    """With the deadline passed the cyclic search starts no piece and finds nothing; without
    one it finds the Kirkman triple system."""
    assert designs.cyclic_schedule(5, 3, 7, seed=0, iterations=30_000) is not None
    clock = _FakeClock(now=2.0)
    _count_pieces(monkeypatch, clock)
    late = {"stop": TimeBudget(0.0, clock=clock)}
    assert designs.cyclic_schedule(5, 3, 7, seed=0, iterations=30_000, **late) is None
    assert designs.construct(6, 3, 8, seed=0, iterations=30_000, **late) is None
    assert clock.pieces == 0


@pytest.mark.parametrize(
    ("g", "s", "w", "name"),
    [(5, 5, 6, "affine plane"), (10, 10, 4, "Latin squares"), (8, 4, 10, "stored 8-4-10"),
     (4, 4, 7, "relabelled copies")],
)  # fmt: skip
def test_direct_constructions_ignore_the_deadline(g, s, w, name):
    """The fast constructions run even when the deadline has passed."""
    found = designs.construct(g, s, w, stop=TimeBudget(0.0, clock=_FakeClock(now=2.0)))
    assert found is not None and name in found.name
    assert designs.repeats(found.schedule[: designs.max_rounds(g, s)], g * s) == 0
