"""Readable plan quality: repeat and new pairs, most meetings of a pair, repeats per member."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from seating.compile.objective import same_table
from seating.compile.problem import DinnerProblem
from seating.result import Metrics


def dinner_metrics(problem: DinnerProblem, table_of: np.ndarray) -> Metrics:
    """Metrics of one seated dinner (see :class:`~seating.result.Metrics`)."""
    seated = np.triu(same_table(np.asarray(table_of)), 1)
    repeat = seated & problem.met_before
    per_member = (repeat | repeat.T).sum(axis=1)
    meetings = problem.meetings[seated] + 1
    return Metrics(
        repeat_pairs=int(repeat.sum()),
        new_pairs=int((seated & ~problem.met_before).sum()),
        max_meetings=int(meetings.max(initial=0)),
        members_with_repeats=int((per_member > 0).sum()),
        max_repeats_per_member=int(per_member.max(initial=0)),
    )


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
