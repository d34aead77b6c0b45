"""The exact season objective of a plan, recomputed with the core's own reference code.

Dinner k is compiled with dinners ``0 .. k-1`` of the plan as history
(:func:`seating.compile.problem.compile_dinner`), then judged by
:func:`seating.compile.objective.objective`
and :func:`seating.compile.objective.violations`: the same definitions every core solver is held to.

Compiling dinner k from scratch reads the whole history plus k planned dinners, so a season
would cost time quadratic in its length. :class:`SeasonHistory` keeps the meeting statistics
(counts, faded counts, age of the last meeting) of every member up to date dinner by dinner
instead, and builds each dinner as ``compile_dinner`` does: the dinner compiled without
history, with the history-dependent parts (pair weights via the core's
:func:`seating.compile.policy.pair_weights`, meetings, cooldown) filled in from those statistics.
When the planned dinners are not dated after the history and in order (the core sorts by
date, so ages would shift), it falls back to ``compile_dinner`` itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from seating.compile.history import MeetingHistory, past_meetings
from seating.compile.meetings import table_indices, table_pairs
from seating.compile.metrics import combine, dinner_metrics
from seating.compile.objective import objective, violations
from seating.compile.plans import as_past, dinner_plan, table_index
from seating.compile.policy import pair_weights
from seating.compile.problem import DinnerProblem, compile_dinner, cooldown_forbidden, met_within
from seating.compile.table_rules import compile_table_rules
from seating.models import PastDinner, ProblemInput
from seating.result import DinnerPlan, Metrics


@dataclass
class SeasonEvaluation:
    """A season plan judged dinner by dinner."""

    objective: float
    objectives: list[float]
    violations: list[str]
    metrics: Metrics
    per_dinner: list[Metrics]
    dinners: list[DinnerProblem]
    plans: list[DinnerPlan]

    @property
    def feasible(self) -> bool:
        return not self.violations


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def in_date_order(problem: ProblemInput) -> bool:
    """Whether the planned dinners come after the history and in date order.

    The core sorts history by date (stably) and counts ages in evenings (dates), so only
    then does appending each planned dinner to the history keep every meeting's age, and only
    then is a dinner's share of the season objective the single-dinner problem that
    :mod:`seating.season.blocks` solves.
    """
    dates = [d.date for d in problem.dinners]
    last = max((d.date for d in problem.history), default=None)
    # Strictly after the history: a planned dinner dated on the history's last evening would
    # make that evening's recorded seatings its earlier courses (age 0 with the evening before).
    return all(a <= b for a, b in itertools.pairwise(dates)) and (
        last is None or not dates or last < dates[0]
    )


class SeasonHistory:
    """Dinners of a season compiled one after the other, each with the earlier ones as history,
    in time linear in the number of dinners.

    Call :meth:`compile` for dinner k, then :meth:`add` with its seating, then dinner k + 1.
    """

    def __init__(self, problem: ProblemInput) -> None:
        self.problem = problem
        self.planned: list[PastDinner] = []
        self.incremental = in_date_order(problem)
        if not self.incremental:
            return
        self.base = problem.model_copy(update={"history": []})
        self.index = {m.id: i for i, m in enumerate(problem.members)}
        self.half_life = problem.policy.half_life
        self.meetings = past_meetings(problem.history, self.index, half_life=self.half_life)
        # The planned dinners of the latest date, not yet in ``meetings``: while planning a
        # later course of that evening they are of age 0 like the evening before, so they join
        # the tally (and every earlier meeting fades by one evening) only when a new date starts.
        self.evening: list[PastDinner] = []

    def compile(self, k: int) -> DinnerProblem:
        """Dinner ``k`` with the history and every dinner added so far as its history."""
        if not self.incremental:
            return compile_dinner(self.problem, k, self.planned)
        date = self.problem.dinners[k].date
        if self.evening and self.evening[0].date != date:
            self._close_evening()
        dinner = compile_dinner(self.base, k)
        idx = np.array([self.index[m] for m in dinner.member_ids], dtype=np.int64)
        history = MeetingHistory.of(self.meetings, idx)
        if self.evening:
            history = _with_earlier_courses(history, self.evening, dinner.member_ids)
        forbidden = dinner.forbidden.copy()
        cooldown_pairs: tuple[tuple[int, int], ...] = ()
        cooldown = self.problem.rules.cooldown
        if cooldown is not None:
            # The core's rule, as compile_dinner applies it.
            recent = met_within(history, cooldown)
            blocked, cooldown_pairs = cooldown_forbidden(recent, dinner.groups)
            forbidden |= blocked
        index = {m: i for i, m in enumerate(dinner.member_ids)}
        weights = pair_weights(history, self.problem.policy, index)
        table_rules = dinner.table_rules
        if table_rules.newcomer_dinners is not None:
            # Newcomers are counted over the history and the dinners planned before this one.
            attendees = dinner.member_ids
            past = [*self.problem.history, *self.planned]
            table_rules = compile_table_rules(
                self.problem, self.problem.dinners[k], attendees, past, dinner.host_table
            )
        return replace(
            dinner,
            table_rules=table_rules,
            weights=_frozen(weights),
            meetings=_frozen(history.counts),
            forbidden=_frozen(forbidden),
            cooldown_pairs=cooldown_pairs,
        )

    def add(self, dinner: DinnerProblem, table_of: np.ndarray) -> PastDinner:
        """Record ``dinner`` seated as ``table_of``; return it as a past dinner."""
        past = as_past(dinner_plan(dinner, table_of))
        self.planned.append(past)
        if self.incremental:
            self.evening.append(past)
        return past

    def _close_evening(self) -> None:
        """Move the latest evening's dinners into the tally: every earlier meeting ages by one
        evening, theirs count fully."""
        if self.half_life is not None:
            self.meetings.fade(0.5 ** (1.0 / self.half_life))
        for course, past in enumerate(self.evening):
            self.meetings.add(table_indices(past.tables, self.index), same_evening=course > 0)
        self.evening = []


def _with_earlier_courses(
    history: MeetingHistory, courses: Sequence[PastDinner], members: Sequence[str]
) -> MeetingHistory:
    """``history`` (of ``members``, in this order) with the meetings of the earlier courses of
    the evening being planned: each counts fully and is of age 0, as is the evening before
    (the last one of ``history``)."""
    index = {m: i for i, m in enumerate(members)}
    counts, faded = history.counts.copy(), history.faded.copy()
    # The history's last evening is the one before this: of age 0 already.
    age = history.last_age.copy()
    for past in courses:
        rows, cols = table_pairs(table_indices(past.tables, index))
        counts[rows, cols] += 1
        faded[rows, cols] += 1.0
        age[rows, cols] = 0
    return MeetingHistory(
        counts=counts, faded=faded, last_age=age, num_dinners=history.num_dinners + len(courses)
    )


def evaluate(problem: ProblemInput, plans: Sequence[np.ndarray | DinnerPlan]) -> SeasonEvaluation:
    """Judge a season plan dinner by dinner: objective, broken rules and plan quality.

    Parameters
    ----------
    problem
        The season's problem.
    plans
        Per dinner, a ``table_of`` array (attendee order of the dinner) or a
        :class:`~seating.result.DinnerPlan` that seats every attendee.

    Raises
    ------
    InputError
        A :class:`~seating.result.DinnerPlan` that does not fit its dinner (see
        :func:`seating.compile.plans.table_index` with ``strict``).
    """
    season = SeasonHistory(problem)
    compiled: list[DinnerProblem] = []
    values: list[float] = []
    broken: list[str] = []
    metrics = []
    out: list[DinnerPlan] = []
    for k, plan in enumerate(plans):
        dinner = season.compile(k)
        if isinstance(plan, DinnerPlan):
            table_of = table_index(dinner, plan, strict=True)
        else:
            table_of = np.asarray(plan, dtype=np.int64)
        found = violations(dinner, table_of)
        broken.extend(f"dinner {dinner.date}: {line}" for line in found)
        if found and (table_of.shape != (dinner.num_attendees,) or table_of.min(initial=0) < 0):
            values.append(float("inf"))
            break
        value = objective(dinner, table_of)
        values.append(value)
        compiled.append(dinner)
        metrics.append(dinner_metrics(dinner, table_of))
        season.add(dinner, table_of)
        out.append(dinner_plan(dinner, table_of, value))
    return SeasonEvaluation(
        objective=float(sum(values)),
        objectives=values,
        violations=broken,
        metrics=combine(metrics),
        per_dinner=metrics,
        dinners=compiled,
        plans=out,
    )
