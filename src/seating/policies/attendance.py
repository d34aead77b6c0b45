"""Who is a member of a simulated club and who attends each dinner of a season.

The calendar of a season depends only on the club and the seed, never on the policy that seats
it, so :mod:`seating.policies.simulate` compares policies on the same attendance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from seating.compile.problem import check_references
from seating.models import Member, PastDinner, ProblemInput, Rules, Table
from seating.policies.synthetic import tables_for

DEFAULT_ATTENDANCE = 0.65
"""Attendance probability of a member when the club has no history to estimate it from."""


@dataclass(frozen=True)
class Club:
    """What a simulation starts from: members, their past dinners, rules and table layout.

    Attributes
    ----------
    members
        The founding members.
    history
        Dinners before the season (the policy sees them when ``history=True``).
    rules
        Hard rules held at every dinner (hosts come from ``hosts``).
    table_sizes
        Capacities of the tables, cycled through until every attendee has a seat.
    hosts
        Members who host a table whenever they attend (one table each, in order).
    first_date
        Date of the season's first dinner; later dinners are monthly.
    """

    members: tuple[Member, ...]
    history: tuple[PastDinner, ...] = ()
    rules: Rules = field(default_factory=Rules)
    table_sizes: tuple[int, ...] = (10, 8)
    hosts: tuple[str, ...] = ()
    first_date: dt.date = dt.date(2027, 1, 7)

    @classmethod
    def from_problem(cls, problem: ProblemInput | Mapping[str, Any]) -> Club:
        """A club from a planning problem: its first dinner gives the table layout and hosts."""
        if not isinstance(problem, ProblemInput):
            problem = ProblemInput.from_dict(problem)
        check_references(problem)
        dinner = problem.dinners[0]
        return cls(
            members=tuple(problem.members),
            history=tuple(sorted(problem.history, key=lambda d: d.date)),
            rules=problem.rules,
            table_sizes=tuple(t.capacity for t in dinner.tables),
            hosts=tuple(t.host for t in dinner.tables if t.host is not None),
            first_date=dinner.date,
        )


@dataclass(frozen=True)
class Calendar:
    """Who is a member and who attends each dinner of one season (policy-independent)."""

    dates: tuple[dt.date, ...]
    attendees: tuple[tuple[str, ...], ...]
    tables: tuple[tuple[Table, ...], ...]
    members: tuple[Member, ...]
    joined: Mapping[str, int]
    left: Mapping[str, int]

    def members_at(self, k: int) -> list[Member]:
        """Everyone who has been a member up to dinner ``k`` (leavers stay: history names them)."""
        return [m for m in self.members if self.joined.get(m.id, -1) <= k]


def season_calendar(
    club: Club,
    dinners: int,
    seed: int,
    attendance: Mapping[str, float],
    join_rate: float = 0.0,
    leave_rate: float = 0.0,
    newcomer_attendance: float = DEFAULT_ATTENDANCE,
) -> Calendar:
    """Draw membership and attendance for a season; the same seed gives the same calendar.

    Before each dinner every member leaves with probability ``leave_rate``, a Poisson number
    of new members joins (each from a company of their own), and every member attends with
    their own probability. Tables cycle through ``club.table_sizes`` until every attendee has
    a seat, and chairs are set for exactly the guests who come (:func:`set_chairs`); attending
    hosts take the first tables.
    """
    rng = np.random.default_rng([seed, 1])
    rates = dict(attendance)
    current = [m.id for m in club.members]
    everyone = list(club.members)
    industries = [m.industry for m in club.members if m.industry] or [None]
    joined: dict[str, int] = {}
    left: dict[str, int] = {}
    taken = {m.id for m in club.members}
    dates, attendees, tables = [], [], []
    counter = 0
    for d in range(dinners):
        leaving = rng.random(len(current)) < leave_rate
        for member, leaves in zip(current, leaving, strict=True):
            if leaves:
                left[member] = d
        current = [m for m, leaves in zip(current, leaving, strict=True) if not leaves]
        for _ in range(int(rng.poisson(join_rate))):
            counter += 1
            while f"new{counter:03d}" in taken:
                counter += 1
            member_id = f"new{counter:03d}"
            taken.add(member_id)
            everyone.append(
                Member(
                    id=member_id,
                    name=f"Newcomer {counter}",
                    company=f"Newcomer company {counter}",
                    industry=industries[int(rng.integers(len(industries)))],
                )
            )
            rates[member_id] = newcomer_attendance
            joined[member_id] = d
            current.append(member_id)
        draws = rng.random(len(current))
        present = tuple(m for m, u in zip(current, draws, strict=True) if u < rates[m])
        capacities = set_chairs(tables_for(len(present), club.table_sizes), len(present))
        hosts = [h for h in club.hosts if h in present][: len(capacities)]
        tables.append(
            tuple(
                Table(id=f"T{t + 1}", capacity=c, host=hosts[t] if t < len(hosts) else None)
                for t, c in enumerate(capacities)
            )
        )
        attendees.append(present)
        dates.append(_month(club.first_date, d))
    return Calendar(
        dates=tuple(dates),
        attendees=tuple(attendees),
        tables=tuple(tables),
        members=tuple(everyone),
        joined=joined,
        left=left,
    )


def set_chairs(capacities: Sequence[int], attendees: int) -> list[int]:
    """Chairs at each table when the organiser sets exactly as many as there are guests.

    The largest tables give up chairs first, so tables end up as even as the sizes allow and
    nobody is left at a nearly empty table.
    """
    chairs = list(capacities)
    for _ in range(max(0, sum(chairs) - attendees)):
        chairs[int(np.argmax(chairs))] -= 1
    return [c for c in chairs if c > 0]


def _month(first: dt.date, k: int) -> dt.date:
    month = first.month - 1 + k
    return dt.date(first.year + month // 12, month % 12 + 1, min(first.day, 28))
