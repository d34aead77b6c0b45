"""Lower bounds of a season."""

import math

import numpy as np
import pytest

from seating.season.bounds import _cheapest, min_pairs, season_bounds
from seating.season.golf import golf_problem
from seating.season.model import build_model


@pytest.mark.parametrize(
    ("g", "s", "w"), [(8, 4, 9), (8, 4, 12), (4, 4, 5), (4, 4, 6), (7, 7, 10), (2, 2, 5)]
)
def test_classic_counting_bounds(g, s, w):
    problem = golf_problem(g, s, w)
    model = build_model(problem)
    bounds = season_bounds(problem, model.dinners, model.player_ids)
    v = g * s
    pairs = w * g * math.comb(s, 2)
    assert bounds.repeats == max(0, pairs - math.comb(v, 2))
    assert bounds.max_meetings == math.ceil(pairs / math.comb(v, 2))
    assert bounds.objective >= bounds.repeats  # sum C(m, 2) >= sum (m - 1)


def test_adjacent_sizes_bound():
    problem = golf_problem(7, 7, 10, players=50)
    model = build_model(problem)
    bounds = season_bounds(problem, model.dinners, model.player_ids)
    assert bounds.repeats == 10 * (28 + 6 * 21) - math.comb(50, 2) == 315


def test_min_pairs_spreads_attendees():
    assert min_pairs(np.array([8, 8, 8]), 18) == 3 * math.comb(6, 2)
    assert min_pairs(np.array([2, 10]), 10) == 1 + math.comb(8, 2)


def test_cheapest_units():
    # item 0 offers costs 0, 1, 2; item 1 offers 1, 2
    assert _cheapest(np.array([0, 1]), np.array([3, 2]), 3) == 0 + 1 + 1
    assert _cheapest(np.array([0, 1]), np.array([3, 2]), 5) == 0 + 1 + 2 + 1 + 2
