"""The meeting network of one member: whom they met, and how those met each other."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from seating.errors import InputError
from seating.models import PastDinner
from seating.plotting._common import axes, pair_counts


def plot_member_network(
    data: pd.DataFrame | Sequence[PastDinner],
    member: str,
    *,
    names: Mapping[str, str] | None = None,
    label_top: int = 8,
    min_among: int = 2,
    ax: Axes | None = None,
) -> Axes:
    """The meeting network of one member: everyone they sat with, on a circle around them.

    Spokes from the member are as thick as the number of meetings; contacts who also met each
    other at least ``min_among`` times are joined by thin grey lines. Contacts are placed by
    meetings with the member (most met at the top, going clockwise).

    Parameters
    ----------
    data
        A pair-meeting matrix or seated dinners.
    member
        The member at the centre.
    names
        Display names by member id (default: ids).
    label_top
        Label this many most-met contacts.
    min_among
        Meetings between two contacts for a grey line between them.
    ax
        Axes to draw on (default: a new figure).
    """
    matrix = pair_counts(data, None)
    if member not in matrix.index:
        raise InputError(f"member: {member!r} sat at none of these dinners")
    row = matrix.loc[member]
    contacts = row[row > 0].sort_values(ascending=False, kind="stable")
    ax = axes(ax)
    ax.set_aspect("equal")
    ax.axis("off")
    names = names or {}
    centre = names.get(member, member)
    if contacts.empty:
        ax.text(0, 0, f"{centre}\n(no table mates)", ha="center", va="center")
        return ax
    k = len(contacts)
    angle = np.pi / 2 - 2 * np.pi * np.arange(k) / k
    xy = np.column_stack((np.cos(angle), np.sin(angle)))
    ids = list(contacts.index)
    among = matrix.loc[ids, ids].to_numpy()
    ii, jj = np.nonzero(np.triu(among >= max(1, min_among), 1))
    if ii.size:
        ax.add_collection(
            LineCollection(
                [(xy[i], xy[j]) for i, j in zip(ii, jj, strict=True)],
                colors="0.55",
                linewidths=0.4,
                alpha=0.35,
                zorder=1,
            )
        )
    weights = contacts.to_numpy(dtype=np.float64)
    ax.add_collection(
        LineCollection(
            [((0.0, 0.0), tuple(p)) for p in xy],
            linewidths=0.3 + 2.7 * weights / weights.max(),
            colors="tab:blue",
            alpha=0.6,
            zorder=2,
        )
    )
    scatter = ax.scatter(
        xy[:, 0], xy[:, 1], c=weights, cmap="viridis", s=30, zorder=3, vmin=1, vmax=weights.max()
    )
    ax.figure.colorbar(scatter, ax=ax, label=f"times sat with {centre}", shrink=0.7)
    ax.scatter([0], [0], s=200, color="tab:red", zorder=4)
    ax.text(0, -0.1, centre, ha="center", va="top", fontweight="bold", zorder=5)
    for p in range(min(label_top, k)):
        # Radial labels: neighbours on the circle do not overlap.
        degrees = float(np.degrees(angle[p])) % 360
        left = 90 < degrees < 270
        ax.text(
            1.08 * xy[p, 0],
            1.08 * xy[p, 1],
            names.get(ids[p], ids[p]),
            rotation=degrees - 180 if left else degrees,
            rotation_mode="anchor",
            ha="right" if left else "left",
            va="center",
            fontsize=7,
        )
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.6, 1.6)
    ax.set_title(f"{centre}: {k} contacts, {int(weights.sum())} table-mate meetings")
    return ax
