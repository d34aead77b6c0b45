"""The distribution of contacts per member, one histogram per policy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from seating.errors import InputError
from seating.plotting._common import LABELS, axes


def plot_contacts(
    members: pd.DataFrame | Mapping[str, Sequence[float]],
    column: str = "contacts",
    *,
    ax: Axes | None = None,
    bins: int = 30,
) -> Axes:
    """Distribution of contacts per member, one outline histogram per policy.

    Parameters
    ----------
    members
        :meth:`seating.policies.simulate.SimulationResult.member_table` (columns ``policy`` and
        ``column``; members who attended no dinner are left out), or ``{policy: values}``.
    column
        ``contacts``, ``new_contacts`` or ``strong_ties``.
    ax
        Axes to draw on (default: a new figure).
    bins
        Histogram bins (shared by the policies).
    """
    if isinstance(members, pd.DataFrame):
        if column not in members.columns or "policy" not in members.columns:
            raise InputError(f"members: needs columns 'policy' and {column!r}")
        present = members[members["dinners"] > 0] if "dinners" in members.columns else members
        groups = {p: g[column].to_numpy() for p, g in present.groupby("policy", sort=False)}
    else:
        groups = {p: np.asarray(v) for p, v in members.items()}
    values = [v for v in groups.values() if len(v)]
    top = max((float(np.max(v)) for v in values), default=1.0)
    edges = np.linspace(0, max(top, 1.0), bins + 1)
    ax = axes(ax)
    for policy, v in groups.items():
        ax.hist(
            v, bins=edges, histtype="step", linewidth=2, label=f"{policy} (median {np.median(v):g})"
        )
    ax.set_xlabel(LABELS.get(column, column) + " per member")
    ax.set_ylabel("members")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    return ax
