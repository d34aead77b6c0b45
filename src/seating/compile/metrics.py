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
from seating.result import Metrics, NewcomerMetrics


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
    """Metrics of one seated compiled dinner: :func:`seating_metrics` with its meetings, and
    with the newcomer rule, how newcomers were seated."""
    metrics = seating_metrics(problem.meetings, table_of)
    if problem.table_rules.newcomer_dinners is None:
        return metrics
    return metrics.model_copy(update={"newcomers": newcomer_metrics(problem, table_of)})


def newcomer_metrics(problem: DinnerProblem, table_of: np.ndarray) -> NewcomerMetrics:
    """How the newcomers of a seated compiled dinner were seated."""
    table_of = np.asarray(table_of)
    rules = problem.table_rules
    fresh = np.asarray(rules.newcomer, dtype=bool)
    hosted = np.zeros(problem.num_tables, dtype=bool)
    hosted[problem.host_table[problem.host_table >= 0]] = True
    long_standing = np.zeros(problem.num_tables, dtype=bool)
    long_standing[table_of[~fresh & (problem.host_table < 0)]] = True
    per_table = np.bincount(table_of[fresh], minlength=problem.num_tables)
    return NewcomerMetrics(
        newcomers=int(fresh.sum()),
        tables=int((per_table > 0).sum()),
        with_host=int(hosted[table_of[fresh]].sum()),
        with_long_standing=int(long_standing[table_of[fresh]].sum()),
        most_at_a_table=int(per_table.max(initial=0)),
    )


def combine(metrics: Iterable[Metrics]) -> Metrics:
    """Season totals: counts add up (members_with_repeats counts member-dinners), maxima take
    the maximum."""
    items = list(metrics)
    newcomers = [m.newcomers for m in items if m.newcomers is not None]
    return Metrics(
        newcomers=NewcomerMetrics(
            newcomers=sum(m.newcomers for m in newcomers),
            tables=sum(m.tables for m in newcomers),
            with_host=sum(m.with_host for m in newcomers),
            with_long_standing=sum(m.with_long_standing for m in newcomers),
            most_at_a_table=max(m.most_at_a_table for m in newcomers),
        )
        if newcomers
        else None,
        repeat_pairs=sum(m.repeat_pairs for m in items),
        new_pairs=sum(m.new_pairs for m in items),
        max_meetings=max((m.max_meetings for m in items), default=0),
        members_with_repeats=sum(m.members_with_repeats for m in items),
        max_repeats_per_member=max((m.max_repeats_per_member for m in items), default=0),
    )
