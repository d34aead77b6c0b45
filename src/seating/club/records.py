"""What the club database keeps, as values: members, draft plans, recorded dinners, and what an
import changed.

These are the records :class:`~seating.club.store.ClubStore` reads and writes, and what the
workflow, the files and the print-outs pass around. They hold no database connection; each
turns into the planning model's input where the planner needs it (:meth:`ClubMember.to_member`,
:meth:`Draft.as_history`, :meth:`RecordedDinner.as_history`: one past dinner per
course).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from seating.models import Member, PastDinner, Table


class ClubMember(BaseModel):
    """A member as the club database keeps them.

    ``host`` marks members who can host a table; ``active`` is False for members who left the
    club: they stay in the history but are no longer planned. ``joined`` is when the member
    joined (the newcomer rule counts from it); ``guest_of`` the id of the member who invited a
    guest. A guest registered for one dinner is a member who is not active with ``guest_of``
    set (:attr:`is_guest`): planned only when named, in the history like anyone.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    name: str | None = None
    company: str | None = None
    industry: str | None = None
    languages: list[str] = Field(default_factory=list)
    host: bool = False
    active: bool = True
    joined: dt.date | None = None
    guest_of: str | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.id

    @property
    def is_guest(self) -> bool:
        """A guest registered for a dinner: not planned unless named, not a member who left."""
        return not self.active and self.guest_of is not None

    def to_member(self) -> Member:
        """The planning model of this member."""
        return Member(
            id=self.id,
            name=self.name,
            company=self.company,
            industry=self.industry,
            languages=list(self.languages),
            joined=self.joined,
            guest_of=self.guest_of,
        )


class DraftTable(BaseModel):
    """One table of a draft plan: id, capacity, host and who sits there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    capacity: int = Field(ge=1)
    host: str | None = None
    members: list[str] = Field(default_factory=list)


class DraftCourse(BaseModel):
    """A later course of a draft with several courses: who sits at each table (the draft's
    tables, same ids, capacities and hosts) and the pins of that course."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tables: list[DraftTable]
    pins: dict[str, str] = Field(default_factory=dict)


class Draft(BaseModel):
    """A plan for a dinner that has not happened yet; ``pins`` maps member id to table id.

    ``tables`` and ``pins`` are the first course; a dinner with several courses holds the
    seating of each later course in ``later_courses`` (left out of the stored JSON when
    empty, so a one-course draft is stored as before and drafts stored before courses load).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    tables: list[DraftTable]
    pins: dict[str, str] = Field(default_factory=dict)
    objective: float | None = None
    method: str = ""
    later_courses: list[DraftCourse] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _leave_out_courses(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        data = handler(self)
        if not self.later_courses:
            data.pop("later_courses", None)
        return data

    @property
    def attendees(self) -> list[str]:
        return [m for table in self.tables for m in table.members]

    @property
    def num_courses(self) -> int:
        return 1 + len(self.later_courses)

    def table_of(self) -> dict[str, str]:
        """Member id -> table id (the first course)."""
        return {m: table.id for table in self.tables for m in table.members}

    def course_tables(self) -> list[list[DraftTable]]:
        """The tables of every course, in order (one list for a one-course draft)."""
        return [self.tables, *(c.tables for c in self.later_courses)]

    def course(self, number: int) -> Draft:
        """Course ``number`` (from 1) as a one-course draft: its tables and pins.

        Raises
        ------
        ValueError
            The draft has no such course (the message names it).
        """
        if not 1 <= number <= self.num_courses:
            courses = f"{self.num_courses} course{'s' if self.num_courses != 1 else ''}"
            raise ValueError(f"the draft of {self.date} has {courses}, not a course {number}")
        if number == 1:
            return self.model_copy(update={"later_courses": []})
        later = self.later_courses[number - 2]
        return self.model_copy(
            update={"tables": later.tables, "pins": later.pins, "later_courses": []}
        )

    def with_course(self, number: int, course: Draft) -> Draft:
        """This draft with course ``number`` (from 1) seated as the one-course ``course``
        (its tables, pins and method). A draft of one course becomes ``course``; with several
        courses the evening's objective is left unset (the draft is judged when shown)."""
        if self.num_courses == 1:
            return course
        update: dict[str, object] = {"objective": None, "method": course.method}
        if number == 1:
            update |= {"tables": course.tables, "pins": course.pins}
        else:
            later = list(self.later_courses)
            later[number - 2] = DraftCourse(tables=course.tables, pins=course.pins)
            update["later_courses"] = later
        return self.model_copy(update=update)

    def tables_input(self) -> list[Table]:
        """The tables as the planning model sees them."""
        return [Table(id=t.id, capacity=t.capacity, host=t.host) for t in self.tables]

    def as_history(self) -> list[PastDinner]:
        """The dinner as history: one past dinner per course, in order."""
        return [
            PastDinner(date=self.date, tables=[t.members for t in tables if t.members])
            for tables in self.course_tables()
        ]

    def as_past(self) -> PastDinner:
        """The dinner of one course as history (:meth:`as_history` for any dinner)."""
        return _one_course(self.as_history(), self.date)


@dataclass(frozen=True)
class SeatedTable:
    """One table of a recorded dinner."""

    id: str
    members: tuple[str, ...]
    capacity: int | None = None
    host: str | None = None


@dataclass(frozen=True)
class RecordedDinner:
    """A dinner that took place, table by table: ``tables`` is the first course,
    ``later_courses`` the tables of each later course of a dinner with several courses."""

    date: dt.date
    tables: tuple[SeatedTable, ...]
    later_courses: tuple[tuple[SeatedTable, ...], ...] = ()

    @property
    def courses(self) -> tuple[tuple[SeatedTable, ...], ...]:
        """The tables of every course, in order."""
        return (self.tables, *self.later_courses)

    def seating(self) -> dict[str, str]:
        """Member id -> table id (the first course)."""
        return {m: t.id for t in self.tables for m in t.members}

    def seatings(self) -> list[dict[str, str]]:
        """Member id -> table id, one mapping per course."""
        return [{m: t.id for t in tables for m in t.members} for tables in self.courses]

    def as_history(self) -> list[PastDinner]:
        """The dinner as history: one past dinner per course, in order."""
        return [
            PastDinner(date=self.date, tables=[list(t.members) for t in tables])
            for tables in self.courses
        ]

    def as_past(self) -> PastDinner:
        """The dinner of one course as history (:meth:`as_history` for any dinner)."""
        return _one_course(self.as_history(), self.date)


def _one_course(history: list[PastDinner], date: dt.date) -> PastDinner:
    if len(history) != 1:
        raise ValueError(f"the dinner of {date} has {len(history)} courses: use as_history()")
    return history[0]


@dataclass(frozen=True)
class MemberImport:
    """What an import of members changed."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: int = 0
    left: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryImport:
    """What an import of history changed: dates added, replaced, already recorded alike."""

    added: tuple[dt.date, ...] = ()
    replaced: tuple[dt.date, ...] = ()
    unchanged: tuple[dt.date, ...] = ()
    seats: int = 0
