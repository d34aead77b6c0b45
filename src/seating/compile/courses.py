"""Dinners with several courses (``dinner.courses``) seen as rounds of a season.

Members change tables between courses: each course is a round, and pairs who met in an earlier
course of the same evening count as met, exactly as the season planner counts an earlier
dinner. These functions move between the two views: a problem whose dinners have courses and
the same problem with one dinner per course (:func:`expand_courses`), a plan with one seating
per course (``DinnerPlan.courses``) and the plan of those rounds (:func:`course_rounds`,
:func:`collect_courses`).
"""

from __future__ import annotations

from seating.errors import InputError
from seating.models import ProblemInput
from seating.result import CoursePlan, DinnerPlan, Result


def has_courses(problem: ProblemInput) -> bool:
    """Whether any dinner of ``problem`` has more than one course."""
    return any(d.courses > 1 for d in problem.dinners)


def evenings(problem: ProblemInput) -> list[int]:
    """For each round of :func:`expand_courses`, the index of its dinner in ``problem``."""
    return [k for k, d in enumerate(problem.dinners) for _ in range(d.courses)]


def expand_courses(problem: ProblemInput) -> ProblemInput:
    """The same problem with each dinner repeated once per course (one course each, same
    date, attendees, tables and hosts): a season whose rounds are the courses."""
    if not has_courses(problem):
        return problem
    rounds = [
        d.model_copy(update={"courses": 1}) for d in problem.dinners for _ in range(d.courses)
    ]
    return problem.model_copy(update={"dinners": rounds})


def flatten(plans: list[DinnerPlan]) -> list[DinnerPlan]:
    """One plan per course (a round), as :func:`expand_courses` numbers them."""
    rounds = []
    for dinner in plans:
        if not dinner.courses:
            rounds.append(dinner)
            continue
        for course in dinner.courses:
            rounds.append(
                DinnerPlan(date=dinner.date, tables=course.tables, objective=course.objective)
            )
    return rounds


def course_rounds(result: Result) -> Result:
    """The plan with one entry per course (a round), as :func:`expand_courses` numbers them."""
    if not any(d.courses for d in result.dinners):
        return result
    return result.model_copy(update={"dinners": flatten(result.dinners)})


def round_titles(problem: ProblemInput) -> list[str]:
    """A title per round: "Dinner of DATE", with "course c of C" where there are courses."""
    return [
        f"Dinner of {d.date}" + (f", course {c + 1} of {d.courses}" if d.courses > 1 else "")
        for d in problem.dinners
        for c in range(d.courses)
    ]


def collect_courses(problem: ProblemInput, rounds: list[DinnerPlan]) -> list[DinnerPlan]:
    """The plans of the rounds gathered per dinner of ``problem``: a dinner with courses
    holds them in ``courses``, its ``tables`` are the first course's and its objective their
    sum."""
    out = []
    start = 0
    for dinner in problem.dinners:
        mine = rounds[start : start + dinner.courses]
        start += dinner.courses
        if dinner.courses == 1:
            out.append(mine[0])
            continue
        values = [r.objective for r in mine]
        total = None if any(v is None for v in values) else float(sum(values))  # type: ignore[arg-type]
        out.append(
            DinnerPlan(
                date=mine[0].date,
                tables=mine[0].tables,
                objective=total,
                courses=[CoursePlan(tables=r.tables, objective=r.objective) for r in mine],
            )
        )
    return out


def course_round(
    problem: ProblemInput, plans: list[DinnerPlan], k: int, course: int
) -> tuple[ProblemInput, list[DinnerPlan], int]:
    """The problem and plans with one round per course, and the round of ``course`` (from 1)
    of dinner ``k``; the same three when no dinner has courses.

    Raises
    ------
    InputError
        ``course`` is not a course of dinner ``k``, or a dinner of ``plans`` holds another
        number of seatings than the problem gives it courses.
    """
    courses = problem.dinners[k].courses
    if isinstance(course, bool) or not 1 <= course <= courses:
        raise InputError(
            f"course: dinner {problem.dinners[k].date} has {courses} course"
            f"{'s' if courses > 1 else ''}, got {course!r}"
        )
    for d, (wanted, given) in enumerate(zip(problem.dinners, plans, strict=False)):
        seatings = len(given.courses) if given.courses else 1
        if seatings != wanted.courses:
            raise InputError(
                f"plan: dinner {given.date} holds {seatings} seating(s), but dinners[{d}] of "
                f"the problem has {wanted.courses} course(s)"
            )
    if not has_courses(problem):
        return problem, plans, k
    first = sum(d.courses for d in problem.dinners[:k])
    return expand_courses(problem), flatten(plans), first + course - 1
