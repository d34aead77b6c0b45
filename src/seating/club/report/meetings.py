"""Who met whom, how often: pair counts and per-member figures over the recorded dinners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from seating.club.records import ClubMember, RecordedDinner
from seating.compile.meetings import MeetingTally, table_indices


@dataclass(frozen=True)
class MemberFigures:
    """One member's figures over the recorded dinners."""

    member: ClubMember
    dinners: int
    people_met: int
    not_met: int
    most_met: str | None
    most_met_times: int


@dataclass(frozen=True)
class MeetingStats:
    """Pairwise meetings among the club's members.

    Attributes
    ----------
    members
        Every member, in index order.
    counts
        ``(n, n)`` dinners at which each pair sat at one table.
    last
        ``(n, n)`` index into ``dates`` of the pair's last meeting, -1 if never.
    attended
        ``(n,)`` dinners each member attended.
    dates
        The recorded dinners' dates, oldest first, once per course.
    """

    members: tuple[ClubMember, ...]
    counts: np.ndarray
    last: np.ndarray
    attended: np.ndarray
    dates: tuple[dt.date, ...]

    def index(self, member_id: str) -> int:
        for i, member in enumerate(self.members):
            if member.id == member_id:
                return i
        raise KeyError(member_id)

    def pairs(self, *, minimum: int = 1) -> list[tuple[ClubMember, ClubMember, int, dt.date]]:
        """Pairs who met at least ``minimum`` times, most often first."""
        ii, jj = np.nonzero(np.triu(self.counts >= max(1, minimum), 1))
        rows = [
            (self.members[i], self.members[j], int(self.counts[i, j]), self.dates[self.last[i, j]])
            for i, j in zip(ii.tolist(), jj.tolist(), strict=True)
        ]
        rows.sort(key=lambda r: (-r[2], r[0].id, r[1].id))
        return rows

    def not_met(self, *, active_only: bool = True) -> list[tuple[ClubMember, ClubMember]]:
        """Pairs of (active) members who never sat at one table."""
        keep = np.array([m.active or not active_only for m in self.members], dtype=bool)
        never = np.triu(self.counts == 0, 1) & keep[:, None] & keep[None, :]
        ii, jj = np.nonzero(never)
        return [
            (self.members[i], self.members[j])
            for i, j in zip(ii.tolist(), jj.tolist(), strict=True)
        ]

    def met_with(self, member_id: str) -> list[tuple[ClubMember, int, dt.date | None]]:
        """Everyone else with how often ``member_id`` met them (most first, never last)."""
        i = self.index(member_id)
        rows = [
            (
                other,
                int(self.counts[i, j]),
                self.dates[self.last[i, j]] if self.last[i, j] >= 0 else None,
            )
            for j, other in enumerate(self.members)
            if j != i
        ]
        rows.sort(key=lambda r: (-r[1], r[0].id))
        return rows

    def figures(self) -> list[MemberFigures]:
        """Per-member figures; ``not_met`` counts active members never sat with."""
        active = np.array([m.active for m in self.members], dtype=bool)
        rows = []
        for i, member in enumerate(self.members):
            met = self.counts[i] > 0
            others = active.copy()
            others[i] = False
            j = int(np.argmax(self.counts[i])) if met.any() else -1
            rows.append(
                MemberFigures(
                    member=member,
                    dinners=int(self.attended[i]),
                    people_met=int(met.sum()),
                    not_met=int((others & ~met).sum()),
                    most_met=self.members[j].id if j >= 0 else None,
                    most_met_times=int(self.counts[i, j]) if j >= 0 else 0,
                )
            )
        return rows


def meeting_stats(members: Sequence[ClubMember], dinners: Sequence[RecordedDinner]) -> MeetingStats:
    """Count who sat with whom over ``dinners`` (members not in ``members`` are skipped).

    Each course of a dinner with several courses counts as a meeting, as the planner counts
    it; a member attends the dinner once."""
    index = {m.id: i for i, m in enumerate(members)}
    ordered = sorted(dinners, key=lambda d: d.date)
    met = MeetingTally(len(members))
    attended = np.zeros(len(members), dtype=np.int64)
    for dinner in ordered:
        for tables in dinner.courses:
            met.add(table_indices((t.members for t in tables), index))
        seated = {index[m] for m in dinner.seating() if m in index}
        attended[list(seated)] += 1
    return MeetingStats(
        tuple(members),
        met.counts.astype(np.int64),
        met.last,
        attended,
        tuple(d.date for d in ordered for _ in d.courses),
    )
