"""What a solve returns: status, the plan, objective and bound, metrics, runtime, statistics.

:class:`Result` is the public plan contract of DESIGN.md (``Result.to_json()``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

if TYPE_CHECKING:
    import pandas as pd


class Status(StrEnum):
    """How a solve ended."""

    OPTIMAL = "optimal"
    """A plan proven optimal."""
    FEASIBLE = "feasible"
    """A plan that holds every rule, not proven optimal."""
    INFEASIBLE = "infeasible"
    """Proven: no plan holds every rule; ``Result.reason`` says which rules clash."""
    UNKNOWN = "timeout"
    """No plan found within the limits, and no proof that none exists."""

    @property
    def has_plan(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class TablePlan(_Out):
    """One table of a plan."""

    id: str
    members: list[str]


class CoursePlan(_Out):
    """The seating of one course of a dinner with several courses (``dinner.courses``)."""

    tables: list[TablePlan]
    objective: float | None = None


class DinnerPlan(_Out):
    """The plan of one dinner, with its own objective.

    Attributes
    ----------
    date
        The dinner's date.
    tables
        Who sits at each table (the first course, for a dinner with several courses).
    objective
        The dinner's share of the objective (summed over its courses).
    courses
        For a dinner with several courses: one seating per course, in order (left out of the
        JSON otherwise).
    """

    date: dt.date
    tables: list[TablePlan]
    objective: float | None = None
    courses: list[CoursePlan] | None = None

    @model_serializer(mode="wrap")
    def _leave_out_courses(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A dinner of one course keeps the plan contract's fields and nothing else.
        data = handler(self)
        if data.get("courses", 0) is None:
            del data["courses"]
        return data


class NewcomerMetrics(_Out):
    """How newcomers were seated (``rules.newcomer_dinners``).

    Attributes
    ----------
    newcomers
        Newcomers seated.
    tables
        Tables with at least one newcomer.
    with_host
        Newcomers at a table with a host.
    with_long_standing
        Newcomers at a table with a member who is not a newcomer (besides any host).
    most_at_a_table
        The most newcomers at one table.
    """

    newcomers: int = 0
    tables: int = 0
    with_host: int = 0
    with_long_standing: int = 0
    most_at_a_table: int = 0


class Metrics(_Out):
    """Plan quality a person can read.

    Attributes
    ----------
    repeat_pairs
        Pairs seated together who had sat together before.
    new_pairs
        Pairs seated together for the first time.
    max_meetings
        The most times any seated pair will have met, this dinner included.
    members_with_repeats
        Attendees with at least one table mate met before.
    max_repeats_per_member
        The most table mates met before that any one attendee has.
    newcomers
        How newcomers were seated, with the newcomer rule only (left out of the JSON
        otherwise).
    """

    repeat_pairs: int = 0
    new_pairs: int = 0
    max_meetings: int = 0
    members_with_repeats: int = 0
    max_repeats_per_member: int = 0
    newcomers: NewcomerMetrics | None = None

    @model_serializer(mode="wrap")
    def _leave_out_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A plan without the newcomer rule keeps the plan contract's fields and nothing else.
        data = handler(self)
        if data.get("newcomers", 0) is None:
            del data["newcomers"]
        return data


class Result(_Out):
    """The answer of :func:`seating.solve`.

    Attributes
    ----------
    status
        ``optimal``, ``feasible``, ``infeasible`` or ``timeout`` (no plan and no proof).
    objective
        Value of the plan (lower is better), or ``None`` without a plan.
    bound
        Best proven lower bound on the objective, where a solver proved one.
    runtime_s
        Wall-clock seconds of the whole solve.
    dinners
        The plan, one entry per dinner (empty without a plan).
    metrics
        Plan quality summed over dinners (``max_*`` are maxima).
    method
        Which solver produced the plan (``cpsat``, ``local``, ``local+cpsat`` or
        ``local+colgen``: the local search, proved or improved by column generation).
    reason
        Why there is no plan, naming the clashing rules and ids.
    stats
        Solver statistics (iterations, cycles, CP-SAT branches, ...).
    """

    status: Status
    objective: float | None = None
    bound: float | None = None
    runtime_s: float = 0.0
    dinners: list[DinnerPlan] = Field(default_factory=list)
    metrics: Metrics = Field(default_factory=Metrics)
    method: str = ""
    reason: str | None = None
    stats: dict[str, Any] = Field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound, ``None`` where either is missing."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))

    def summary(self) -> str:
        """One plain line: status, objective, bound and gap, time, method; or why no plan.

        >>> Result(status=Status.OPTIMAL, objective=3.0, bound=3.0, runtime_s=0.4).summary()
        'status optimal, objective 3, bound 3, gap 0.0 %, 0.40 s'
        >>> Result(status=Status.FEASIBLE, objective=100.0, bound=94.0, runtime_s=3).summary()
        'status feasible, objective 100, bound 94, within 6.0 % of the best possible, 3.00 s'
        """
        parts = [f"status {self.status.value}"]
        if self.objective is not None:
            parts.append(f"objective {self.objective:g}")
        if self.bound is not None and self.bound == 0 and (self.objective or 0) > 0:
            # Costs are never negative when no pair is favoured, so 0 is what anyone could
            # claim; "gap 100 %" would read as a failure when it only means no better bound.
            parts.append("bound 0 (trivial: no stronger bound found)")
        elif self.bound is not None:
            parts.append(f"bound {self.bound:g}")
            if self.gap is not None and self.status is Status.FEASIBLE:
                # The bound is what no plan can beat: the gap says how far from the best
                # possible plan this one can be, in the words of the question users ask.
                parts.append(f"within {100 * self.gap:.1f} % of the best possible")
            elif self.gap is not None:
                parts.append(f"gap {100 * self.gap:.1f} %")
        parts.append(f"{self.runtime_s:.2f} s")
        if self.method:
            parts.append(f"method {self.method}")
        if not self.status.has_plan and self.reason:
            parts.append(f"reason: {self.reason}")
        return ", ".join(parts)

    def to_frame(self) -> pd.DataFrame:
        """The plan as a table, one row per seat: ``date``, ``table``, ``member``, ``seat``.

        ``seat`` numbers the members of a table from 1 in the plan's order; a result without a
        plan gives an empty frame with the same columns.
        """
        import pandas as pd  # only here: the rest of a solve never needs pandas

        rows = [
            (dinner.date, table.id, member, seat)
            for dinner in self.dinners
            for table in dinner.tables
            for seat, member in enumerate(table.members, start=1)
        ]
        return pd.DataFrame(rows, columns=["date", "table", "member", "seat"])

    def to_json(self, indent: int | None = 2) -> str:
        """The plan contract of DESIGN.md as JSON text."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> Result:
        """Read a plan written by :meth:`to_json`."""
        return cls.model_validate_json(text)
