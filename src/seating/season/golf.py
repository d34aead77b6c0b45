"""Classic Social Golfer instances as seating problems: g tables of s seats, w dinners.

With adjacent sizes (``players`` between ``g * s`` and ``g * (s + 1)``), ``players - g * s``
tables seat s + 1 and the others s; everybody attends every dinner.
"""

from __future__ import annotations

import datetime as dt

from seating.errors import InputError
from seating.models import Dinner, Member, Policy, ProblemInput, Rules, Table
from seating.season.model import check_size

FIRST_DATE = dt.date(2026, 1, 7)


def table_sizes(g: int, s: int, players: int | None = None) -> list[int]:
    """Capacities of the g tables; raise :class:`InputError` on impossible parameters."""
    if g < 1:
        raise InputError(f"golf: need at least 1 table (got g={g})")
    if s < 2:
        raise InputError(f"golf: tables must seat at least 2 (got s={s})")
    v = g * s if players is None else players
    if not g * s <= v <= g * (s + 1):
        raise InputError(
            f"golf: {v} players do not fill {g} tables of {s} or {s + 1} seats "
            f"(between {g * s} and {g * (s + 1)})"
        )
    larger = v - g * s
    return [s + 1] * larger + [s] * (g - larger)


def golf_problem(g: int, s: int, w: int, *, players: int | None = None) -> ProblemInput:
    """The g-s-w Social Golfer instance: players ``p001 ...``, weekly dinners, tables T1..Tg.

    Raises
    ------
    InputError
        ``g < 1``, ``s < 2``, ``w < 1``, players outside ``[g*s, g*(s+1)]``, or an instance
        too large to plan in memory (the message gives the size).
    """
    sizes = table_sizes(g, s, players)
    if w < 1:
        raise InputError(f"golf: need at least 1 dinner (got w={w})")
    v = sum(sizes)
    check_size(v, w, g, what=f"golf {g}-{s}-{w}")
    width = len(str(v))
    members = [Member(id=f"p{i + 1:0{width}d}") for i in range(v)]
    tables = [Table(id=f"T{t + 1}", capacity=c) for t, c in enumerate(sizes)]
    dinners = [Dinner(date=FIRST_DATE + dt.timedelta(weeks=k), tables=tables) for k in range(w)]
    return ProblemInput(
        members=members,
        dinners=dinners,
        policy=Policy(repeat_weight=-1.0),
        rules=Rules(max_per_company=None),
    )
