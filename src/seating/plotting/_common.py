"""What the plots share: axis labels of the season metrics, a fresh Axes, a pair matrix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from matplotlib.axes import Axes

from seating.models import PastDinner
from seating.policies.season_metrics import pair_matrix

LABELS = {
    "pair_coverage": "pair coverage (share of all pairs who met)",
    "strong_ties": "strong ties (pairs met >= 5 times)",
    "contacts_mean": "distinct contacts per member (mean)",
    "contacts": "distinct contacts",
    "new_contacts": "new contacts",
}


def axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


def pair_counts(
    data: pd.DataFrame | Sequence[PastDinner], members: Iterable[str] | None
) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data if members is None else data.loc[list(members), list(members)]
    return pair_matrix(list(data), members)
