"""Plots of simulated seasons, one function per plot; each takes ``ax=None`` and returns the Axes.

- :func:`plot_pair_matrix`: who met whom how often, as a heatmap;
- :func:`plot_over_season`: pair coverage (or strong ties, contacts) dinner by dinner, per policy;
- :func:`plot_contacts`: the distribution of contacts per member, per policy;
- :func:`plot_member_network`: the meeting network of one member.

The data come from :mod:`seating.policies.season_metrics` and
:class:`seating.policies.simulate.SimulationResult`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

from seating.errors import InputError
from seating.models import PastDinner
from seating.policies.season_metrics import pair_matrix

_LABELS = {
    "pair_coverage": "pair coverage (share of all pairs who met)",
    "strong_ties": "strong ties (pairs met >= 5 times)",
    "contacts_mean": "distinct contacts per member (mean)",
    "contacts": "distinct contacts",
    "new_contacts": "new contacts",
}


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


def _matrix(
    data: pd.DataFrame | Sequence[PastDinner], members: Iterable[str] | None
) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data if members is None else data.loc[list(members), list(members)]
    return pair_matrix(list(data), members)


def cluster_order(counts: np.ndarray) -> np.ndarray:
    """An order of members that puts those who meet often next to each other.

    Greedy chaining: start from the member with the most meetings, then repeatedly take the
    unplaced member who met the last placed one most often (the most active one when nobody
    did). Circles and deepened groups show as blocks along the diagonal.
    """
    n = counts.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    total = counts.sum(axis=1).astype(np.float64)
    placed = np.zeros(n, dtype=bool)
    order = [int(np.argmax(total))]
    placed[order[0]] = True
    for _ in range(n - 1):
        row = np.where(placed, -1.0, counts[order[-1]] + total / (total.max() + 1.0) * 0.5)
        best = int(np.argmax(row))
        if counts[order[-1], best] <= 0:
            best = int(np.argmax(np.where(placed, -1.0, total)))
        order.append(best)
        placed[best] = True
    return np.array(order, dtype=np.int64)


def plot_pair_matrix(
    data: pd.DataFrame | Sequence[PastDinner],
    *,
    members: Iterable[str] | None = None,
    order: str = "cluster",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Heatmap of how often each pair of members sat together.

    Parameters
    ----------
    data
        A pair-meeting matrix (:func:`seating.policies.season_metrics.pair_matrix`) or seated
        dinners.
    members
        Restrict to (and order by) these members.
    order
        ``"cluster"`` (members who meet often next to each other, see :func:`cluster_order`)
        or ``"given"`` (as in ``data``/``members``).
    ax
        Axes to draw on (default: a new figure).
    title
        Axes title.
    """
    if order not in ("cluster", "given"):
        raise InputError(f"order: expected 'cluster' or 'given' (got {order!r})")
    matrix = _matrix(data, members)
    counts = matrix.to_numpy()
    if order == "cluster":
        idx = cluster_order(counts)
        counts = counts[np.ix_(idx, idx)]
    ax = _axes(ax)
    top = max(1, int(counts.max(initial=0)))
    image = ax.imshow(counts, cmap="magma_r", vmin=0, vmax=top, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label="times sat together", shrink=0.8)
    ax.set_xlabel("member")
    ax.set_ylabel("member")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or f"pair meetings ({counts.shape[0]} members)")
    return ax


def plot_over_season(
    over_time: pd.DataFrame,
    metric: str = "pair_coverage",
    *,
    ax: Axes | None = None,
    policies: Sequence[str] | None = None,
) -> Axes:
    """A metric after each dinner of the season, one line per policy (median over seeds, the
    band spans the seeds' minimum to maximum).

    Parameters
    ----------
    over_time
        :attr:`seating.policies.simulate.SimulationResult.over_time` (columns ``policy``, ``seed``,
        ``dinner`` and the metric), or :func:`seating.policies.season_metrics.over_season` of one
        season.
    metric
        ``pair_coverage``, ``strong_ties`` or ``contacts_mean``.
    ax
        Axes to draw on (default: a new figure).
    policies
        Which policies to draw, in order (default: all).
    """
    if metric not in over_time.columns:
        raise InputError(f"metric: {metric!r} is not a column ({', '.join(over_time.columns)})")
    frame = over_time if "policy" in over_time.columns else over_time.assign(policy="season")
    names = list(policies) if policies is not None else list(dict.fromkeys(frame["policy"]))
    ax = _axes(ax)
    for name in names:
        rows = frame[frame["policy"] == name]
        if rows.empty:
            raise InputError(f"policies: no season simulated for {name!r}")
        stats = rows.groupby("dinner")[metric].agg(["median", "min", "max"])
        (line,) = ax.plot(stats.index, stats["median"], label=name, linewidth=2)
        if len(rows) > len(stats):
            ax.fill_between(
                stats.index, stats["min"], stats["max"], color=line.get_color(), alpha=0.15
            )
    ax.set_xlabel("dinner")
    ax.set_ylabel(_LABELS.get(metric, metric))
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    return ax


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
    ax = _axes(ax)
    for policy, v in groups.items():
        ax.hist(
            v, bins=edges, histtype="step", linewidth=2, label=f"{policy} (median {np.median(v):g})"
        )
    ax.set_xlabel(_LABELS.get(column, column) + " per member")
    ax.set_ylabel("members")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    return ax


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
    matrix = _matrix(data, None)
    if member not in matrix.index:
        raise InputError(f"member: {member!r} sat at none of these dinners")
    row = matrix.loc[member]
    contacts = row[row > 0].sort_values(ascending=False, kind="stable")
    ax = _axes(ax)
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
