"""From the club database to a planning problem and back: the problem of one or more dinners
(earlier unrecorded drafts counting as history), tables from sizes, hosts, a solver's plan as a
draft, and a draft evaluated as the planner sees it now.

Every function here reads the store and writes nothing; what a face should show besides its
answer (which drafts were counted, which later draft now breaks a rule) comes back as notes:
one-line sentences, in order, without duplicates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import ValidationError

from seating.club.files import MAX_CAPACITY
from seating.club.records import ClubMember, Draft, DraftCourse, DraftTable
from seating.club.store import ClubStore
from seating.club.workflow.errors import FieldError
from seating.compile.courses import expand_courses
from seating.compile.metrics import combine, dinner_metrics
from seating.compile.objective import objective, violations
from seating.compile.plans import as_past, table_index
from seating.compile.problem import check_references, compile_dinner
from seating.errors import InputError
from seating.models import Dinner, ProblemInput, Table, describe_validation_error
from seating.result import CoursePlan, DinnerPlan, Result, Status, TablePlan


class DinnerSpec(NamedTuple):
    """A dinner to plan as the workflow gathers it: date, attendee ids, tables."""

    date: dt.date
    attendees: Sequence[str]
    tables: Sequence[Table]


MAX_COURSES = 50
"""The most courses a dinner may have (as ``dinner.courses`` of the problem contract)."""


def check_courses(courses: object) -> int:
    """``courses`` as a number of courses from 1 to :data:`MAX_COURSES`.

    Raises
    ------
    FieldError
        ``courses``: not a whole number in that range.
    """
    if isinstance(courses, bool) or not isinstance(courses, int):
        raise FieldError("courses", f"expected a whole number of courses (got {courses!r})")
    if not 1 <= courses <= MAX_COURSES:
        raise FieldError("courses", f"expected 1 to {MAX_COURSES} courses (got {courses})")
    return courses


@dataclass(frozen=True)
class TableSizes:
    """Tables made to measure: as many as the attendees need, their capacities cycling
    through ``sizes`` (``(10, 8)``: 10, 8, 10, ...), with ids T1, T2, ...

    Raises
    ------
    InputError
        A size below 1 or above :data:`~seating.club.files.MAX_CAPACITY`, or no size.
    """

    sizes: tuple[int, ...] = (8,)

    def __post_init__(self) -> None:
        if not self.sizes or min(self.sizes) < 1 or max(self.sizes) > MAX_CAPACITY:
            raise InputError(
                f"table sizes: expected numbers from 1 to {MAX_CAPACITY} (got {list(self.sizes)})"
            )

    @classmethod
    def parse(cls, text: str) -> TableSizes:
        """Sizes as the organiser types them: ``10,8`` (commas or spaces).

        Raises
        ------
        FieldError
            ``table_sizes``: not numbers, or a number out of range.
        """
        try:
            sizes = tuple(int(s) for s in re.split(r"[,\s]+", text.strip()) if s)
        except ValueError:
            raise FieldError("table_sizes", f"expected numbers like 10,8 (got {text!r})") from None
        if not sizes or min(sizes) < 1 or max(sizes) > MAX_CAPACITY:
            raise FieldError(
                "table_sizes", f"expected numbers from 1 to {MAX_CAPACITY} (got {text!r})"
            )
        return cls(sizes)

    def tables(self, attendees: int) -> list[Table]:
        """Tables seating ``attendees`` people."""
        capacities: list[int] = []
        while sum(capacities) < attendees:
            capacities.append(self.sizes[len(capacities) % len(self.sizes)])
        return [Table(id=f"T{k + 1}", capacity=c) for k, c in enumerate(capacities)]


TABLES_OF_EIGHT = TableSizes((8,))
"""The default tables: as many tables of 8 as the attendees need."""


def unique(*groups: Iterable[str]) -> list[str]:
    """The notes of ``groups`` in order, each once."""
    return list(dict.fromkeys(note for group in groups for note in group))


def club_problem(
    store: ClubStore,
    dinners: Sequence[DinnerSpec],
    *,
    where: str | None = None,
    courses: int = 1,
    guests: Sequence[ClubMember] = (),
) -> tuple[ProblemInput, list[str]]:
    """The planning problem of one or more dinners from the club's members, history, policy
    and rules.

    Parameters
    ----------
    store
        The club database (read only).
    dinners
        The dinners to plan, in date order.
    where
        How an error names the attendees (default: ``dinner <date>``).
    courses
        The courses of every dinner (members change tables between courses).
    guests
        Guests registered with this request, not stored yet
        (:func:`~seating.club.workflow.guests.dinner_guests`); they replace stored rows of
        their ids.

    Returns
    -------
    problem, notes
        The problem (cross-references checked) and a note naming the drafts counted as
        history, if any.

    Raises
    ------
    InputError
        An attendee who is not a member, or who has left the club (the message names the id
        and ``where``), or a problem the planner refuses (capacity below attendance, ...).

    Notes
    -----
    The history is every recorded dinner before the first of ``dinners`` and every draft
    before it, as if it took place: after a season is planned, the later dinners are shown and
    re-planned with the earlier ones in view, as they were planned.
    """
    by_id = {m.id: m for m in store.members()}
    by_id.update((g.id, g) for g in guests)
    members = sorted(by_id.values(), key=lambda m: m.id)
    for date, attendees, _ in dinners:
        label = where or f"dinner {date}"
        for member in attendees:
            if member not in by_id:
                raise InputError(f"{label}: unknown member id {member!r}")
            if not by_id[member].active and not by_id[member].is_guest:
                name = by_id[member].display_name
                raise InputError(f"{label}: member {member!r} ({name}) has left the club")
    first = min(spec.date for spec in dinners)
    recorded = [d for d in store.history() if d.date < first]
    # A draft whose date is recorded meanwhile (e.g. by import-history) is not counted twice.
    done = {d.date for d in recorded}
    drafts = [d for d in store.drafts() if d.date < first and d.date not in done]
    drafted = [past for d in drafts for past in d.as_history()]
    history = sorted([*recorded, *drafted], key=lambda d: d.date)
    notes = []
    if drafts:
        dates = ", ".join(str(d.date) for d in drafts)
        what, they = ("draft", "it") if len(drafts) == 1 else ("drafts", "they")
        notes.append(f"counting the {what} of {dates} as if {they} took place (not recorded yet)")
    # A guest whose inviter comes to none of these dinners is planned like any member: the
    # workflow says so in a note (planning.prepare_plan), not the planner in a warning per
    # compiled dinner.
    coming = {m for _, attendees, _ in dinners for m in attendees}
    planned = [
        m.to_member() if m.guest_of is None or m.guest_of in coming
        else m.to_member().model_copy(update={"guest_of": None})
        for m in members
    ]  # fmt: skip
    try:
        problem = ProblemInput(
            members=planned,
            history=history,
            dinners=[
                Dinner(date=date, attendees=list(attendees), tables=list(tables), courses=courses)
                for date, attendees, tables in dinners
            ],
            policy=store.policy(),
            rules=store.rules(),
        )
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc)) from None
    check_references(problem)
    return problem, notes


def dinner_problem(
    store: ClubStore,
    date: dt.date,
    attendees: Sequence[str],
    tables: Sequence[Table],
    courses: int = 1,
    *,
    guests: Sequence[ClubMember] = (),
) -> tuple[ProblemInput, list[str]]:
    """The planning problem of one dinner (errors name the ``attendees``); see
    :func:`club_problem`."""
    spec = DinnerSpec(date, attendees, tables)
    return club_problem(store, [spec], where="attendees", courses=courses, guests=guests)


def draft_problem(store: ClubStore, draft: Draft) -> tuple[ProblemInput, list[str]]:
    """The planning problem of the dinner of ``draft``, with its attendees, tables and
    courses."""
    return dinner_problem(
        store, draft.date, draft.attendees, draft.tables_input(), draft.num_courses
    )


def with_hosts(
    tables: Sequence[Table], attendees: Sequence[str], members: Mapping[str, ClubMember]
) -> list[Table]:
    """``tables``, those without a host given one of the attending members flagged as hosts
    (by name, then id)."""
    taken = {t.host for t in tables if t.host}
    candidates = sorted(
        (m for m in attendees if members[m].host and m not in taken),
        key=lambda m: (members[m].display_name.casefold(), m),
    )
    result = []
    for table in tables:
        if table.host is None and candidates:
            table = Table(id=table.id, capacity=table.capacity, host=candidates.pop(0))
        result.append(table)
    return result


def draft_from(
    result: Result,
    date: dt.date,
    tables: Sequence[Table],
    pins: Mapping[str, str],
    *,
    dinner: int = 0,
) -> Draft:
    """Dinner ``dinner`` of ``result`` as a draft, with its tables' capacities and hosts (and
    one seating per course where the plan has courses)."""
    plan = result.dinners[dinner]
    assert plan.date == date
    by_id = {t.id: t for t in tables}

    def seated(plans: Sequence[TablePlan]) -> list[DraftTable]:
        return [
            DraftTable(
                id=t.id, capacity=by_id[t.id].capacity, host=by_id[t.id].host, members=t.members
            )
            for t in plans
        ]

    later = [DraftCourse(tables=seated(c.tables)) for c in (plan.courses or [])[1:]]
    return Draft(
        date=date,
        tables=seated(plan.tables),
        later_courses=later,
        pins=dict(pins),
        # Of a season, the dinner's own share of the objective (it counts the earlier planned
        # dinners as history, as the search did); a lone dinner's plan carries no share.
        objective=result.objective if len(result.dinners) == 1 else plan.objective,
        method=result.method,
    )


def evaluate_draft(problem: ProblemInput, draft: Draft) -> tuple[Result, list[str]]:
    """A draft as a :class:`~seating.result.Result` (objective and metrics now) and the rules
    it breaks now (a rule or a history that changed since it was planned).

    A draft with several courses is judged course by course, each with the earlier courses
    as history (as the planner counts them); the result holds one seating per course, its
    objective and metrics count every course, and a broken rule names its course."""
    if draft.num_courses > 1:
        return _evaluate_courses(problem, draft)
    dinner = compile_dinner(problem, 0)
    table_of = table_index(dinner, draft.table_of(), strict=True)
    plan = DinnerPlan(
        date=draft.date, tables=[TablePlan(id=t.id, members=t.members) for t in draft.tables]
    )
    value = objective(dinner, table_of)
    result = Result(
        status=Status.FEASIBLE,
        objective=value,
        dinners=[plan],
        metrics=dinner_metrics(dinner, table_of),
        method=draft.method or "draft",
    )
    return result, violations(dinner, table_of)


def later_draft_notes(store: ClubStore, date: dt.date) -> list[str]:
    """After the draft of ``date`` changed: a note for each later draft that now breaks a rule
    (later drafts count this one as if it took place, so e.g. its cooldown reaches them)."""
    notes = []
    for later in store.drafts():
        if later.date <= date:
            continue
        try:
            problem, _ = draft_problem(store, later)
        except InputError:
            continue  # e.g. a member of that draft has left: showing that draft says so
        _, broken = evaluate_draft(problem, later)
        if broken:
            notes.append(
                f"the draft of {later.date} now breaks a rule: {broken[0]} (plan it again with "
                f"--replace, or reseat it)"
            )
    return notes


def moved(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """The members seated in both plans at different tables, sorted."""
    return sorted(m for m in after if m in before and before[m] != after[m])


def _evaluate_courses(problem: ProblemInput, draft: Draft) -> tuple[Result, list[str]]:
    """:func:`evaluate_draft` of a draft with several courses."""
    rounds = expand_courses(problem)
    plans = [
        DinnerPlan(date=draft.date, tables=[TablePlan(id=t.id, members=t.members) for t in ts])
        for ts in draft.course_tables()
    ]
    values: list[float] = []
    metrics = []
    broken: list[str] = []
    planned = [as_past(p) for p in plans]
    for k in range(len(plans)):
        dinner = compile_dinner(rounds, k, planned[:k])
        seating = {m: t.id for t in plans[k].tables for m in t.members}
        table_of = table_index(dinner, seating, strict=True)
        values.append(objective(dinner, table_of))
        metrics.append(dinner_metrics(dinner, table_of))
        broken += [f"course {k + 1}: {line}" for line in violations(dinner, table_of)]
    courses = [CoursePlan(tables=p.tables, objective=v) for p, v in zip(plans, values, strict=True)]
    total = float(sum(values))
    plan = DinnerPlan(date=draft.date, tables=plans[0].tables, objective=total, courses=courses)
    result = Result(
        status=Status.FEASIBLE,
        objective=total,
        dinners=[plan],
        metrics=combine(metrics),
        method=draft.method or "draft",
    )
    return result, broken
