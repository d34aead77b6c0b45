"""The hard rules about everyone at one table, not pairs: a shared language and newcomers.

Compiled per dinner into :class:`TableRules` (a field of
:class:`~seating.compile.problem.DinnerProblem`), which every solver reads:

- ``rules.language = "table"``: at every table there is one language everyone at it speaks;
- ``rules.language = k``: every attendee has at least k table mates who share a language with
  them;
- ``rules.newcomer_dinners`` N: a newcomer (fewer than N dinners in the history, or joined
  within the last N dinners) sits at a table with an *anchor*: a host or a member who is not a
  newcomer; ``rules.max_newcomers_per_table`` caps the newcomers at a table.

A member who lists no language counts as speaking every language. A host is never a newcomer:
hosting makes them the table's anchor.

Guests (``member.guest_of``) are pairs, not table rules: :func:`guest_pairs` names the pairs
that :func:`~seating.compile.problem.compile_dinner` adds to the keep-together groups.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from seating.errors import InputError
from seating.models import Dinner, Member, PastDinner, ProblemInput

TABLE = -1
""":attr:`TableRules.language` meaning "one language everyone at the table speaks"."""


def _empty(shape: tuple[int, ...]) -> np.ndarray:
    array = np.zeros(shape, dtype=bool)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class TableRules:
    """The table rules of one dinner over its ``n`` attendees (index order of the dinner).

    Attributes
    ----------
    language
        0: no language rule; :data:`TABLE`: a shared language at every table; k > 0: at least
        k table mates sharing a language with each attendee.
    speaks
        ``(n, L)`` bool: attendee i speaks language l (every language if they list none).
    language_names
        The ``L`` languages, as first spelled.
    newcomer_dinners
        The newcomer rule's N, ``None`` without the rule.
    max_newcomers
        Most newcomers at one table, 0 for no cap.
    newcomer, anchor
        ``(n,)`` bool: attendee i is a newcomer; i may anchor a table with newcomers (a host
        or a member who is not a newcomer).
    """

    language: int = 0
    speaks: np.ndarray = field(default_factory=lambda: _empty((0, 0)))
    language_names: tuple[str, ...] = ()
    newcomer_dinners: int | None = None
    max_newcomers: int = 0
    newcomer: np.ndarray = field(default_factory=lambda: _empty((0,)))
    anchor: np.ndarray = field(default_factory=lambda: _empty((0,)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TableRules):
            return NotImplemented
        return all(
            np.array_equal(getattr(self, f.name), getattr(other, f.name))
            if isinstance(getattr(self, f.name), np.ndarray)
            else getattr(self, f.name) == getattr(other, f.name)
            for f in fields(self)
        )

    __hash__ = None  # type: ignore[assignment]  # mutable arrays inside: not hashable

    @property
    def active(self) -> bool:
        """Whether any table rule applies (solvers skip all of this otherwise)."""
        return self.language != 0 or self.newcomer_dinners is not None

    @property
    def newcomers_ruled(self) -> bool:
        return self.newcomer_dinners is not None and bool(self.newcomer.any())

    def shares(self) -> np.ndarray:
        """``(n, n)`` bool: the two attendees share a language (diagonal False)."""
        speaks = self.speaks.astype(np.int64)
        out = (speaks @ speaks.T) > 0 if speaks.shape[1] else np.ones((len(speaks),) * 2, bool)
        np.fill_diagonal(out, False)
        return out


def describe_language(language: int) -> str:
    """The language rule in words."""
    if language == TABLE:
        return "a language everyone at the table speaks"
    return f"at least {language} table mate{'s' if language > 1 else ''} sharing a language"


def check_table_rules(problem: ProblemInput) -> None:
    """Raise :class:`InputError` on a table rule or guest that cannot be read.

    Called by :func:`~seating.compile.problem.check_references` once per problem.
    """
    rules = problem.rules
    known = {m.id for m in problem.members}
    for member in problem.members:
        if member.guest_of is None:
            continue
        if member.guest_of == member.id:
            raise InputError(f"members: {member.id!r} is their own guest (guest_of)")
        if member.guest_of not in known:
            raise InputError(
                f"members: guest_of of {member.id!r} names unknown member id {member.guest_of!r}"
            )
    if rules.max_newcomers_per_table is not None and rules.newcomer_dinners is None:
        raise InputError(
            "rules.max_newcomers_per_table: needs rules.newcomer_dinners (who is a newcomer)"
        )
    if isinstance(rules.language, int):
        for d, dinner in enumerate(problem.dinners):
            biggest = max(t.capacity for t in dinner.tables)
            if rules.language >= biggest:
                raise InputError(
                    f"rules.language: {rules.language} table mates need a table of "
                    f"{rules.language + 1}, but the largest table of dinners[{d}] "
                    f"({dinner.date}) seats {biggest}"
                )


def guest_pairs(
    problem: ProblemInput,
    attendees: Collection[str],
    hosts: Mapping[str, str],
    where: str = "",
    *,
    warn: bool = True,
) -> list[list[str]]:
    """``[guest, inviter]`` pairs that sit together at a dinner: both attend, and no rule says
    otherwise (a keep-apart pair, a company limit of one with both of one company, or two
    hosts). A guest whose inviter does not attend is seated like anyone else, with a warning.

    Parameters
    ----------
    problem
        The input.
    attendees
        The dinner's attendees.
    hosts
        Host id -> table id at this dinner.
    where
        The dinner, for the warning.
    warn
        Whether to warn about a guest whose inviter does not attend.
    """
    by_id = {m.id: m for m in problem.members}
    apart = {frozenset(pair) for pair in problem.rules.apart}
    present = set(attendees)
    out = []
    for guest in attendees:
        inviter = by_id[guest].guest_of
        if inviter is None:
            continue
        if inviter not in present:
            if not warn:
                continue
            warnings.warn(
                f"{where}guest {guest!r} attends without {inviter!r} who invited them: "
                "seated like any member",
                stacklevel=2,
            )
            continue
        if frozenset((guest, inviter)) in apart or (guest in hosts and inviter in hosts):
            continue
        if problem.rules.max_per_company == 1 and _same_company(by_id[guest], by_id[inviter]):
            continue
        out.append([guest, inviter])
    return out


def _same_company(a: Member, b: Member) -> bool:
    if not a.company or not b.company:
        return False
    return a.company.strip().casefold() == b.company.strip().casefold()


def _language_matrix(members: Sequence[Member]) -> tuple[np.ndarray, tuple[str, ...]]:
    """``(n, L)`` who speaks what (all True for a member listing none), and the names."""
    codes: dict[str, int] = {}
    names: list[str] = []
    spoken: list[set[int]] = []
    for member in members:
        own = set()
        for language in member.languages:
            key = language.strip().casefold()
            if not key:
                continue
            if key not in codes:
                codes[key] = len(names)
                names.append(language.strip())
            own.add(codes[key])
        spoken.append(own)
    speaks = np.zeros((len(members), len(names)), dtype=bool)
    for i, own in enumerate(spoken):
        if own:
            speaks[i, sorted(own)] = True
        else:
            speaks[i, :] = True
    return speaks, tuple(names)


def newcomers(members: Sequence[Member], past: Sequence[PastDinner], dinners: int) -> np.ndarray:
    """``(n,)`` bool: fewer than ``dinners`` dinners in ``past``, or joined within the last
    ``dinners`` of them (a dinner on the day of joining counts as after it).

    Dinners are counted by date: the courses of one evening (``dinner.courses``, planned or
    recorded as several seatings of one date) are one dinner."""
    evenings: dict[str, set] = {}
    for dinner in past:
        for table in dinner.tables:
            for member in table:
                evenings.setdefault(member, set()).add(dinner.date)
    attended = {member: len(days) for member, days in evenings.items()}
    dates = sorted({d.date for d in past})
    out = np.zeros(len(members), dtype=bool)
    for i, member in enumerate(members):
        since = None
        if member.joined is not None:
            since = sum(1 for date in dates if date >= member.joined)
        out[i] = attended.get(member.id, 0) < dinners or (since is not None and since < dinners)
    return out


def compile_table_rules(
    problem: ProblemInput,
    dinner: Dinner,
    attendees: Sequence[str],
    past: Sequence[PastDinner],
    host_table: np.ndarray,
) -> TableRules:
    """The :class:`TableRules` of one dinner.

    Parameters
    ----------
    problem
        The input (references checked).
    dinner
        The dinner.
    attendees
        Its attendees, in index order.
    past
        Every dinner before it (history and earlier planned dinners): newcomers are counted
        there, leaving out the earlier courses of the same evening.
    host_table
        ``(n,)`` the table each attendee hosts, -1 if none.
    """
    rules = problem.rules
    if rules.language is None and rules.newcomer_dinners is None:
        return TableRules()
    by_id = {m.id: m for m in problem.members}
    members = [by_id[m] for m in attendees]
    n = len(members)
    language = 0
    speaks, names = np.ones((n, 0), dtype=bool), ()
    if rules.language is not None:
        language = TABLE if rules.language == "table" else int(rules.language)
        speaks, names = _language_matrix(members)
    newcomer = np.zeros(n, dtype=bool)
    anchor = np.ones(n, dtype=bool)
    if rules.newcomer_dinners is not None:
        hosts = host_table >= 0
        # The earlier courses of this evening are rounds before this one, not dinners: a
        # newcomer at the main course is still one at dessert.
        before = [p for p in past if p.date != dinner.date]
        newcomer = newcomers(members, before, rules.newcomer_dinners) & ~hosts
        anchor = hosts | ~newcomer
    for array in (speaks, newcomer, anchor):
        array.setflags(write=False)
    return TableRules(
        language=language,
        speaks=speaks,
        language_names=names,
        newcomer_dinners=rules.newcomer_dinners,
        max_newcomers=rules.max_newcomers_per_table or 0,
        newcomer=newcomer,
        anchor=anchor,
    )


def table_violations(rules: TableRules, members: np.ndarray) -> list[str]:
    """What the table rules find wrong at one table seating ``members`` (attendee indices),
    as short clauses without ids; empty when the table holds them."""
    found: list[str] = []
    if members.size == 0 or not rules.active:
        return found
    shared = rules.speaks[members].all(axis=0).any() if rules.speaks.shape[1] else True
    if rules.language == TABLE and not shared:
        found.append("no language that everyone at it speaks")
    if rules.newcomer_dinners is not None:
        count = int(rules.newcomer[members].sum())
        if count and not rules.anchor[members].any():
            found.append(f"{count} newcomer(s) and no host or long-standing member")
        if rules.max_newcomers and count > rules.max_newcomers:
            found.append(f"{count} newcomers (max {rules.max_newcomers})")
    return found
