"""What a solve returns: status, the plan, objective and bound, metrics, runtime, statistics.

:class:`Result` is the public plan contract of DESIGN.md (``Result.to_json()``);
:class:`DinnerOutcome` is what one solver returns for one compiled dinner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from seating.errors import InputError

if TYPE_CHECKING:
    from seating.problem import DinnerProblem


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


@dataclass
class DinnerOutcome:
    """One solver's answer for one compiled dinner (index-based, internal)."""

    status: Status
    table_of: np.ndarray | None = None
    objective: float | None = None
    bound: float | None = None
    method: str = ""
    runtime_s: float = 0.0
    reason: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class TablePlan(_Out):
    """One table of a plan."""

    id: str
    members: list[str]


class DinnerPlan(_Out):
    """The plan of one dinner, with its own objective."""

    date: dt.date
    tables: list[TablePlan]
    objective: float | None = None


def table_index(
    dinner: DinnerProblem, seating: DinnerPlan | Mapping[str, str], *, strict: bool = False
) -> np.ndarray:
    """A plan in the indices of a compiled dinner: the table index of each attendee.

    The inverse of writing a ``table_of`` array out as a :class:`DinnerPlan`; solvers and
    explanations work on the indices.

    Parameters
    ----------
    dinner
        The compiled dinner (:class:`~seating.problem.DinnerProblem`).
    seating
        A dinner's plan, or a mapping member id -> table id.
    strict
        Raise instead of leaving an attendee at -1 or skipping a name (for a plan that must
        be complete, e.g. one a user hands in).

    Returns
    -------
    numpy.ndarray
        ``(n,)`` int64, ``dinner.table_ids`` index of each of ``dinner.member_ids``; -1 where
        the seating does not seat the attendee or names a table the dinner does not have.
        Members of the seating who do not attend are ignored; a member seated twice takes the
        later table.

    Raises
    ------
    InputError
        Only with ``strict``: a table that is not one of the dinner's, a member who does not
        attend, a member seated twice, an attendee without a seat.
    """
    if isinstance(seating, Mapping):
        date = dinner.date
        grouped: dict[str, list[str]] = {}
        for member, table_id in seating.items():
            grouped.setdefault(table_id, []).append(member)
        tables = list(grouped.items())
    else:
        date = seating.date
        tables = [(table.id, table.members) for table in seating.tables]
    column = {t: k for k, t in enumerate(dinner.table_ids)}
    row = {m: i for i, m in enumerate(dinner.member_ids)}
    table_of = np.full(dinner.num_attendees, -1, dtype=np.int64)
    for table_id, members in tables:
        t = column.get(table_id, -1)
        if strict and t < 0:
            raise InputError(f"plan: table {table_id!r} is not a table of dinner {date}")
        for member in members:
            i = row.get(member)
            if i is None:
                if strict:
                    raise InputError(
                        f"plan: {member!r} at table {table_id!r} does not attend {date}"
                    )
                continue
            if strict and table_of[i] >= 0:
                raise InputError(f"plan: {member!r} is seated twice")
            table_of[i] = t
    if strict:
        missing = [dinner.member_ids[i] for i in np.nonzero(table_of < 0)[0]]
        if missing:
            raise InputError(f"plan: attendees without a seat: {', '.join(missing[:5])}")
    return table_of


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
    """

    repeat_pairs: int = 0
    new_pairs: int = 0
    max_meetings: int = 0
    members_with_repeats: int = 0
    max_repeats_per_member: int = 0


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
        Which solver produced the plan (``cpsat``, ``local`` or ``local+cpsat``).
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

    def to_json(self, indent: int | None = 2) -> str:
        """The plan contract of DESIGN.md as JSON text."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> Result:
        """Read a plan written by :meth:`to_json`."""
        return cls.model_validate_json(text)
