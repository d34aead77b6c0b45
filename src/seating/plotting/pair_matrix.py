"""Who met whom how often, as a heatmap (members in a clustered order)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from seating.errors import InputError
from seating.models import PastDinner
from seating.plotting._common import axes, pair_counts


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
    matrix = pair_counts(data, members)
    counts = matrix.to_numpy()
    if order == "cluster":
        idx = cluster_order(counts)
        counts = counts[np.ix_(idx, idx)]
    ax = axes(ax)
    top = max(1, int(counts.max(initial=0)))
    image = ax.imshow(counts, cmap="magma_r", vmin=0, vmax=top, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label="times sat together", shrink=0.8)
    ax.set_xlabel("member")
    ax.set_ylabel("member")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or f"pair meetings ({counts.shape[0]} members)")
    return ax
