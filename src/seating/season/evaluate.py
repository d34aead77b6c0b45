"""The exact season objective of a plan, recomputed with the core's own reference code.

Dinner k is compiled with dinners ``0 .. k-1`` of the plan as history
(:func:`seating.problem.compile_dinner`), then judged by :func:`seating.objective.objective`
and :func:`seating.objective.violations`: the same definitions every core solver is held to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seating.metrics import combine, dinner_metrics
from seating.models import PastDinner, ProblemInput
from seating.objective import objective, violations
from seating.problem import DinnerProblem, compile_dinner
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


def evaluate(problem: ProblemInput, plans: list[np.ndarray]) -> SeasonEvaluation:
    """Judge per-dinner ``table_of`` arrays (attendee order of each dinner) as one season."""
    planned: list[PastDinner] = []
    compiled: list[DinnerProblem] = []
    values: list[float] = []
    broken: list[str] = []
    metrics = []
    out: list[DinnerPlan] = []
    for k, table_of in enumerate(plans):
        dinner = compile_dinner(problem, k, planned)
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
        past = past_dinner(dinner, table_of)
        planned.append(past)
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
