"""The hard rules of one dinner as CP-SAT constraints: one function per rule family.

Every model of a dinner seats attendee i at table t with a Boolean ``x[i, t]``
(:func:`seat_everyone`); each other family adds its constraints on those variables. The dinner
model (:mod:`seating.solvers.cpsat.model`), the explanation of clashing rules
(:mod:`seating.solvers.cpsat.infeasibility`) and re-seating with the fewest moves
(:mod:`seating.adjust`) all build their rules here, through :func:`add_rules`: a new hard rule is
one more function in :data:`RULES`, and every model holds it.

Each family takes a *guard*: given a rule's readable name (which names the offending ids), it
returns the enforcement literals of that rule's constraints. :func:`unguarded` (no literals)
makes the rules always hold; the explanation guards each rule with an assumption literal, so
that CP-SAT can name the rules that clash.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np
from ortools.sat.python import cp_model

from seating.compile.problem import NO_LIMIT, DinnerProblem
from seating.compile.table_rules import TABLE, describe_language

Seats = dict[tuple[int, int], cp_model.IntVar]
"""``x[i, t]``: attendee i sits at table t."""

Guard = Callable[[str], Sequence[cp_model.IntVar]]
"""A rule's name -> the literals that enforce its constraints (none: it always holds)."""

Rule = Callable[[cp_model.CpModel, DinnerProblem, Seats, Guard], None]


def unguarded(name: str) -> list[cp_model.IntVar]:
    """The guard of rules that always hold: no enforcement literal."""
    return []


def seat_everyone(model: cp_model.CpModel, problem: DinnerProblem) -> Seats:
    """The seat variables ``x[i, t]``, and every attendee at exactly one table.

    Not guarded: a dinner whose rules clash still seats everyone, so the explanation names the
    rules that leave no seat rather than dropping an attendee.

    Parameters
    ----------
    model
        The model to add the variables and constraints to.
    problem
        The compiled dinner.

    Returns
    -------
    Seats
        ``x[i, t]`` for every attendee ``i`` and table ``t``.
    """
    x: Seats = {}
    for i in range(problem.num_attendees):
        for t in range(problem.num_tables):
            x[i, t] = model.new_bool_var(f"x{i}_{t}")
        model.add_exactly_one(x[i, t] for t in range(problem.num_tables))
    return x


def capacities(
    model: cp_model.CpModel, problem: DinnerProblem, x: Seats, guard: Guard = unguarded
) -> None:
    """No table seats more attendees than its capacity (one rule per table)."""
    for t in range(problem.num_tables):
        seated = sum(x[i, t] for i in range(problem.num_attendees))
        model.add(seated <= int(problem.capacity[t])).only_enforce_if(
            guard(f"capacity {problem.capacity[t]} of table {problem.table_ids[t]!r}")
        )


def hosts(
    model: cp_model.CpModel, problem: DinnerProblem, x: Seats, guard: Guard = unguarded
) -> None:
    """A host (or a pinned member, compiled as one) sits at their table."""
    for i in np.nonzero(problem.host_table >= 0)[0]:
        t = int(problem.host_table[i])
        model.add(x[i, t] == 1).only_enforce_if(
            guard(f"host {problem.member_ids[i]!r} at table {problem.table_ids[t]!r}")
        )


def keep_together(
    model: cp_model.CpModel, problem: DinnerProblem, x: Seats, guard: Guard = unguarded
) -> None:
    """The members of a keep-together group share one table (one rule per group; a group that
    is a guest and who invited them is named so)."""
    ids = problem.member_ids
    for group in problem.groups:
        name = f"keep together {[ids[i] for i in group]}"
        if (pair := problem.guest_pair_of(group)) is not None:
            # A guest pair is no rule the organiser wrote: name it as what it is.
            name = f"guest {ids[pair[0]]!r} sits with {ids[pair[1]]!r} who invited them"
        first = int(group[0])
        for i in group[1:]:
            for t in range(problem.num_tables):
                model.add(x[first, t] == x[int(i), t]).only_enforce_if(guard(name))


def keep_apart(
    model: cp_model.CpModel, problem: DinnerProblem, x: Seats, guard: Guard = unguarded
) -> None:
    """Forbidden pairs never share a table: keep-apart pairs, then the cooldown's pairs.

    One rule per pair and origin, so an explanation says whether the organiser or the cooldown
    keeps a pair apart. Together they are :attr:`DinnerProblem.forbidden`.
    """
    for kind, pairs in (("keep apart", problem.apart_pairs), ("cooldown", problem.cooldown_pairs)):
        for i, j in pairs:
            name = f"{kind} {problem.member_ids[i]!r} and {problem.member_ids[j]!r}"
            for t in range(problem.num_tables):
                model.add_bool_or([x[i, t].Not(), x[j, t].Not()]).only_enforce_if(guard(name))


def label_limits(
    model: cp_model.CpModel, problem: DinnerProblem, x: Seats, guard: Guard = unguarded
) -> None:
    """At most ``max_per_company`` of a company, and ``max_per_industry`` of an industry, per
    table (one rule per company or industry with more attendees than the limit)."""
    for codes, limit, names, what in (
        (problem.company, problem.max_per_company, problem.company_names, "company"),
        (problem.industry, problem.max_per_industry, problem.industry_names, "industry"),
    ):
        if limit == NO_LIMIT:
            continue
        holders: dict[int, list[int]] = defaultdict(list)
        for i, code in enumerate(codes):
            if code >= 0:
                holders[int(code)].append(i)
        for code, members in holders.items():
            if len(members) <= limit:
                continue
            name = f"at most {limit} of {what} {names[code]!r} per table"
            for t in range(problem.num_tables):
                model.add(sum(x[i, t] for i in members) <= limit).only_enforce_if(guard(name))


def shared_language(
    model: cp_model.CpModel, problem: DinnerProblem, x: Seats, guard: Guard = unguarded
) -> None:
    """``rules.language``: one rule per table (``"table"``) or per attendee (k table mates).

    ``"table"``: each table picks one language ``y[t, l]``, and nobody who does not speak it
    sits there. k: an attendee at table t has at least k table mates there who share a
    language with them. Both treat every table alike (the symmetry breaking stays valid).
    """
    rules = problem.table_rules
    n, T = problem.num_attendees, problem.num_tables
    if rules.language == TABLE and rules.speaks.shape[1]:
        speaks = rules.speaks
        for t in range(T):
            name = f"{describe_language(TABLE)} at table {problem.table_ids[t]!r}"
            y = [model.new_bool_var(f"lang{t}_{lang}") for lang in range(speaks.shape[1])]
            model.add_exactly_one(y)
            for i in range(n):
                for lang in np.nonzero(~speaks[i])[0]:
                    model.add_bool_or([x[i, t].Not(), y[lang].Not()]).only_enforce_if(guard(name))
    elif rules.language > 0:
        shares = rules.shares()
        k = rules.language
        for i in range(n):
            name = f"{describe_language(k)} for {problem.member_ids[i]!r}"
            partners = np.nonzero(shares[i])[0]
            for t in range(T):
                mates = sum(x[int(j), t] for j in partners)
                model.add(mates >= k).only_enforce_if([x[i, t], *guard(name)])


def newcomers(
    model: cp_model.CpModel, problem: DinnerProblem, x: Seats, guard: Guard = unguarded
) -> None:
    """``rules.newcomer_dinners``: a table with a newcomer seats an anchor (a host or a member
    who is not a newcomer), one rule per newcomer; ``rules.max_newcomers_per_table``, one rule
    per table."""
    rules = problem.table_rules
    if rules.newcomer_dinners is None:
        return
    ids, T = problem.member_ids, problem.num_tables
    fresh = np.nonzero(rules.newcomer)[0].tolist()
    anchors = np.nonzero(rules.anchor)[0].tolist()
    for i in fresh:
        name = f"newcomer {ids[i]!r} sits with a host or long-standing member"
        for t in range(T):
            present = [x[j, t] for j in anchors]
            model.add_bool_or([x[i, t].Not(), *present]).only_enforce_if(guard(name))
    if rules.max_newcomers and len(fresh) > rules.max_newcomers:
        for t in range(T):
            name = f"at most {rules.max_newcomers} newcomers at table {problem.table_ids[t]!r}"
            model.add(sum(x[i, t] for i in fresh) <= rules.max_newcomers).only_enforce_if(
                guard(name)
            )


RULES: tuple[Rule, ...] = (
    capacities,
    hosts,
    keep_together,
    keep_apart,
    label_limits,
    shared_language,
    newcomers,
)
"""Every hard-rule family besides :func:`seat_everyone`, in the order models add them.

The order is part of the model: CP-SAT's search (and so the plan it returns for a seed) can
depend on the order of the constraints. A rule that tells two tables of the same capacity apart
(as :func:`hosts` does) must also reach the dinner model's symmetry breaking, which otherwise
treats such tables as interchangeable.
"""


def add_rules(
    model: cp_model.CpModel, problem: DinnerProblem, x: Seats, guard: Guard = unguarded
) -> None:
    """Add every hard rule of :data:`RULES` on the seat variables ``x``.

    Parameters
    ----------
    model
        The model that holds ``x`` (from :func:`seat_everyone`).
    problem
        The compiled dinner.
    x
        The seat variables.
    guard
        The enforcement literals of each rule by name; :func:`unguarded` by default.
    """
    for rule in RULES:
        rule(model, problem, x, guard)
