"""Named policy presets: what a club board chooses between, on top of the signed weight.

=============  ==========================================================================
``rotate``     avoid repeats (M4M style): every earlier meeting of a pair costs 1
``deepen``     favour repeats: every earlier meeting of a pair is rewarded
``deepen-to-k`` favour a pair until it has met k times (default 5), then rotate
``circles``    stable small circles (default 4) always sit together; the rest rotates
``random``     the baseline a club has without software: hosts at their tables, the rest
               drawn at random (no other rule is held)
=============  ==========================================================================

``deepen-to-3`` (any number) is accepted as a name and means ``deepen-to-k`` with k = 3.
:meth:`Preset.tuned` changes a preset's policy fields (a soft cooldown with ``recent_penalty``
and ``recent_dinners``, ``fairness``); the hard rules stay the club's.
docs/policies.md says what each preset is for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from pydantic import ValidationError

from seating.errors import InputError
from seating.models import Member, Policy, ProblemInput, Rules, describe_validation_error

PRESET_NAMES: tuple[str, ...] = ("rotate", "deepen", "deepen-to-k", "circles", "random")
"""The named presets, in the order the docs and the notebook show them."""

DEFAULT_K = 5
"""Meetings before a name sticks: the default target of ``deepen-to-k``."""

DEFAULT_CIRCLE_SIZE = 4
"""Members per circle in the ``circles`` preset: two circles share a table of 8."""

_DEEPEN_TO = re.compile(r"deepen-to-(\d+)")


@dataclass(frozen=True)
class Preset:
    """A named policy: the objective's weights plus, for ``circles``, its circle size.

    Attributes
    ----------
    name
        The preset's name as shown in tables (``deepen-to-5`` for ``deepen-to-k`` with k = 5).
    summary
        One line: what the preset does.
    policy
        The objective's policy; ``None`` for ``random`` (no solver is run).
    circle_size
        ``circles`` only: members per circle (circles are kept together as a hard rule).
    """

    name: str
    summary: str
    policy: Policy | None
    circle_size: int | None = None

    @property
    def uses_solver(self) -> bool:
        """Whether plans come from the solver (every preset but ``random``)."""
        return self.policy is not None

    def apply(
        self, problem: ProblemInput, circles: Sequence[Sequence[str]] | None = None
    ) -> ProblemInput:
        """``problem`` with this preset's policy and, for ``circles``, the circles kept together.

        Parameters
        ----------
        problem
            The problem to plan; its rules are kept.
        circles
            ``circles`` only: the circles to keep together. Default: :func:`assign_circles`
            over the members who are not table hosts, with seed 0.
        """
        if self.policy is None:
            return problem
        rules = problem.rules
        if self.circle_size is not None:
            if circles is None:
                hosts = {t.host for d in problem.dinners for t in d.tables if t.host}
                circles = assign_circles(
                    problem.members, self.circle_size, rules=rules, exclude=hosts, seed=0
                )
            groups = [list(c) for c in circles if len(c) >= 2]
            rules = rules.model_copy(update={"together": [*rules.together, *groups]})
        return problem.model_copy(update={"policy": self.policy, "rules": rules})

    def tuned(self, **changes: Any) -> Preset:
        """This preset with some policy fields changed, named after them: e.g.
        ``get_preset("rotate").tuned(recent_penalty=2, recent_dinners=1)`` ("rotate, and table
        mates of last time cost 2 more": the soft twin of ``rules.cooldown``), or
        ``tuned(fairness=0.5)``. The club's hard rules (a shared language, newcomers) stay the
        problem's :class:`~seating.models.Rules`.

        Raises
        ------
        InputError
            ``random`` (no policy to tune), an unknown field or a value the policy refuses.
        """
        if self.policy is None:
            raise InputError(f"preset {self.name!r}: no policy to tune (no solver is run)")
        try:
            policy = Policy.model_validate({**self.policy.model_dump(), **changes})
        except ValidationError as exc:
            raise InputError(describe_validation_error(exc)) from None
        shown = ", ".join(f"{key}={value}" for key, value in changes.items())
        return replace(self, name=f"{self.name} ({shown})", policy=policy)


PolicyLike = str | Preset | Policy
"""What the library accepts where a policy is asked for: a preset name, a preset or a policy."""


def get_preset(name: str, *, k: int = DEFAULT_K, circle_size: int = DEFAULT_CIRCLE_SIZE) -> Preset:
    """The preset called ``name``.

    Parameters
    ----------
    name
        One of :data:`PRESET_NAMES`, or ``deepen-to-N`` for a target of N meetings.
    k
        Target meetings of ``deepen-to-k`` (at least 1).
    circle_size
        Members per circle of ``circles`` (at least 2).

    Raises
    ------
    InputError
        Unknown name, ``k < 1`` or ``circle_size < 2``.
    """
    if not isinstance(name, str):
        raise InputError(f"preset: expected a preset name, got {type(name).__name__}")
    key = name.strip().lower()
    match = _DEEPEN_TO.fullmatch(key)
    if match:
        key, k = "deepen-to-k", int(match.group(1))
    if key not in PRESET_NAMES:
        raise InputError(f"preset: unknown preset {name!r} (choose from {', '.join(PRESET_NAMES)})")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise InputError(f"k: target meetings must be a whole number of at least 1 (got {k!r})")
    if key == "rotate":
        return Preset(
            "rotate",
            "avoid repeats: each earlier meeting of a pair costs 1",
            Policy(repeat_weight=-1.0),
        )
    if key == "deepen":
        return Preset(
            "deepen",
            "favour repeats: each earlier meeting of a pair is rewarded",
            Policy(repeat_weight=1.0),
        )
    if key == "deepen-to-k":
        return Preset(
            f"deepen-to-{int(k)}",
            f"favour a pair until it has met {int(k)} times, then rotate",
            Policy(repeat_weight=1.0, target_meetings=int(k)),
        )
    if key == "circles":
        if isinstance(circle_size, bool) or not isinstance(circle_size, int) or circle_size < 2:
            raise InputError(
                f"circle_size: must be a whole number of at least 2 (got {circle_size!r})"
            )
        return Preset(
            "circles",
            f"circles of {circle_size} always sit together; the rest of each table rotates",
            Policy(repeat_weight=-1.0),
            circle_size=circle_size,
        )
    return Preset("random", "no software: hosts at their tables, everyone else at random", None)


def resolve(policy: PolicyLike, *, k: int = DEFAULT_K) -> Preset:
    """Turn a preset name, a :class:`Preset` or a :class:`~seating.models.Policy` into a preset.

    A bare policy becomes a preset named after its weight, e.g. ``policy(-0.5)``.
    """
    if isinstance(policy, Preset):
        return policy
    if isinstance(policy, Policy):
        parts = [f"{policy.repeat_weight:+g}"]
        if policy.target_meetings is not None:
            parts.append(f"k={policy.target_meetings}")
        if policy.half_life is not None:
            parts.append(f"half_life={policy.half_life:g}")
        if policy.recent_penalty:
            parts.append(f"recent={policy.recent_penalty:g}x{policy.recent_dinners}")
        return Preset(f"policy({', '.join(parts)})", "a custom policy", policy)
    return get_preset(policy, k=k)


def assign_circles(
    members: Iterable[Member],
    size: int = DEFAULT_CIRCLE_SIZE,
    *,
    rules: Rules | None = None,
    exclude: Iterable[str] = (),
    seed: int = 0,
) -> list[list[str]]:
    """Split members into circles of about ``size`` that can always share a table.

    Members are taken in a seeded random order and each joins the first open circle it does
    not clash with: no two members of one company when ``rules.max_per_company`` is 1, no
    keep-apart pair. A member who clashes with every open circle opens a new one. Circles left
    with a single member are dropped (that member rotates).

    Parameters
    ----------
    members
        The members to group.
    size
        Members per circle (at least 2).
    rules
        The club's rules (company limit, keep-apart pairs).
    exclude
        Member ids who stay out of circles (e.g. table hosts, who move with their table).
    seed
        Random seed of the order.
    """
    if size < 2:
        raise InputError(f"circle_size: must be a whole number >= 2 (got {size!r})")
    skip = set(exclude)
    pool = [m for m in members if m.id not in skip]
    order = np.random.default_rng(seed).permutation(len(pool))
    circles: list[list[Member]] = []
    for position in order:
        member = pool[int(position)]
        for circle in circles:
            if len(circle) < size and not any(clash(member, other, rules) for other in circle):
                circle.append(member)
                break
        else:
            circles.append([member])
    return [[m.id for m in circle] for circle in circles if len(circle) >= 2]


def clash(a: Member, b: Member, rules: Rules | None) -> bool:
    """Whether the rules forbid ``a`` and ``b`` at one table (company limit 1, keep-apart)."""
    if rules is None:
        return False
    if rules.max_per_company == 1 and _same_label(a.company, b.company):
        return True
    if rules.max_per_industry == 1 and _same_label(a.industry, b.industry):
        return True
    return any({a.id, b.id} == {x, y} for x, y in rules.apart)


def _same_label(x: str | None, y: str | None) -> bool:
    # Labels match as the compiled problem matches them: trimmed, case-insensitive.
    if not x or not y or not x.strip() or not y.strip():
        return False
    return x.strip().casefold() == y.strip().casefold()


class Circles:
    """The circles of a club over a season: grouped once, then kept as members come and go.

    Parameters
    ----------
    members
        The founding members.
    size
        Members per circle.
    rules
        The club's rules: a circle never holds two members the rules keep apart.
    exclude
        Member ids who stay out of circles (table hosts).
    seed
        Random seed of the first grouping.
    """

    def __init__(
        self,
        members: Iterable[Member],
        size: int = DEFAULT_CIRCLE_SIZE,
        rules: Rules | None = None,
        exclude: Iterable[str] = (),
        seed: int = 0,
    ) -> None:
        members = list(members)
        self.size, self.rules = size, rules
        self.by_id = {m.id: m for m in members}
        self.circles = assign_circles(members, size, rules=rules, exclude=exclude, seed=seed)

    def leave(self, member: str) -> None:
        """A member left the club: their circle goes on without them."""
        self.circles = [[m for m in c if m != member] for c in self.circles]

    def join(self, member: Member) -> None:
        """A new member joins the smallest circle with room they do not clash with, or starts
        one (a circle of one is no circle until someone joins it)."""
        self.by_id[member.id] = member
        for circle in sorted(self.circles, key=len):
            if len(circle) < self.size and not any(
                clash(member, self.by_id[other], self.rules) for other in circle
            ):
                circle.append(member.id)
                return
        self.circles.append([member.id])

    def groups(self, attendees: Iterable[str]) -> list[list[str]]:
        """The keep-together groups of a dinner: each circle's attending members, if two or
        more."""
        present = set(attendees)
        groups = [[m for m in c if m in present] for c in self.circles]
        return [g for g in groups if len(g) >= 2]
