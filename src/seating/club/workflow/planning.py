"""Plan the next dinner and save it as its draft; look at a draft as the planner sees it now.

Planning runs in three steps, so that a face can check a request at once, run the search
where it likes (a progress bar, a worker thread) and save afterwards:
:func:`prepare_plan` checks everything and builds the problem (raising
:class:`~seating.errors.InputError` or :class:`~seating.club.store.StoreError` before any
search), :meth:`PlanJob.search` plans without touching the database, and :meth:`PlanJob.save`
writes the draft. :func:`plan_dinner` does all three.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from seating.adjust import solve_pinned
from seating.club.names import Directory
from seating.club.records import ClubMember, Draft
from seating.club.store import ClubStore
from seating.club.workflow.errors import FieldError
from seating.club.workflow.guests import absent_inviters, dinner_guests
from seating.club.workflow.problems import (
    TABLES_OF_EIGHT,
    TableSizes,
    check_courses,
    dinner_problem,
    draft_from,
    draft_problem,
    evaluate_draft,
    later_draft_notes,
    unique,
    with_hosts,
)
from seating.models import ProblemInput, Table
from seating.result import Result
from seating.solve import solve
from seating.stop import Stop


@dataclass(frozen=True)
class Planned:
    """What planning a dinner gave.

    Attributes
    ----------
    problem
        The dinner as planned (members, history with earlier drafts, policy, rules).
    result
        The search's answer; without a plan, its status and reason say why.
    draft
        The draft saved, or None when the search found no plan (nothing was written).
    notes
        What to tell the organiser besides (drafts counted as history, later drafts that now
        break a rule).
    """

    problem: ProblemInput
    result: Result
    draft: Draft | None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlanJob:
    """A checked request to plan the dinner of ``date``: :meth:`search`, then :meth:`save`."""

    date: dt.date
    problem: ProblemInput
    tables: list[Table]
    replace: bool
    notes: list[str]
    guests: tuple[ClubMember, ...] = ()
    courses: int = 1

    def search(
        self,
        *,
        method: str = "auto",
        time_limit: float = 10.0,
        seed: int = 0,
        stop: Stop | None = None,
    ) -> Result:
        """Plan the dinner (as :func:`seating.solve`); reads and writes no database."""
        if self.courses > 1:
            # Members change tables between courses: the core's course planner.
            return solve(self.problem, method=method, time_limit=time_limit, seed=seed, stop=stop)
        return solve_pinned(
            self.problem, {}, method=method, time_limit=time_limit, seed=seed, stop=stop
        )

    def save(self, store: ClubStore, result: Result) -> Planned:
        """Save the plan of ``result`` as the draft (nothing when it has no plan).

        Raises
        ------
        StoreError
            The draft cannot be written now (recorded, or a draft appeared meanwhile and
            ``replace`` was not asked); nothing is written.
        """
        if not result.status.has_plan:
            return Planned(self.problem, result, None, self.notes)
        draft = draft_from(result, self.date, self.tables, {})
        store.save_draft(draft, replace=self.replace, guests=self.guests)
        notes = unique(self.notes, later_draft_notes(store, self.date))
        return Planned(self.problem, result, draft, notes)


def check_plan_date(store: ClubStore, date: dt.date, *, allow_past: bool = False) -> None:
    """The dinner of ``date`` can be planned: it is not recorded, and it comes after the last
    recorded dinner unless ``allow_past`` (cheap; :func:`prepare_plan` checks it first too, a
    face may call it before reading the rest of a request).

    A dinner before the last recorded one is planned as if every later dinner had not taken
    place: almost always a typo in the year, so it is refused unless asked for.

    Raises
    ------
    FieldError
        ``date``: the dinner is already recorded, or comes before the last recorded dinner.
    """
    if store.dinner(date) is not None:
        raise FieldError("date", f"the dinner of {date} is already recorded")
    dates = store.dinner_dates()  # imported or recorded: the history the plan builds on
    last = max(dates, default=None)
    if last is not None and date < last and not allow_past:
        raise FieldError(
            "date",
            f"{date} comes before the last recorded dinner ({last}), whose history it would "
            "ignore: a typo in the date? (plan it anyway with --allow-past)",
        )


def prepare_plan(
    store: ClubStore,
    date: dt.date,
    *,
    attendees: Sequence[str] | None = None,
    tables: Sequence[Table] | TableSizes = TABLES_OF_EIGHT,
    auto_hosts: bool = True,
    replace: bool = False,
    allow_past: bool = False,
    guests: Sequence[str] = (),
    courses: int = 1,
) -> PlanJob:
    """Check a request to plan the dinner of ``date`` and build its problem.

    Parameters
    ----------
    store
        The club database (read only here).
    date
        The dinner.
    attendees
        Member ids of who comes; None or empty: every active member.
    tables
        The tables, or sizes to make them from for the number of attendees.
    auto_hosts
        Give tables without a host one of the attending members flagged as hosts.
    replace
        Plan afresh over an existing draft of ``date``.
    allow_past
        Plan a dinner dated before the last recorded one.
    guests
        Guests for this dinner, not members: ``"Jan Peeters:M012"`` (name, then the inviter
        by id or name); registered when the draft is saved (see
        :mod:`seating.club.workflow.guests`).
    courses
        Members change tables between courses: one seating per course, pairs who met in an
        earlier course of the evening counting as met, hosts staying at their tables.

    Raises
    ------
    FieldError
        ``date``: the dinner is already recorded, or before the last recorded dinner;
        ``courses``: not 1 to 50;
        ``guest``: a guest who cannot be registered.
    InputError
        An attendee who is unknown or has left, or tables the planner refuses.
    StoreError
        A draft of ``date`` exists and not ``replace``.
    """
    courses = check_courses(courses)
    check_plan_date(store, date, allow_past=allow_past)
    invited = dinner_guests(store, guests)
    members = {m.id: m for m in [*store.members(), *invited]}
    chosen = list(attendees or [m.id for m in members.values() if m.active])
    chosen += [g.id for g in invited if g.id not in chosen]
    if isinstance(tables, TableSizes):
        tables = tables.tables(len(chosen))
    tables = list(tables)
    # ids checked before hosts
    problem, notes = dinner_problem(store, date, chosen, tables, courses, guests=invited)
    if auto_hosts:
        tables = with_hosts(tables, chosen, members)
        problem, notes = dinner_problem(store, date, chosen, tables, courses, guests=invited)
    store.check_dates([date], replace=replace)
    people = Directory.of(members.values())
    notes = unique(notes, absent_inviters(people, chosen, list(members.values())))
    return PlanJob(date, problem, tables, replace, notes, tuple(invited), courses)


def plan_dinner(
    store: ClubStore,
    date: dt.date,
    *,
    attendees: Sequence[str] | None = None,
    tables: Sequence[Table] | TableSizes = TABLES_OF_EIGHT,
    auto_hosts: bool = True,
    replace: bool = False,
    allow_past: bool = False,
    guests: Sequence[str] = (),
    courses: int = 1,
    method: str = "auto",
    time_limit: float = 10.0,
    seed: int = 0,
) -> Planned:
    """Plan the dinner of ``date`` with the club's policy and rules and save it as its draft:
    :func:`prepare_plan`, :meth:`PlanJob.search`, :meth:`PlanJob.save` in one call."""
    job = prepare_plan(
        store,
        date,
        attendees=attendees,
        tables=tables,
        auto_hosts=auto_hosts,
        replace=replace,
        allow_past=allow_past,
        guests=guests,
        courses=courses,
    )
    return job.save(store, job.search(method=method, time_limit=time_limit, seed=seed))


@dataclass(frozen=True)
class DraftView:
    """A draft as the planner sees it now.

    Attributes
    ----------
    draft
        The draft as stored.
    problem
        Its dinner's problem today (history, drafts before it, policy and rules as they are).
    result
        The draft as a plan: objective and metrics now.
    broken
        The rules it breaks now, one sentence each (rules or history changed since).
    notes
        Drafts counted as history.
    """

    draft: Draft
    problem: ProblemInput
    result: Result
    broken: list[str]
    notes: list[str]


def view_draft(store: ClubStore, date: dt.date | None = None) -> DraftView:
    """The draft of ``date`` (or the only draft) with its quality and the rules it breaks now.

    Raises
    ------
    StoreError
        No draft of ``date``; no draft at all, or several, when ``date`` is None.
    InputError
        A member of the draft has left the club since, or is no longer a member.
    """
    draft = store.draft(date)
    problem, notes = draft_problem(store, draft)
    result, broken = evaluate_draft(problem, draft)
    return DraftView(draft, problem, result, broken, notes)
