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
from dataclasses import dataclass, replace

import numpy as np

from seating.compile.history import NEVER, MeetingHistory, meeting_history
from seating.compile.metrics import combine, dinner_metrics
from seating.compile.objective import objective, violations
from seating.compile.policy import pair_weights
from seating.compile.problem import DinnerProblem, compile_dinner, cooldown_forbidden, met_within
from seating.models import PastDinner, ProblemInput
from seating.result import DinnerPlan, Metrics, TablePlan


@dataclass
class SeasonEvaluation:
    """A season plan judged dinner by dinner."""

    objective: float
    objectives: list[float]
    violations: list[str]
    metrics: Metrics
    dinners: list[DinnerProblem]
    plans: list[DinnerPlan]

    @property
    def feasible(self) -> bool:
        return not self.violations


def past_dinner(dinner: DinnerProblem, table_of: np.ndarray) -> PastDinner:
    """A seated dinner as history for the dinners after it."""
    tables = [
        [dinner.member_ids[i] for i in np.nonzero(table_of == t)[0]]
        for t in range(dinner.num_tables)
    ]
    return PastDinner(date=dinner.date, tables=tables)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def in_date_order(problem: ProblemInput) -> bool:
    """Whether the planned dinners come after the history and in date order.

    The core sorts history by date (stably), so only then does appending each planned dinner
    to the history keep every meeting's age, and only then is a dinner's share of the season
    objective the single-dinner problem that :mod:`seating.season.blocks` solves.
    """
    dates = [d.date for d in problem.dinners]
    last = max((d.date for d in problem.history), default=None)
    return all(a <= b for a, b in itertools.pairwise(dates)) and (
        last is None or not dates or last <= dates[0]
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
        past = meeting_history(problem.history, self.index, half_life=self.half_life)
        self.num = past.num_dinners
        self.counts = past.counts.copy()
        self.faded = past.faded.copy()
        # Position (in date order) of each pair's latest meeting; ages follow from it.
        self.last = np.where(past.counts > 0, self.num - 1 - past.last_age.astype(np.int64), -1)

    def compile(self, k: int) -> DinnerProblem:
        """Dinner ``k`` with the history and every dinner added so far as its history."""
        if not self.incremental:
            return compile_dinner(self.problem, k, self.planned)
        dinner = compile_dinner(self.base, k)
        idx = np.array([self.index[m] for m in dinner.member_ids], dtype=np.int64)
        block = np.ix_(idx, idx)
        counts = self.counts[block].copy()
        age = np.where(counts > 0, self.num - 1 - self.last[block], NEVER)
        history = MeetingHistory(
            counts=counts,
            faded=self.faded[block].copy(),
            last_age=np.minimum(age, NEVER).astype(np.int32),
            num_dinners=self.num,
        )
        forbidden = dinner.forbidden.copy()
        cooldown_pairs: tuple[tuple[int, int], ...] = ()
        cooldown = self.problem.rules.cooldown
        if cooldown is not None:
            # The core's rule, as compile_dinner applies it.
            recent = met_within(history, cooldown)
            blocked, cooldown_pairs = cooldown_forbidden(recent, dinner.groups)
            forbidden |= blocked
        return replace(
            dinner,
            weights=_frozen(pair_weights(history, self.problem.policy)),
            meetings=_frozen(history.counts),
            forbidden=_frozen(forbidden),
            cooldown_pairs=cooldown_pairs,
        )

    def add(self, dinner: DinnerProblem, table_of: np.ndarray) -> PastDinner:
        """Record ``dinner`` seated as ``table_of``; return it as a past dinner."""
        past = past_dinner(dinner, table_of)
        self.planned.append(past)
        if not self.incremental:
            return past
        if self.half_life is not None:
            self.faded *= 0.5 ** (1.0 / self.half_life)
        for table in past.tables:
            idx = np.array([self.index[m] for m in table], dtype=np.int64)
            if idx.size < 2:
                continue
            block = np.ix_(idx, idx)
            self.counts[block] += 1
            self.faded[block] += 1.0
            self.last[block] = self.num
        np.fill_diagonal(self.counts, 0)
        np.fill_diagonal(self.faded, 0.0)
        np.fill_diagonal(self.last, -1)
        self.num += 1
        return past


def evaluate(problem: ProblemInput, plans: list[np.ndarray]) -> SeasonEvaluation:
    """Judge per-dinner ``table_of`` arrays (attendee order of each dinner) as one season."""
    season = SeasonHistory(problem)
    compiled: list[DinnerProblem] = []
    values: list[float] = []
    broken: list[str] = []
    metrics = []
    out: list[DinnerPlan] = []
    for k, table_of in enumerate(plans):
        dinner = season.compile(k)
        table_of = np.asarray(table_of, dtype=np.int64)
        found = violations(dinner, table_of)
        broken.extend(f"dinner {dinner.date}: {line}" for line in found)
        if found and (table_of.shape != (dinner.num_attendees,) or table_of.min(initial=0) < 0):
            values.append(float("inf"))
            break
        value = objective(dinner, table_of)
        values.append(value)
        compiled.append(dinner)
        metrics.append(dinner_metrics(dinner, table_of))
        past = season.add(dinner, table_of)
        out.append(
            DinnerPlan(
                date=dinner.date,
                tables=[
                    TablePlan(id=tid, members=members)
                    for tid, members in zip(dinner.table_ids, past.tables, strict=True)
                ],
                objective=value,
            )
        )
    return SeasonEvaluation(
        objective=float(sum(values)),
        objectives=values,
        violations=broken,
        metrics=combine(metrics),
        dinners=compiled,
        plans=out,
    )
