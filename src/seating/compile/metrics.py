"""Readable plan quality: repeat and new pairs, most meetings of a pair, repeats per member.

The one place plan quality is computed: a solved dinner (:func:`dinner_metrics`), a season
judged dinner by dinner (:mod:`seating.season.evaluate`, summed with :func:`combine`), the
season metrics of the notebooks (:mod:`seating.policies.season_metrics`, through
:func:`seating.compile.objective.mates_met_before`) and the command line's tables all read it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from seating.compile.objective import mates_met_before, same_table
from seating.compile.problem import DinnerProblem
from seating.result import Metrics


def seating_metrics(meetings: np.ndarray, table_of: np.ndarray) -> Metrics:
    """Metrics of one seated dinner (see :class:`~seating.result.Metrics`).

    Parameters
    ----------
    meetings
        ``(n, n)`` earlier meetings of each pair of the seated people (zero diagonal).
    table_of
        ``(n,)`` the table of each seated person.
    """
    table_of = np.asarray(table_of)
    seated = np.triu(same_table(table_of), 1)
    met_before = meetings > 0
    per_member = mates_met_before(met_before, table_of)
    return Metrics(
        repeat_pairs=int((seated & met_before).sum()),
        new_pairs=int((seated & ~met_before).sum()),
        max_meetings=int((meetings[seated] + 1).max(initial=0)),
        members_with_repeats=int((per_member > 0).sum()),
        max_repeats_per_member=int(per_member.max(initial=0)),
    )


def dinner_metrics(problem: DinnerProblem, table_of: np.ndarray) -> Metrics:
    """Metrics of one seated compiled dinner: :func:`seating_metrics` with its meetings."""
    return seating_metrics(problem.meetings, table_of)


def combine(metrics: Iterable[Metrics]) -> Metrics:
    """Season totals: counts add up (members_with_repeats counts member-dinners), maxima take
    the maximum."""
    items = list(metrics)
    return Metrics(
        repeat_pairs=sum(m.repeat_pairs for m in items),
        new_pairs=sum(m.new_pairs for m in items),
        max_meetings=max((m.max_meetings for m in items), default=0),
        members_with_repeats=sum(m.members_with_repeats for m in items),
        max_repeats_per_member=max((m.max_repeats_per_member for m in items), default=0),
    )
