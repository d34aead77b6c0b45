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
    tables = [table if isinstance(table, (list, tuple)) else list(table) for table in tables]
    # One lookup pass over the whole dinner, then one split: a call of np.fromiter per table
    # cost more than the lookups on large dinners (a third of a second for 100 dinners of 650).
    get = index.get
    found = np.fromiter(
        (get(m, -1) for table in tables for m in table),
        dtype=np.int64,
        count=sum(len(table) for table in tables),
    )
    sizes = np.fromiter((len(table) for table in tables), dtype=np.int64, count=len(tables))
    parts = np.split(found, np.cumsum(sizes)[:-1]) if tables else []
    return [part[part >= 0] for part in parts]


def table_pairs(tables: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Every ordered pair ``(i, j)``, ``i != j``, of members seated at one of ``tables``.

    Parameters
    ----------
    tables
        One index array per table.

    Returns
    -------
    rows, cols
        Two int64 arrays of equal length: ``rows[k]`` sat with ``cols[k]``.
    """
    if not tables:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    sizes = np.fromiter((t.size for t in tables), dtype=np.int64, count=len(tables))
    members = np.concatenate(tables).astype(np.int64, copy=False)
    first = np.cumsum(sizes) - sizes  # position of each table's first member in ``members``
    # Entry e of ``members`` pairs with every entry of its table: ``width[e]`` of them.
    width = np.repeat(sizes, sizes)
    entry = np.repeat(np.arange(members.size), width)
    offset = np.arange(entry.size) - np.repeat(np.cumsum(width) - width, width)
    partner = np.repeat(np.repeat(first, sizes), width) + offset
    keep = entry != partner
    return members[entry[keep]], members[partner[keep]]


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
        ``(n, n)`` int64, the evening (0 = the first evening added) of the last dinner at which
        i and j sat together, -1 if never (and on the diagonal). Each dinner added is an
        evening of its own unless added with ``same_evening`` (the courses of one evening):
        then this is the position of the last dinner.
    attended
        ``(n,)`` int64, dinners at which each member sat at a table (alone included).
    dinners
        Dinners added so far.
    evenings
        Evenings added so far (at most ``dinners``).
    """

    def __init__(self, n: int) -> None:
        self.counts = np.zeros((n, n), dtype=np.int32)
        self.faded = np.zeros((n, n), dtype=np.float64)
        self.last = np.full((n, n), -1, dtype=np.int64)
        self.attended = np.zeros(n, dtype=np.int64)
        self.dinners = 0
        self.evenings = 0

    def add(
        self, tables: Iterable[np.ndarray], weight: float = 1.0, *, same_evening: bool = False
    ) -> None:
        """Count one dinner: ``tables`` holds the member indices at each of its tables.

        Parameters
        ----------
        tables
            One index array per table; the tables of a dinner are disjoint.
        weight
            What each of its meetings adds to :attr:`faded`.
        same_evening
            A later course of the evening added last: its meetings are stamped with that
            evening in :attr:`last` (ignored when nothing was added yet).
        """
        tables = [np.asarray(idx, dtype=np.int64) for idx in tables]
        rows, cols = table_pairs(tables)
        n = self.attended.shape[0]
        # The tables of a dinner are disjoint, so each pair occurs once here: plain fancy
        # indexing counts it (no np.add.at); one call per dinner, not three per table.
        keys = rows * n + cols
        self.counts.reshape(-1)[keys] += 1
        self.faded.reshape(-1)[keys] += weight
        if not same_evening or self.evenings == 0:
            self.evenings += 1
        self.last.reshape(-1)[keys] = self.evenings - 1
        seated = [idx for idx in tables if idx.size]
        if seated:
            self.attended[np.concatenate(seated)] += 1
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
