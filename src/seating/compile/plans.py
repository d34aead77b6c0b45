"""Plans in the indices of compiled dinners: the bridge between a :class:`~seating.result.Result`
and the arrays that solvers, explanations and re-seating work on."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from seating.compile.problem import DinnerProblem, compile_dinner
from seating.errors import InputError
from seating.models import PastDinner, ProblemInput
from seating.result import DinnerPlan, Result, TablePlan


def table_index(
    dinner: DinnerProblem, seating: DinnerPlan | Mapping[str, str], *, strict: bool = False
) -> np.ndarray:
    """A plan in the indices of a compiled dinner: the table index of each attendee.

    The inverse of writing a ``table_of`` array out as a :class:`DinnerPlan`; solvers and
    explanations work on the indices.

    Parameters
    ----------
    dinner
        The compiled dinner (:class:`~seating.compile.problem.DinnerProblem`).
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


def dinner_plan(
    dinner: DinnerProblem, table_of: np.ndarray, objective: float | None = None
) -> DinnerPlan:
    """A plan in the indices of a compiled dinner written out as a :class:`DinnerPlan`.

    The inverse of :func:`table_index`: every table of the dinner in its order (empty ones
    too), each with its members in attendee order.

    Parameters
    ----------
    dinner
        The compiled dinner.
    table_of
        ``(n,)`` table index of each attendee (every attendee seated).
    objective
        The dinner's objective, where one was computed.
    """
    table_of = np.asarray(table_of)
    tables = [
        TablePlan(id=table_id, members=[dinner.member_ids[i] for i in np.nonzero(table_of == t)[0]])
        for t, table_id in enumerate(dinner.table_ids)
    ]
    return DinnerPlan(date=dinner.date, tables=tables, objective=objective)


def as_past(plan: DinnerPlan) -> PastDinner:
    """A planned dinner as history for the dinners after it (empty tables left out)."""
    return PastDinner(date=plan.date, tables=[t.members for t in plan.tables if t.members])


def compiled_dinners(problem: ProblemInput, result: Result) -> list[DinnerProblem]:
    """Each planned dinner compiled as the solver saw it (earlier planned dinners as history)."""
    planned = [as_past(d) for d in result.dinners]
    return [compile_dinner(problem, k, planned[:k]) for k in range(len(result.dinners))]
