"""Late changes that touch every course of a draft with several courses: walk-ins (who need a
seat in every course) and tables removed or added. Every course is re-seated moving as few
people as the rules allow, one after the other, each with the evening's other courses (as
they are by then) counting as met.

The job has the interface of :class:`~seating.club.workflow.adjusting.AdjustJob`:
:meth:`EveningJob.search` reads no database, :meth:`EveningJob.save` writes the new draft
unless another command changed it meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from seating.adjust import Adjustment, reseat
from seating.club.records import Draft
from seating.club.store import ClubStore
from seating.club.workflow.adjusted import Adjusted
from seating.club.workflow.problems import draft_from, later_draft_notes, moved, unique
from seating.models import PastDinner, ProblemInput, Table
from seating.stop import Stop, budget


@dataclass(frozen=True)
class EveningJob:
    """A checked late change of every course of ``evening``: :meth:`search`, then
    :meth:`save`.

    Attributes
    ----------
    evening
        The draft as stored.
    problem
        The dinner after the changes (attendees, tables), its history without the evening.
    tables
        The tables after the changes.
    pins
        Per course (from 1): the pins that still hold.
    course
        The course the organiser asked for: re-seated first, and the one whose moves are
        reported.
    removed
        Removed table id -> the reason, for the explanations of the moves.
    cancelled
        The members who no longer come.
    notes
        What to tell the organiser besides.
    """

    evening: Draft
    problem: ProblemInput
    tables: list[Table]
    pins: list[dict[str, str]]
    course: int
    removed: dict[str, str] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def order(self) -> list[int]:
        """The courses in the order they are re-seated: the one asked for first."""
        others = [k for k in range(1, self.evening.num_courses + 1) if k != self.course]
        return [self.course, *others]

    def search(
        self, *, method: str = "auto", time_limit: float = 10.0, seed: int = 0,
        stop: Stop | None = None,
    ) -> list[Adjustment]:  # fmt: skip
        """Re-seat the courses one after the other (``method`` unused: fewest moves); reads
        and writes no database. Stops at the first course without a plan (the last entry)."""
        stop = budget(time_limit, stop)
        seatings = {k: self.evening.course(k).table_of() for k in self.order}
        found: list[Adjustment] = []
        for n, k in enumerate(self.order):
            others = [
                as_past_of(self.evening.date, seatings[c]) for c in sorted(seatings) if c != k
            ]
            problem = self.problem.model_copy(update={"history": [*self.problem.history, *others]})
            share = stop.remaining() / (len(self.order) - n)
            adjustment = reseat(
                problem, seatings[k], self.pins[k - 1], time_limit=share, seed=seed,
                removed_tables=self.removed, stop=stop,
            )  # fmt: skip
            found.append(adjustment)
            if not adjustment.result.status.has_plan:
                break
            seated = adjustment.result.dinners[0].tables
            seatings[k] = {m: t.id for t in seated for m in t.members}
        return found

    def save(self, store: ClubStore, found: list[Adjustment]) -> Adjusted:
        """Save the courses :meth:`search` re-seated as the new draft (nothing when a course
        has no plan).

        Raises
        ------
        StoreError
            The draft was changed by another command meanwhile; nothing is written.
        """
        asked = found[0]
        released = [m for m in self.evening.course(self.course).pins
                    if m not in self.pins[self.course - 1]]  # fmt: skip
        failed = next((a for a in found if not a.result.status.has_plan), None)
        if failed is not None or len(found) < len(self.order):
            result = (failed or asked).result
            return Adjusted(
                self.problem, result, asked, None, self.pins[self.course - 1], self.cancelled,
                released, notes=self.notes,
            )  # fmt: skip
        new = self.evening
        for k, adjustment in zip(self.order, found, strict=True):
            one = draft_from(adjustment.result, self.evening.date, self.tables, self.pins[k - 1])
            new = new.with_course(k, one)
        store.save_draft(new, expected=self.evening)
        notes = unique(self.notes, later_draft_notes(store, self.evening.date))
        before = self.evening.course(self.course).table_of()
        changed = moved(before, new.course(self.course).table_of())
        return Adjusted(
            self.problem, asked.result, asked, new, self.pins[self.course - 1], self.cancelled,
            released, changed, notes,
        )  # fmt: skip


def as_past_of(date: dt.date, seating: Mapping[str, str]) -> PastDinner:
    """A course's seating (member id -> table id) as a past dinner of ``date``."""
    tables: dict[str, list[str]] = {}
    for member, table in seating.items():
        tables.setdefault(table, []).append(member)
    return PastDinner(date=date, tables=list(tables.values()))
