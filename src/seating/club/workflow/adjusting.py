"""Change a draft and re-plan it around the change: pin a member to a table, swap two members,
release a pin, re-seat after late cancellations, walk-ins and table changes.

As for planning (:mod:`seating.club.workflow.planning`), a change runs in three steps:
:func:`prepare_repin` or :func:`prepare_reseat` checks it against the draft and builds the
problem, :meth:`AdjustJob.search` plans without touching the database, and
:meth:`AdjustJob.save` writes the new draft, unless another command changed the draft meanwhile
(then nothing is written and :class:`~seating.club.store.StoreError` says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from seating.adjust import Adjustment, reseat, solve_pinned
from seating.club.records import Draft
from seating.club.store import ClubStore
from seating.club.workflow.adjusted import Adjusted
from seating.club.workflow.courses import course_of, course_problem, without
from seating.club.workflow.errors import FieldError
from seating.club.workflow.evening import EveningJob
from seating.club.workflow.late import (
    LateChanges,
    check_late_changes,
    guests_left_alone,
    hand_over_hosts,
)
from seating.club.workflow.problems import (
    dinner_problem,
    draft_from,
    draft_problem,
    evaluate_draft,
    later_draft_notes,
    moved,
    unique,
)
from seating.errors import InputError
from seating.models import ProblemInput, Table
from seating.result import Result
from seating.stop import Stop


def pinned(draft: Draft, member: str, table: str) -> dict[str, str]:
    """The pins of ``draft`` with ``member`` pinned to ``table``.

    Raises
    ------
    InputError
        ``member`` is not seated in the draft.
    """
    if member not in draft.table_of():
        raise InputError(f"pin: member {member!r} is not seated in the draft of {draft.date}")
    return {**draft.pins, member: table}


def swapped(draft: Draft, first: str, second: str) -> dict[str, str]:
    """The pins of ``draft`` with ``first`` and ``second`` pinned to each other's table.

    Raises
    ------
    InputError
        One of them is not seated in the draft, or both sit at one table.
    """
    seating = draft.table_of()
    for member in (first, second):
        if member not in seating:
            raise InputError(f"swap: member {member!r} is not seated in the draft")
    if seating[first] == seating[second]:
        raise InputError(f"swap: {first!r} and {second!r} already sit at {seating[first]}")
    return {**draft.pins, first: seating[second], second: seating[first]}


def check_move(
    store: ClubStore, draft: Draft, member: str, table: str, course: int = 1
) -> list[str]:
    """The hard rules ``draft`` (its course ``course``) would break with ``member`` moved to
    ``table`` and nobody else moved (capacity, hosts, keep-together, apart, cooldown, company
    and industry limits, the table rules), one sentence each; empty when the move holds every
    rule as it is. The other courses of the evening count as met (and for the cooldown).

    What a face shows while the organiser drags a member, before :func:`pinned` and a
    fewest-moves re-plan (:func:`prepare_repin`) make room.

    Raises
    ------
    FieldError
        ``member``: not seated in the draft; ``table``: the draft has no such table;
        ``course``: the draft has no such course.
    """
    one = course_of(draft, course)
    if member not in one.table_of():
        raise FieldError("member", f"member {member!r} is not seated in the draft of {draft.date}")
    if table not in {t.id for t in one.tables}:
        raise FieldError("table", f"the draft has no table {table!r}")
    tables = [
        t.model_copy(
            update={
                "members": [m for m in t.members if m != member]
                + ([member] if t.id == table else [])
            }
        )
        for t in one.tables
    ]
    if draft.num_courses == 1:
        problem, _ = draft_problem(store, draft)
    else:
        problem, _ = course_problem(store, draft, course)
    _, broken = evaluate_draft(problem, one.model_copy(update={"tables": tables}))
    return broken


def unpin(store: ClubStore, draft: Draft, member: str, course: int = 1) -> Draft:
    """Release a pinned member of ``draft`` (of its course ``course``; the plan itself does
    not change); returns the draft saved.

    Raises
    ------
    InputError
        ``member`` is not pinned.
    FieldError
        ``course``: the draft has no such course.
    StoreError
        The draft was changed by another command meanwhile; nothing is written.
    """
    one = course_of(draft, course)
    if member not in one.pins:
        where = f" (course {course})" if draft.num_courses > 1 else ""
        raise InputError(f"unpin: member {member!r} is not pinned in the draft{where}")
    pins = {m: t for m, t in one.pins.items() if m != member}
    new = draft.with_course(course, one.model_copy(update={"pins": pins}))
    store.save_draft(new, expected=draft)
    return new


@dataclass(frozen=True)
class AdjustJob:
    """A checked change of ``draft``: :meth:`search`, then :meth:`save`.

    ``fewest_moves`` moves as few people as the rules allow (:func:`seating.adjust.reseat`);
    otherwise the rest of the dinner is re-optimised around the pins
    (:func:`seating.adjust.solve_pinned`, starting from the draft).

    For a draft with several courses, ``draft`` is course ``course`` alone, ``evening`` the
    whole draft as stored and ``rest`` the whole draft with the late changes made to its
    other courses: the new seating of ``course`` replaces that course of ``rest``.
    """

    draft: Draft
    problem: ProblemInput
    tables: list[Table]
    pins: dict[str, str]
    fewest_moves: bool
    removed: dict[str, str] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    course: int = 1
    evening: Draft | None = None
    rest: Draft | None = None

    def search(
        self,
        *,
        method: str = "auto",
        time_limit: float = 10.0,
        seed: int = 0,
        stop: Stop | None = None,
    ) -> Adjustment | Result:
        """Re-plan the dinner; reads and writes no database. With fewest moves an
        :class:`~seating.adjust.Adjustment` (``method`` unused), else the
        :class:`~seating.result.Result` of the re-optimisation."""
        before = self.draft.table_of()
        if self.fewest_moves:
            return reseat(
                self.problem,
                before,
                self.pins,
                time_limit=time_limit,
                seed=seed,
                removed_tables=self.removed,
                stop=stop,
            )
        return solve_pinned(
            self.problem,
            self.pins,
            method=method,
            time_limit=time_limit,
            seed=seed,
            initial=before,
            stop=stop,
        )

    def save(self, store: ClubStore, found: Adjustment | Result) -> Adjusted:
        """Save the plan :meth:`search` found as the new draft (nothing when it has no plan).

        Raises
        ------
        StoreError
            The draft was changed by another command meanwhile; nothing is written.
        """
        adjustment = found if isinstance(found, Adjustment) else None
        result = found.result if isinstance(found, Adjustment) else found
        released = [m for m in self.draft.pins if m not in self.pins]
        if not result.status.has_plan:
            return Adjusted(
                self.problem, result, adjustment, None, self.pins, self.cancelled, released,
                notes=self.notes,
            )  # fmt: skip
        one = draft_from(result, self.draft.date, self.tables, self.pins)
        evening = self.evening or self.draft
        new = (self.rest or evening).with_course(self.course, one)
        store.save_draft(new, expected=evening)
        notes = unique(self.notes, later_draft_notes(store, self.draft.date))
        changed = moved(self.draft.table_of(), one.table_of())
        return Adjusted(
            self.problem, result, adjustment, new, self.pins, self.cancelled, released, changed,
            notes,
        )  # fmt: skip


def prepare_repin(
    store: ClubStore,
    draft: Draft,
    pins: dict[str, str],
    *,
    fewest_moves: bool = True,
    course: int = 1,
) -> AdjustJob:
    """Check a re-plan of ``draft`` (of its course ``course``: the other courses stay as
    they are and count as met) around ``pins`` (from :func:`pinned` or :func:`swapped` of
    that course).

    Raises
    ------
    InputError
        A member of the draft has left the club, or the pins name unknown tables.
    FieldError
        ``course``: the draft has no such course.
    """
    one = course_of(draft, course)
    if draft.num_courses == 1:
        problem, notes = draft_problem(store, draft)
        return AdjustJob(draft, problem, draft.tables_input(), pins, fewest_moves, notes=notes)
    problem, notes = course_problem(store, draft, course)
    return AdjustJob(
        one, problem, one.tables_input(), pins, fewest_moves, notes=notes, course=course,
        evening=draft,
    )  # fmt: skip


def prepare_reseat(
    store: ClubStore, draft: Draft, changes: LateChanges, *, course: int = 1
) -> AdjustJob | EveningJob:
    """Check late changes against ``draft`` and build the re-seating (always fewest moves).

    For a draft with several courses, course ``course`` is re-seated (the other courses stay
    as they are and count as met); who cancels leaves every course. Walk-ins and table
    changes need a seat in every course: then every course is re-seated with the fewest
    moves (:class:`~seating.club.workflow.evening.EveningJob`), ``course`` first.

    Raises
    ------
    FieldError
        As :func:`check_late_changes`; ``remove_tables``: no table would be left;
        ``course``: the draft has no such course.
    InputError
        A walk-in who is unknown or has left, or tables the planner refuses.
    """
    if draft.num_courses > 1:
        return _prepare_course_reseat(store, draft, changes, course)
    course_of(draft, course)
    check_late_changes(draft, changes)
    if {t.id for t in draft.tables} <= set(changes.remove_tables) and not changes.add_tables:
        raise FieldError("remove_tables", "no table would be left (add one with --add-table)")
    cancelled = list(changes.cancel)
    removed = list(changes.remove_tables)
    attendees = [m for m in draft.attendees if m not in cancelled] + list(changes.walk_in)
    tables, handed_over = hand_over_hosts(store, draft, changes)
    pins = {m: t for m, t in draft.pins.items() if m not in cancelled and t not in removed}
    problem, notes = dinner_problem(store, draft.date, attendees, tables)
    notes = [*handed_over, *guests_left_alone(store, draft, changes), *notes]
    reasons = {t: f"table {t} was removed" for t in removed}
    return AdjustJob(draft, problem, tables, pins, True, reasons, cancelled, notes)


def repin_draft(
    store: ClubStore,
    draft: Draft,
    pins: dict[str, str],
    *,
    fewest_moves: bool = True,
    method: str = "auto",
    time_limit: float = 10.0,
    seed: int = 0,
    course: int = 1,
) -> Adjusted:
    """Re-plan ``draft`` (its course ``course``) around ``pins`` and save it:
    :func:`prepare_repin`, :meth:`AdjustJob.search`, :meth:`AdjustJob.save` in one call."""
    job = prepare_repin(store, draft, pins, fewest_moves=fewest_moves, course=course)
    return job.save(store, job.search(method=method, time_limit=time_limit, seed=seed))


def reseat_draft(
    store: ClubStore,
    draft: Draft,
    changes: LateChanges,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    course: int = 1,
) -> Adjusted:
    """Re-seat ``draft`` (its course ``course``) after late changes, moving as few people as
    the rules allow, and save it: :func:`prepare_reseat`, :meth:`AdjustJob.search`,
    :meth:`AdjustJob.save` in one call."""
    job = prepare_reseat(store, draft, changes, course=course)
    return job.save(store, job.search(time_limit=time_limit, seed=seed))


def _prepare_course_reseat(
    store: ClubStore, evening: Draft, changes: LateChanges, course: int
) -> AdjustJob | EveningJob:
    """:func:`prepare_reseat` of course ``course`` of a draft with several courses: that
    course alone after cancellations, every course after walk-ins or table changes."""
    draft = course_of(evening, course)
    check_late_changes(draft, changes)
    cancelled = list(changes.cancel)
    tables, handed_over = hand_over_hosts(store, draft, changes)
    late_notes = [*handed_over, *guests_left_alone(store, draft, changes)]
    if changes.walk_in or changes.add_tables or changes.remove_tables:
        removed = list(changes.remove_tables)
        attendees = [m for m in draft.attendees if m not in cancelled] + list(changes.walk_in)
        problem, notes = dinner_problem(store, evening.date, attendees, tables)
        pins = [
            {m: t for m, t in evening.course(k).pins.items()
             if m not in cancelled and t not in removed}
            for k in range(1, evening.num_courses + 1)
        ]  # fmt: skip
        reasons = {t: f"table {t} was removed" for t in removed}
        notes = [*late_notes, *notes]
        return EveningJob(evening, problem, tables, pins, course, reasons, cancelled, notes)
    rest = without(evening, cancelled, tables)
    pins = {m: t for m, t in draft.pins.items() if m not in cancelled}
    attendees = [m for m in draft.attendees if m not in cancelled]
    problem, notes = course_problem(store, rest, course, attendees=attendees, tables=tables)
    return AdjustJob(
        draft, problem, tables, pins, True, {}, cancelled, [*late_notes, *notes], course,
        evening, rest,
    )  # fmt: skip
