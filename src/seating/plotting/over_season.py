"""A season metric dinner by dinner, one line per policy."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes

from seating.errors import InputError
from seating.plotting._common import LABELS, axes


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
    ax = axes(ax)
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
    ax.set_ylabel(LABELS.get(metric, metric))
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    return ax
