"""Who has sat with whom: meeting counts, faded meetings and recency from past seatings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

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
        Dinners since i and j last sat together: 0 = the most recent dinner, :data:`NEVER`
        for pairs that never met.
    num_dinners
        How many past dinners were read.
    """

    counts: np.ndarray
    faded: np.ndarray
    last_age: np.ndarray
    num_dinners: int


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
    dinners: Sequence[PastDinner], index: Mapping[str, int], half_life: float | None = None
) -> MeetingHistory:
    """Count meetings among the members of ``index`` over past ``dinners``.

    Dinners are ordered by date (a stable sort keeps the given order for equal dates); members
    not in ``index`` are ignored, so ``index`` may be restricted to one dinner's attendees.
    """
    n = len(index)
    counts = np.zeros((n, n), dtype=np.int32)
    faded = np.zeros((n, n), dtype=np.float64)
    last_age = np.full((n, n), NEVER, dtype=np.int32)
    ordered = sorted(dinners, key=lambda d: d.date)
    num = len(ordered)
    for position, dinner in enumerate(ordered):
        age = num - 1 - position
        decay = 1.0 if half_life is None else 0.5 ** (age / half_life)
        for table in dinner.tables:
            idx = np.fromiter((index[m] for m in table if m in index), dtype=np.int64)
            if idx.size < 2:
                continue
            block = np.ix_(idx, idx)
            counts[block] += 1
            faded[block] += decay
            # Later dinners come last, so the final write is the most recent (smallest) age.
            last_age[block] = age
    np.fill_diagonal(counts, 0)
    np.fill_diagonal(faded, 0.0)
    np.fill_diagonal(last_age, NEVER)
    return MeetingHistory(counts=counts, faded=faded, last_age=last_age, num_dinners=num)
