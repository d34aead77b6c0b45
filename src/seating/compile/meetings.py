"""Pair meetings: how often each pair of members sat at one table, counted in one place.

Every count of "who sat with whom how often" goes through :class:`MeetingTally`: the history
that compiles a dinner (:func:`seating.compile.history.meeting_history`), the season planner's
running history, the season metrics of the notebooks, the club's meeting report and the
schedules of the design constructions. A seated dinner is a list of tables; a table is the
members who sat at it, as ids (:func:`table_indices` turns them into indices) or as indices.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from seating.models import PastDinner


def table_indices(tables: Iterable[Iterable[str]], index: Mapping[str, int]) -> list[np.ndarray]:
    """Each table's members as indices of ``index``; members not in ``index`` are skipped.

    Parameters
    ----------
    tables
        The tables of one dinner, each the ids of the members who sat at it.
    index
        Member id -> row of the count matrices.

    Returns
    -------
    list of numpy.ndarray
        One int64 array per table, in the order of ``tables`` (empty where nobody indexed sat).
    """
    return [
        np.fromiter((index[m] for m in table if m in index), dtype=np.int64) for table in tables
    ]


class MeetingTally:
    """Pair meetings counted dinner by dinner, in the order the dinners are added.

    Parameters
    ----------
    n
        Number of members (rows and columns of the matrices).

    Attributes
    ----------
    counts
        ``(n, n)`` int32, dinners at which i and j sat at one table (zero diagonal).
    faded
        ``(n, n)`` float64, the same with each meeting weighted by the ``weight`` it was added
        with (and by every later :meth:`fade`); equals ``counts`` when nothing is weighted.
    last
        ``(n, n)`` int64, position (0 = the first dinner added) of the last dinner at which i
        and j sat together, -1 if never (and on the diagonal).
    attended
        ``(n,)`` int64, dinners at which each member sat at a table (alone included).
    dinners
        Dinners added so far.
    """

    def __init__(self, n: int) -> None:
        self.counts = np.zeros((n, n), dtype=np.int32)
        self.faded = np.zeros((n, n), dtype=np.float64)
        self.last = np.full((n, n), -1, dtype=np.int64)
        self.attended = np.zeros(n, dtype=np.int64)
        self.dinners = 0

    def add(self, tables: Iterable[np.ndarray], weight: float = 1.0) -> None:
        """Count one dinner: ``tables`` holds the member indices at each of its tables.

        Parameters
        ----------
        tables
            One index array per table; the tables of a dinner are disjoint.
        weight
            What each of its meetings adds to :attr:`faded`.
        """
        for idx in tables:
            self.attended[idx] += 1
            if idx.size < 2:
                continue
            block = np.ix_(idx, idx)
            self.counts[block] += 1
            self.faded[block] += weight
            self.last[block] = self.dinners
        # The blocks above include each member with itself.
        np.fill_diagonal(self.counts, 0)
        np.fill_diagonal(self.faded, 0.0)
        np.fill_diagonal(self.last, -1)
        self.dinners += 1

    def fade(self, factor: float) -> None:
        """Multiply every meeting counted so far in :attr:`faded` by ``factor``."""
        self.faded *= factor


def tally(dinners: Iterable[PastDinner], index: Mapping[str, int]) -> MeetingTally:
    """Count the meetings among the members of ``index`` over ``dinners``, in the given order.

    Members not in ``index`` are ignored, so ``index`` may be restricted to one dinner's
    attendees. Callers that read :attr:`MeetingTally.last` pass the dinners in date order.
    """
    out = MeetingTally(len(index))
    for dinner in dinners:
        out.add(table_indices(dinner.tables, index))
    return out


def meeting_counts(dinners: Sequence[PastDinner], index: Mapping[str, int]) -> np.ndarray:
    """``(n, n)`` int32: the number of ``dinners`` at which each pair of ``index`` sat at one
    table (zero diagonal); members outside ``index`` are ignored."""
    return tally(dinners, index).counts


def schedule_counts(schedule: np.ndarray, v: int) -> np.ndarray:
    """``(v, v)`` int32: how often each pair of players meets in a ``(rounds, groups, size)``
    schedule of player indices ``0 .. v-1`` (zero diagonal)."""
    out = MeetingTally(v)
    for groups in schedule:
        out.add(groups)
    return out.counts
