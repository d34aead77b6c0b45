"""What the club database keeps, as values: members, draft plans, recorded dinners, and what an
import changed.

These are the records :class:`~seating.club.store.ClubStore` reads and writes, and what the
workflow, the files and the print-outs pass around. They hold no database connection; each
turns into the planning model's input where the planner needs it (:meth:`ClubMember.to_member`,
:meth:`Draft.as_past`, :meth:`RecordedDinner.as_past`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

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


class Draft(BaseModel):
    """A plan for a dinner that has not happened yet; ``pins`` maps member id to table id."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    tables: list[DraftTable]
    pins: dict[str, str] = Field(default_factory=dict)
    objective: float | None = None
    method: str = ""

    @property
    def attendees(self) -> list[str]:
        return [m for table in self.tables for m in table.members]

    def table_of(self) -> dict[str, str]:
        """Member id -> table id."""
        return {m: table.id for table in self.tables for m in table.members}

    def tables_input(self) -> list[Table]:
        """The tables as the planning model sees them."""
        return [Table(id=t.id, capacity=t.capacity, host=t.host) for t in self.tables]

    def as_past(self) -> PastDinner:
        return PastDinner(date=self.date, tables=[t.members for t in self.tables if t.members])


@dataclass(frozen=True)
class SeatedTable:
    """One table of a recorded dinner."""

    id: str
    members: tuple[str, ...]
    capacity: int | None = None
    host: str | None = None


@dataclass(frozen=True)
class RecordedDinner:
    """A dinner that took place, table by table."""

    date: dt.date
    tables: tuple[SeatedTable, ...]

    def seating(self) -> dict[str, str]:
        """Member id -> table id."""
        return {m: t.id for t in self.tables for m in t.members}

    def as_past(self) -> PastDinner:
        return PastDinner(date=self.date, tables=[list(t.members) for t in self.tables])


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
