"""Who has sat with whom, as a dinner's objective sees it: meeting counts, faded meetings and
recency from past seatings (counted by :mod:`seating.compile.meetings`).

Recency is counted in evenings, not seatings: a dinner with several courses is recorded as one
past dinner per course, all of one date, and every course of an evening is "the same dinner
ago" (for ``rules.cooldown``, ``policy.recent_dinners`` and ``policy.half_life``). Meetings
still count per course: a pair seated together at two courses met twice. The earlier courses
of the evening being planned (seatings dated on ``current``) are as recent as the last
evening before it: age 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from seating.compile.meetings import MeetingTally, table_indices
from seating.errors import InputError
from seating.models import PastDinner

NEVER = np.iinfo(np.int32).max
"""Age stored for a pair that never met."""


@dataclass(frozen=True)
class MeetingHistory:
    """Pairwise meeting statistics over a set of members (index order of ``index``).

    Attributes
    ----------
    counts
        ``counts[i, j]`` = number of past dinners at which i and j sat at one table.
    faded
        The same, each meeting weighted ``0.5 ** (age / half_life)``; equals ``counts`` when
        ``half_life`` is ``None``.
    last_age
        Evenings since i and j last sat together: 0 = the most recent evening (and the
        earlier courses of the current one), :data:`NEVER` for pairs that never met.
    num_dinners
        How many past dinners (seatings, one per course) were read.
    """

    counts: np.ndarray
    faded: np.ndarray
    last_age: np.ndarray
    num_dinners: int

    @classmethod
    def of(
        cls,
        meetings: MeetingTally,
        members: np.ndarray | None = None,
        *,
        copy: bool = True,
        during_evening: bool = False,
    ) -> MeetingHistory:
        """The history counted in ``meetings``, as seen after its last dinner.

        Parameters
        ----------
        meetings
            The tally of the past dinners, added in date order.
        members
            Rows of the tally to keep, in this order (default: all); the arrays are copies.
        copy
            ``False``: share the tally's arrays when ``members`` is ``None`` (for a caller that
            drops the tally; a copy of a 1,000-member tally took a tenth of a second).
        during_evening
            The tally's last evening is the one being planned (its earlier courses): its
            meetings and those of the evening before are both of age 0.
        """
        counts, faded, last = meetings.counts, meetings.faded, meetings.last
        if members is not None:
            block = np.ix_(members, members)
            counts, faded, last = counts[block], faded[block], last[block]
        elif copy:
            counts, faded = counts.copy(), faded.copy()
        # Ages below NEVER by far (there are fewer dinners): computed in int32 directly.
        age = (meetings.evenings - 1 - last).astype(np.int32)
        if during_evening:
            np.maximum(age - 1, 0, out=age)
        age[last < 0] = NEVER
        return cls(counts=counts, faded=faded, last_age=age, num_dinners=meetings.dinners)


def check_past_dinner(dinner: PastDinner, known: Mapping[str, int], where: str) -> None:
    """Raise :class:`InputError` if a past dinner names unknown members or seats one twice."""
    seen: set[str] = set()
    for table in dinner.tables:
        for member in table:
            if member not in known:
                raise InputError(f"{where} ({dinner.date}): unknown member id {member!r}")
            if member in seen:
                raise InputError(f"{where} ({dinner.date}): member {member!r} is seated twice")
            seen.add(member)


def meeting_history(
    dinners: Sequence[PastDinner],
    index: Mapping[str, int],
    half_life: float | None = None,
    current: dt.date | None = None,
) -> MeetingHistory:
    """Count meetings among the members of ``index`` over past ``dinners``.

    Dinners are ordered by date (a stable sort keeps the given order for equal dates); the
    dinners of one date are the courses of one evening, and ages count evenings. Members not
    in ``index`` are ignored, so ``index`` may be restricted to one dinner's attendees.
    ``current``: the date of the dinner being planned; dinners of that date are its earlier
    courses, of age 0 like the evening before it.
    """
    if not dinners:
        # No history (a Social Golfer season, a new club): lazily zeroed arrays, no tally.
        # Recounting nothing cost 0.1 s per dinner compiled at 1,000 members under load.
        n = len(index)
        return MeetingHistory(
            counts=np.zeros((n, n), dtype=np.int32),
            faded=np.zeros((n, n), dtype=np.float64),
            last_age=np.full((n, n), NEVER, dtype=np.int32),
            num_dinners=0,
        )
    tonight = current is not None and any(d.date == current for d in dinners)
    return MeetingHistory.of(
        past_meetings(dinners, index, half_life, current), copy=False, during_evening=tonight
    )


def past_meetings(
    dinners: Sequence[PastDinner],
    index: Mapping[str, int],
    half_life: float | None = None,
    current: dt.date | None = None,
) -> MeetingTally:
    """The tally behind :func:`meeting_history`: ``dinners`` in date order, one evening per
    date, each meeting faded by the age of its evening (``0.5 ** (age / half_life)``, age 0 =
    the most recent evening). Dinners dated ``current`` (the earlier courses of the evening
    being planned) come last, as one evening of age 0."""
    # Sorted by date, the dinners of ``current`` moved to the end (stable: courses in order).
    ordered = sorted(dinners, key=lambda d: (d.date == current, d.date))
    dates = sorted({d.date for d in ordered if d.date != current})
    evening = {date: k for k, date in enumerate(dates)}
    out = MeetingTally(len(index))
    previous = None
    for dinner in ordered:
        # The age is known up front, so each meeting is faded once, exactly.
        age = 0 if dinner.date == current else len(dates) - 1 - evening[dinner.date]
        decay = 1.0 if half_life is None else 0.5 ** (age / half_life)
        out.add(
            table_indices(dinner.tables, index),
            weight=decay,
            same_evening=dinner.date == previous,
        )
        previous = dinner.date
    return out
