"""One course of a draft with several courses, as a dinner of its own: what pinning, swapping
and re-seating one course work on while the other courses stay as they are.

A course is changed like a one-course draft (:mod:`seating.club.workflow.adjusting`), with the
evening's other courses added to the history: their pairs count as met, as the planner counts
an earlier course of the evening (:mod:`seating.season.courses`), so re-seating a course
prefers people its members have not met yet that evening, and a cooldown keeps them apart.
"""

from __future__ import annotations

from collections.abc import Sequence

from seating.club.records import Draft, DraftCourse, DraftTable
from seating.club.store import ClubStore
from seating.club.workflow.errors import FieldError
from seating.club.workflow.problems import dinner_problem
from seating.models import ProblemInput, Table


def course_of(draft: Draft, course: int) -> Draft:
    """Course ``course`` (from 1) of ``draft`` as a one-course draft (its tables and pins).

    Raises
    ------
    FieldError
        ``course``: the draft has no such course.
    """
    if isinstance(course, bool) or not isinstance(course, int):
        raise FieldError("course", f"expected a course number (got {course!r})")
    try:
        return draft.course(course)
    except ValueError as exc:
        raise FieldError("course", str(exc)) from None


def course_problem(
    store: ClubStore,
    draft: Draft,
    course: int,
    *,
    attendees: Sequence[str] | None = None,
    tables: Sequence[Table] | None = None,
) -> tuple[ProblemInput, list[str]]:
    """The problem of course ``course`` of ``draft`` as a dinner of its own: its attendees and
    tables (or those given, after late changes), and a history that also holds the draft's
    other courses, as the latest dinners (same date, after the recorded ones: the core sorts
    the history stably by date).

    Raises
    ------
    FieldError
        ``course``: the draft has no such course.
    InputError
        A member who has left the club, or tables the planner refuses.
    """
    one = course_of(draft, course)
    chosen = one.attendees if attendees is None else attendees
    problem, notes = dinner_problem(
        store, draft.date, chosen, one.tables_input() if tables is None else tables
    )
    others = [past for k, past in enumerate(draft.as_history(), start=1) if k != course]
    if others:
        problem = problem.model_copy(update={"history": [*problem.history, *others]})
    return problem, notes


def without(draft: Draft, cancelled: Sequence[str], tables: Sequence[Table]) -> Draft:
    """``draft`` with the ``cancelled`` members taken out of every course (and their pins),
    each course's tables given the hosts of ``tables`` (the same ids: a host who cancelled
    leaves their table, or hands it over)."""
    hosts = {t.id: t.host for t in tables}

    def kept(seated: list[DraftTable]) -> list[DraftTable]:
        return [
            t.model_copy(
                update={
                    "host": hosts.get(t.id),
                    "members": [m for m in t.members if m not in cancelled],
                }
            )
            for t in seated
        ]

    def pins(given: dict[str, str]) -> dict[str, str]:
        return {m: t for m, t in given.items() if m not in cancelled}

    later = [DraftCourse(tables=kept(c.tables), pins=pins(c.pins)) for c in draft.later_courses]
    return draft.model_copy(
        update={"tables": kept(draft.tables), "pins": pins(draft.pins), "later_courses": later}
    )
