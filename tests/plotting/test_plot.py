"""Plots: each function draws on a given Axes or a new one and returns it; bad input errors."""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from seating.errors import InputError
from seating.models import PastDinner
from seating.plotting import (
    cluster_order,
    plot_contacts,
    plot_member_network,
    plot_over_season,
    plot_pair_matrix,
)
from seating.policies.season_metrics import member_table, over_season, pair_matrix

SEASON = [
    PastDinner(date=dt.date(2027, 1, 1), tables=[["a", "b", "c"], ["d", "e", "f"]]),
    PastDinner(date=dt.date(2027, 2, 1), tables=[["a", "b", "c"], ["d", "e"], ["f"]]),
    PastDinner(date=dt.date(2027, 3, 1), tables=[["a", "d"], ["b", "e"], ["c", "f"]]),
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def over_time() -> pd.DataFrame:
    frames = []
    for policy, season in (("x", SEASON), ("y", SEASON[:1] * 3)):
        for seed in (0, 1):
            frames.append(over_season(season).assign(policy=policy, seed=seed))
    return pd.concat(frames, ignore_index=True)


def test_pair_matrix_heatmap():
    ax = plot_pair_matrix(SEASON)
    assert isinstance(ax, Axes)
    image = ax.get_images()[0].get_array()
    assert image.shape == (6, 6) and image.max() == 2
    _, given = plt.subplots()
    assert plot_pair_matrix(pair_matrix(SEASON), ax=given, order="given", title="t") is given
    assert (given.get_images()[0].get_array() == pair_matrix(SEASON).to_numpy()).all()
    assert given.get_title() == "t"
    with pytest.raises(InputError, match="order"):
        plot_pair_matrix(SEASON, order="alphabet")


def test_cluster_order_is_a_permutation_that_keeps_groups_together():
    counts = pair_matrix(SEASON[:2]).to_numpy()
    order = cluster_order(counts)
    assert sorted(order.tolist()) == list(range(6))
    first = set(order[:3].tolist())
    assert first in ({0, 1, 2}, {3, 4, 5})
    assert cluster_order(np.zeros((0, 0))).size == 0


def test_over_season_per_policy():
    ax = plot_over_season(over_time(), "strong_ties")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["x", "y"]
    assert len(ax.get_lines()) == 2
    _, given = plt.subplots()
    one = over_season(SEASON)
    assert plot_over_season(one, ax=given) is given
    assert np.allclose(given.get_lines()[0].get_ydata(), one["pair_coverage"])
    with pytest.raises(InputError, match="not a column"):
        plot_over_season(over_time(), "happiness")
    with pytest.raises(InputError, match="no season"):
        plot_over_season(over_time(), policies=["z"])


def test_contacts_distribution():
    table = pd.concat(
        [member_table(SEASON).assign(policy="x"), member_table(SEASON[:1]).assign(policy="y")]
    )
    ax = plot_contacts(table)
    assert len(ax.patches) == 2
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("x (median") and labels[1].startswith("y")
    _, given = plt.subplots()
    assert plot_contacts({"x": [1, 2, 3]}, ax=given) is given
    with pytest.raises(InputError, match="needs columns"):
        plot_contacts(table, column="karma")


def test_member_network():
    ax = plot_member_network(SEASON, "a", names={"a": "Ann"})
    assert ax.get_title() == "Ann: 3 contacts, 5 table-mate meetings"
    _, given = plt.subplots()
    assert plot_member_network(pair_matrix(SEASON), "f", ax=given) is given
    lonely = [PastDinner(date=dt.date(2027, 1, 1), tables=[["a"], ["b", "c"]])]
    ax = plot_member_network(lonely, "a")
    assert "no table mates" in ax.texts[0].get_text()
    with pytest.raises(InputError, match="sat at none"):
        plot_member_network(SEASON, "zz")
