"""Designs for single classic instances: 2 MOLS(10), a packing of PG(3,3), the 8-4-10 table."""

import math

import numpy as np
import pytest

from seating.compile.meetings import schedule_counts
from seating.result import Status
from seating.season.constructions import derived_8_4_10, designs, known_designs, pg
from seating.season.golf import golf_problem
from seating.season.planner import SeasonSettings, plan_season

QUICK = SeasonSettings(max_iterations=300, greedy_runs=2, construction_iterations=5_000)


def assert_repeat_free(schedule: np.ndarray, shape: tuple[int, int, int]) -> None:
    _, g, s = shape
    assert schedule.shape == shape
    assert designs.is_resolvable(schedule, g * s)
    assert designs.repeats(schedule, g * s) == 0


def test_bose_shrikhande_parker_squares_are_orthogonal():
    squares = known_designs.mols10()
    assert len(squares) == 2
    for square in squares:
        assert (np.sort(square, axis=0) == np.arange(10)[:, None]).all()  # columns
        assert (np.sort(square, axis=1) == np.arange(10)[None, :]).all()  # rows
    pairs = set(zip(squares[0].ravel().tolist(), squares[1].ravel().tolist(), strict=True))
    assert len(pairs) == 100


def test_quasi_difference_matrix_has_one_blank_per_base_column():
    base = known_designs._quasi_difference_columns()
    assert base is not None
    assert ((base == -1) == np.eye(4, dtype=bool)).all()


def test_mols_of_order_10_give_the_10_10_4_schedule():
    assert len(designs.mols(10)) == 2
    assert_repeat_free(designs.mols_schedule(10, 4), (4, 10, 10))
    assert designs.mols_schedule(10, 5) is None


@pytest.mark.parametrize("q", [2, 3])
def test_projective_space_counts(q):
    points, lines = pg.projective_space(q)
    assert len(points) == (q**2 + 1) * (q + 1)
    assert len(lines) == (q**2 + 1) * (q**2 + q + 1)
    assert all(len(line) == q + 1 for line in lines)
    # Two points lie on exactly one line.
    v = len(points)
    counts = np.zeros((v, v), dtype=np.int64)
    for line in lines:
        idx = sorted(line)
        counts[np.ix_(idx, idx)] += 1
    assert (counts[~np.eye(v, dtype=bool)] == 1).all()


@pytest.mark.parametrize("q", [2, 3])
def test_pg3_packing_is_a_complete_resolvable_design(q):
    packing = pg.pg3_packing(q)
    assert packing is not None
    g, s, w = q * q + 1, q + 1, q * q + q + 1
    v = g * s
    assert_repeat_free(packing, (w, g, s))
    counts = schedule_counts(packing, v)
    assert (counts[~np.eye(v, dtype=bool)] == 1).all()


def test_pg3_packing_rejects_non_prime_powers():
    assert pg.pg3_packing(6) is None


def test_stored_8_4_10_schedule_is_repeat_free():
    schedule = derived_8_4_10.sgp_8_4_10()
    assert_repeat_free(schedule, (10, 8, 4))
    # The symmetry the derivation assumed: 4h + c -> 4(h xor t) + c maps every round to itself.
    for t in range(8):
        moved = 4 * ((schedule // 4) ^ t) + schedule % 4
        for before, after in zip(schedule, moved, strict=True):
            assert sorted(map(sorted, before.tolist())) == sorted(map(sorted, after.tolist()))


@pytest.mark.parametrize(
    ("g", "s", "w", "name"),
    [
        (10, 10, 4, "Bose-Shrikhande-Parker"),
        (10, 4, 13, "packing of PG(3,3)"),
        (8, 4, 10, "8-4-10"),
        (10, 4, 7, "packing of PG(3,3)"),
        (8, 4, 9, "8-4-10"),
    ],
)
def test_construct_uses_the_known_designs(g, s, w, name):
    found = designs.construct(g, s, w)
    assert found is not None and name in found.name
    assert_repeat_free(found.schedule, (w, g, s))
    assert found.complete == (w * g * math.comb(s, 2) == math.comb(g * s, 2))


@pytest.mark.parametrize("w", [14, 26, 30])
def test_more_rounds_than_10_4_13_meet_the_counting_bounds(w):
    found = designs.construct(10, 4, w)
    assert found is not None and "relabelled copies of the packing of PG(3,3)" in found.name
    assert designs.is_resolvable(found.schedule, 40)
    assert designs.repeats(found.schedule, 40) == w * 10 * 6 - math.comb(40, 2)
    assert schedule_counts(found.schedule, 40).max() == math.ceil(w * 60 / 780)


@pytest.mark.parametrize(("g", "s", "w"), [(10, 10, 4), (10, 4, 13), (8, 4, 10), (10, 4, 14)])
def test_planner_certifies_the_known_designs(g, s, w):
    result = plan_season(golf_problem(g, s, w), time_limit=600, seed=0, settings=QUICK)
    assert result.status is Status.OPTIMAL and result.stats["certificate"]
    assert result.metrics.repeat_pairs == result.stats["lower_bounds"]["repeats"]
    assert result.method == "season:construction"
    if w * g * math.comb(s, 2) <= math.comb(g * s, 2):
        assert result.metrics.repeat_pairs == 0
