"""The compiled problem: one dinner as immutable, index-based numpy arrays.

Solvers see only :class:`DinnerProblem`; they never touch pydantic models or the database.
Cross-reference checks on the input happen here, once (:func:`check_references`), and raise
:class:`~seating.errors.InputError` with a message naming the offending ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from seating.compile.history import NEVER, MeetingHistory, check_past_dinner, meeting_history
from seating.compile.policy import pair_weights
from seating.compile.table_rules import (
    TableRules,
    check_table_rules,
    compile_table_rules,
    guest_pairs,
)
from seating.errors import InputError
from seating.models import Dinner, PastDinner, ProblemInput

NO_LIMIT = 0
"""Value of ``max_per_company`` / ``max_per_industry`` in a compiled problem meaning 'none'."""


@dataclass(frozen=True, eq=False)
class DinnerProblem:
    """One dinner to seat, compiled to arrays over its ``n`` attendees and ``t`` tables.

    Attributes
    ----------
    date
        The dinner's date.
    member_ids, names
        Attendee ids and display names, in index order.
    table_ids, capacity
        Table ids and capacities, in index order.
    host_table
        ``(n,)`` table index each attendee must sit at, -1 if free.
    weights
        ``(n, n)`` symmetric cost of seating a pair together (policy applied); zero diagonal.
    meetings
        ``(n, n)`` earlier meetings of each pair (history plus earlier planned dinners).
    forbidden
        ``(n, n)`` pairs that may not share a table (keep-apart and cooldown).
    company, industry
        ``(n,)`` integer codes, -1 where unknown.
    max_per_company, max_per_industry
        Per-table limits, :data:`NO_LIMIT` for none.
    groups
        Keep-together groups, each an array of attendee indices (at least two).
    fairness
        Weight of the quadratic per-member repeat-load penalty.
    apart_pairs, cooldown_pairs
        The forbidden pairs by origin, as ``(i, j)`` index tuples with ``i < j`` (for explanations).
    table_rules
        The rules about everyone at a table: a shared language, newcomers
        (:mod:`seating.compile.table_rules`).
    guest_pairs
        ``(guest, inviter)`` index pairs that sit together because of ``guest_of`` (they are
        also in ``groups``; kept for explanations).
    """

    date: dt.date
    member_ids: tuple[str, ...]
    names: tuple[str, ...]
    table_ids: tuple[str, ...]
    capacity: np.ndarray
    host_table: np.ndarray
    weights: np.ndarray
    meetings: np.ndarray
    forbidden: np.ndarray
    company: np.ndarray
    industry: np.ndarray
    max_per_company: int
    max_per_industry: int
    groups: tuple[np.ndarray, ...]
    fairness: float
    apart_pairs: tuple[tuple[int, int], ...] = ()
    cooldown_pairs: tuple[tuple[int, int], ...] = ()
    cooldown: int | None = None
    company_names: tuple[str, ...] = field(default=())
    industry_names: tuple[str, ...] = field(default=())
    table_rules: TableRules = field(default_factory=TableRules)
    guest_pairs: tuple[tuple[int, int], ...] = ()

    def guest_pair_of(self, group: np.ndarray) -> tuple[int, int] | None:
        """The ``(guest, inviter)`` pair that the keep-together ``group`` is exactly, or
        ``None`` for a group a rule made: messages name a guest pair as what it is."""
        members = {int(i) for i in group}
        for pair in self.guest_pairs:
            if set(pair) == members:
                return pair
        return None

    @property
    def num_attendees(self) -> int:
        return len(self.member_ids)

    @property
    def num_tables(self) -> int:
        return len(self.table_ids)

    @property
    def met_before(self) -> np.ndarray:
        """``(n, n)`` bool: the pair sat together at least once before."""
        return self.meetings > 0


def _require_known(ids: Sequence[str], known: set[str], where: str) -> None:
    for member in ids:
        if member not in known:
            raise InputError(f"{where}: unknown member id {member!r}")


def _attendees(dinner: Dinner, members: Sequence[str]) -> list[str]:
    return list(members) if dinner.attendees is None else list(dinner.attendees)


MEMORY_LIMIT = 4 * 2**30
"""Dinners whose arrays would need more than this many bytes are refused (as seasons are,
:data:`seating.season.model.MEMORY_LIMIT`)."""

BYTES_PER_PAIR = 64
"""Bytes a dinner needs per pair of attendees, roughly: the weight, rule and meeting matrices
of the compiled dinner and the local search's unit weights, with their temporaries."""


def check_dinner_size(attendees: int, where: str = "dinner") -> None:
    """Raise :class:`InputError` naming the size when a dinner is too large to plan in memory
    (20,000 attendees once ran out of memory after 6.4 GB instead)."""
    need = BYTES_PER_PAIR * attendees * attendees
    if need > MEMORY_LIMIT:
        most = int((MEMORY_LIMIT / BYTES_PER_PAIR) ** 0.5)
        raise InputError(
            f"{where}: too large to plan in memory: {attendees:,} attendees need about "
            f"{need / 2**30:.0f} GiB (limit {MEMORY_LIMIT / 2**30:.0f} GiB, about {most:,} "
            "attendees)"
        )


def check_references(problem: ProblemInput) -> None:
    """Check every cross-reference of the input once; raise :class:`InputError` on the first.

    Checks unique member and table ids, that attendees, hosts, history and rules name known
    members, that hosts attend and host one table, capacity against attendance, that a pair is
    not both together and apart, and that each keep-together group fits some table.
    """
    member_ids = [m.id for m in problem.members]
    known: set[str] = set()
    for member in member_ids:
        if member in known:
            raise InputError(f"members: duplicate member id {member!r}")
        known.add(member)

    index = {m: i for i, m in enumerate(member_ids)}
    for k, past in enumerate(problem.history):
        check_past_dinner(past, index, f"history[{k}]")

    check_table_rules(problem)
    for p, pair in enumerate(problem.policy.introduce):
        _require_known(pair[:2], known, f"policy.introduce[{p}]")
        if pair[0] == pair[1]:
            raise InputError(f"policy.introduce[{p}]: member {pair[0]!r} is listed twice")

    rules = problem.rules
    for g, group in enumerate(rules.together):
        _require_known(group, known, f"rules.together[{g}]")
        if len(set(group)) != len(group):
            raise InputError(f"rules.together[{g}]: a member is listed twice")
    for p, (a, b) in enumerate(rules.apart):
        _require_known((a, b), known, f"rules.apart[{p}]")
        if a == b:
            raise InputError(f"rules.apart[{p}]: member {a!r} cannot be kept apart from itself")
    together_groups = _merge_groups(rules.together)
    group_of = {m: g for g, group in enumerate(together_groups) for m in group}
    for a, b in rules.apart:
        if a in group_of and group_of.get(b) == group_of[a]:
            raise InputError(f"rules: {a!r} and {b!r} are both kept together and kept apart")

    for d, dinner in enumerate(problem.dinners):
        where = f"dinners[{d}] ({dinner.date})"
        attendees = _attendees(dinner, member_ids)
        _require_known(attendees, known, f"{where} attendees")
        seen: set[str] = set()
        for member in attendees:
            if member in seen:
                raise InputError(f"{where} attendees: member {member!r} is listed twice")
            seen.add(member)
        if not attendees:
            raise InputError(f"{where}: no attendees")
        check_dinner_size(len(attendees), where)
        table_seen: set[str] = set()
        hosts: dict[str, str] = {}
        for table in dinner.tables:
            if table.id in table_seen:
                raise InputError(f"{where}: duplicate table id {table.id!r}")
            table_seen.add(table.id)
            if table.host is None:
                continue
            _require_known([table.host], known, f"{where} table {table.id!r} host")
            if table.host not in seen:
                raise InputError(
                    f"{where}: host {table.host!r} of table {table.id!r} does not attend"
                )
            if table.host in hosts:
                both = f"{hosts[table.host]!r}, {table.id!r}"
                raise InputError(f"{where}: {table.host!r} hosts two tables ({both})")
            hosts[table.host] = table.id
        capacity = sum(t.capacity for t in dinner.tables)
        if capacity < len(attendees):
            raise InputError(
                f"{where}: total capacity {capacity} is below attendance {len(attendees)}"
            )
        biggest = max(t.capacity for t in dinner.tables)
        guests = guest_pairs(problem, attendees, hosts, warn=False)
        for group in _merge_groups([*rules.together, *guests]) if guests else together_groups:
            present = [m for m in group if m in seen]
            if len(present) > biggest:
                raise InputError(
                    f"{where}: keep-together group {sorted(present)} has {len(present)} members "
                    f"but the largest table seats {biggest}"
                )


def _merge_groups(groups: Sequence[Sequence[str]]) -> list[list[str]]:
    """Union overlapping keep-together groups (a member in two groups joins them)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for group in groups:
        for member in group[1:]:
            parent[find(member)] = find(group[0])
    merged: dict[str, list[str]] = {}
    for member in parent:
        merged.setdefault(find(member), []).append(member)
    return [sorted(g) for g in merged.values() if len(g) > 1]


def _codes(values: Sequence[str | None]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer codes for labels, matched case- and space-insensitively; names as first spelled."""
    labels: dict[str, int] = {}
    names: list[str] = []
    codes = np.full(len(values), -1, dtype=np.int64)
    for i, value in enumerate(values):
        if value is None or not value.strip():
            continue
        key = value.strip().casefold()
        if key not in labels:
            labels[key] = len(names)
            names.append(value.strip())
        codes[i] = labels[key]
    return codes, tuple(names)


def _limit(value: int | None, n: int) -> int:
    """A per-table label limit for the solvers: a limit of n or more is no limit at all."""
    return NO_LIMIT if value is None or value >= n else value


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def met_within(history: MeetingHistory, cooldown: int) -> np.ndarray:
    """``(n, n)`` whether each pair sat together at one of the last ``cooldown`` evenings of
    ``history`` (age 0 is the most recent evening, every course of it, and the earlier
    courses of the evening being planned)."""
    return (history.counts > 0) & (history.last_age < min(cooldown, NEVER))


def cooldown_forbidden(
    recent: np.ndarray, groups: Sequence[np.ndarray]
) -> tuple[np.ndarray, tuple[tuple[int, int], ...]]:
    """The cooldown rule: pairs that met within the last ``cooldown`` dinners may not sit
    together, except pairs inside one keep-together group.

    Keep-together is the organiser's explicit wish and wins over the cooldown: a group that
    sat together last time must be allowed to sit together again. The single definition of
    the rule, for :func:`compile_dinner` and the season code that rebuilds a dinner's history
    (:mod:`seating.season.evaluate`, :mod:`seating.season.blocks`).

    Parameters
    ----------
    recent
        ``(n, n)`` symmetric, True for the pairs that met within the cooldown window (for a
        dinner's history: :func:`met_within`). Not modified.
    groups
        Keep-together groups as arrays of attendee indices.

    Returns
    -------
    tuple
        The ``(n, n)`` pairs the cooldown forbids (a new array), and those pairs ``(i, j)``
        with ``i < j`` in row-major order (:attr:`DinnerProblem.cooldown_pairs`).
    """
    blocked = recent.copy()
    for group in groups:
        blocked[np.ix_(group, group)] = False
    ii, jj = np.nonzero(np.triu(blocked, 1))
    return blocked, tuple(zip(ii.tolist(), jj.tolist(), strict=True))


def compile_dinner(
    problem: ProblemInput, dinner_index: int = 0, planned: Sequence[PastDinner] = ()
) -> DinnerProblem:
    """Compile one dinner of ``problem`` to a :class:`DinnerProblem`.

    Parameters
    ----------
    problem
        The validated input. Call :func:`check_references` first (``seating.solve`` does).
    dinner_index
        Which of ``problem.dinners`` to compile.
    planned
        Dinners planned before this one in the same season; they count as history.
    """
    dinner = problem.dinners[dinner_index]
    by_id = {m.id: m for m in problem.members}
    attendees = _attendees(dinner, list(by_id))
    index = {m: i for i, m in enumerate(attendees)}
    n = len(attendees)

    past = [*problem.history, *planned]
    history = meeting_history(past, index, half_life=problem.policy.half_life, current=dinner.date)
    weights = pair_weights(history, problem.policy, index)

    table_ids = tuple(t.id for t in dinner.tables)
    # No table seats more than everyone: clamping keeps huge capacities out of int64 overflow
    # and keeps the solvers' per-seat arrays small, without changing which plans are allowed.
    capacity = np.array([min(t.capacity, n) for t in dinner.tables], dtype=np.int64)
    host_table = np.full(n, -1, dtype=np.int64)
    for t, table in enumerate(dinner.tables):
        if table.host is not None:
            host_table[index[table.host]] = t

    rules = problem.rules
    forbidden = np.zeros((n, n), dtype=bool)
    apart_pairs: list[tuple[int, int]] = []
    for a, b in rules.apart:
        if a in index and b in index:
            i, j = sorted((index[a], index[b]))
            forbidden[i, j] = forbidden[j, i] = True
            apart_pairs.append((i, j))
    hosts = {t.host: t.id for t in dinner.tables if t.host is not None}
    guests = guest_pairs(problem, attendees, hosts, where=f"{dinner.date}: ")
    groups = tuple(
        np.array(sorted(index[m] for m in group if m in index), dtype=np.int64)
        for group in _merge_groups([*rules.together, *guests])
    )
    groups = tuple(g for g in groups if g.size > 1)

    cooldown_pairs: tuple[tuple[int, int], ...] = ()
    if rules.cooldown is not None:
        blocked, cooldown_pairs = cooldown_forbidden(met_within(history, rules.cooldown), groups)
        forbidden |= blocked

    company, company_names = _codes([by_id[m].company for m in attendees])
    industry, industry_names = _codes([by_id[m].industry for m in attendees])

    return DinnerProblem(
        date=dinner.date,
        member_ids=tuple(attendees),
        names=tuple(by_id[m].display_name for m in attendees),
        table_ids=table_ids,
        capacity=_frozen(capacity),
        host_table=_frozen(host_table),
        weights=_frozen(weights),
        meetings=_frozen(history.counts),
        forbidden=_frozen(forbidden),
        company=_frozen(company),
        industry=_frozen(industry),
        max_per_company=_limit(rules.max_per_company, n),
        max_per_industry=_limit(rules.max_per_industry, n),
        groups=tuple(_frozen(g) for g in groups),
        fairness=problem.policy.fairness,
        apart_pairs=tuple(apart_pairs),
        cooldown_pairs=cooldown_pairs,
        cooldown=rules.cooldown,
        company_names=company_names,
        industry_names=industry_names,
        table_rules=compile_table_rules(problem, dinner, attendees, past, host_table),
        guest_pairs=tuple((index[g], index[h]) for g, h in guests),
    )
