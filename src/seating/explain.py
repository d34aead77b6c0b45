"""Why these people sit together: earlier meetings, hard rules and the terms of the objective.

>>> explanation = explain(problem, result)  # doctest: +SKIP
>>> print(explanation.table("T1"))  # doctest: +SKIP
>>> print(explanation.member("m007"))  # doctest: +SKIP

Every number comes from the compiled problem the solver saw (earlier dinners of a multi-dinner
plan count as history, as in :func:`seating.solve`), so the terms of the tables add up to the
plan's objective.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from seating.compile.courses import course_round
from seating.compile.history import NEVER, meeting_history
from seating.compile.objective import repeat_load
from seating.compile.plans import as_past, table_index
from seating.compile.problem import NO_LIMIT, DinnerProblem, check_references, compile_dinner
from seating.compile.table_rules import TABLE, describe_language
from seating.errors import InputError
from seating.models import Policy, ProblemInput
from seating.read import as_result
from seating.result import DinnerPlan, Result


@dataclass(frozen=True)
class PairReason:
    """Two people at one table and what their pairing adds to the objective.

    Attributes
    ----------
    a, b
        Member ids.
    meetings
        Dinners at which they sat together before.
    last_met
        Dinners since they last sat together (0 = the previous dinner), ``None`` if never.
    weight
        The pair's term of the objective (lower is better; negative = rewarded).
    why
        The same in words.
    """

    a: str
    b: str
    meetings: int
    last_met: int | None
    weight: float
    why: str


@dataclass(frozen=True)
class TableExplanation:
    """One table: who sits there, which rules shaped it, and its share of the objective.

    Attributes
    ----------
    table, capacity, members
        The table's id and capacity, and who sits there.
    host
        The table's fixed host, if any.
    rules
        Each hard rule that bears on this table, one line each.
    pairs
        Every pair at the table, pairs who met before first.
    pair_cost
        The repeat-policy term of the objective summed over the table's pairs.
    fairness_cost
        The fairness term summed over the table's members (0 when fairness is off).
    """

    table: str
    capacity: int
    members: list[str]
    host: str | None
    rules: list[str]
    pairs: list[PairReason]
    pair_cost: float
    fairness_cost: float

    @property
    def new_pairs(self) -> int:
        return sum(p.meetings == 0 for p in self.pairs)

    @property
    def repeat_pairs(self) -> int:
        return sum(p.meetings > 0 for p in self.pairs)

    def lines(self) -> list[str]:
        """The explanation as plain text lines."""
        head = f"table {self.table} ({len(self.members)}/{self.capacity}): " + ", ".join(
            self.members
        )
        out = [head, f"  {self.new_pairs} new pairs, {self.repeat_pairs} pairs who met before"]
        out += [f"  rule: {r}" for r in self.rules]
        out += [f"  {p.a} + {p.b}: {p.why}" for p in self.pairs if p.meetings > 0]
        terms = f"  objective here: pairs {self.pair_cost:+g}"
        if self.fairness_cost:
            terms += f", fairness {self.fairness_cost:+g}"
        return [*out, terms]

    def __str__(self) -> str:
        return "\n".join(self.lines())


@dataclass(frozen=True)
class MemberExplanation:
    """One member: their table, each table mate, and the rules that placed them.

    Attributes
    ----------
    member, name, table
        Who, and at which table.
    mates
        One :class:`PairReason` per table mate (``a`` is the member).
    rules
        Hard rules that bear on this member (host, keep-together, who they were kept from).
    fairness_cost
        The member's fairness term (``fairness * mates met before ** 2``).
    """

    member: str
    name: str
    table: str
    mates: list[PairReason]
    rules: list[str]
    fairness_cost: float

    def lines(self) -> list[str]:
        """The explanation as plain text lines."""
        new = sum(m.meetings == 0 for m in self.mates)
        out = [
            f"{self.name} ({self.member}) sits at table {self.table}: "
            f"{new} new table mates, {len(self.mates) - new} met before"
        ]
        out += [f"  rule: {r}" for r in self.rules]
        out += [f"  {m.b}: {m.why}" for m in self.mates]
        if self.fairness_cost:
            out.append(f"  fairness term: {self.fairness_cost:+g}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


@dataclass(frozen=True)
class DinnerExplanation:
    """Why a dinner is seated as it is, table by table.

    Attributes
    ----------
    date
        The dinner.
    policy
        The repeat policy in words.
    objective
        The plan's objective for this dinner (the sum of the tables' terms).
    tables
        One :class:`TableExplanation` per table.
    """

    date: dt.date
    policy: str
    objective: float
    tables: list[TableExplanation]
    _members: Mapping[str, MemberExplanation]

    def table(self, table_id: str) -> TableExplanation:
        """The explanation of one table; :class:`InputError` for an unknown id."""
        for table in self.tables:
            if table.table == table_id:
                return table
        known = ", ".join(t.table for t in self.tables)
        raise InputError(f"table: unknown table id {table_id!r} (tables: {known})")

    def member(self, member_id: str) -> MemberExplanation:
        """The explanation of one attendee; :class:`InputError` if they are not seated."""
        if member_id not in self._members:
            raise InputError(f"member: {member_id!r} is not seated at this dinner")
        return self._members[member_id]

    def lines(self) -> list[str]:
        """The whole dinner as plain text lines."""
        out = [f"dinner of {self.date}: policy {self.policy}; objective {self.objective:g}"]
        for table in self.tables:
            out += table.lines()
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        return {
            "date": self.date.isoformat(),
            "policy": self.policy,
            "objective": self.objective,
            "tables": [asdict(t) for t in self.tables],
        }

    def __str__(self) -> str:
        return "\n".join(self.lines())


def describe_policy(policy: Policy) -> str:
    """The repeat policy in a few words."""
    r = policy.repeat_weight
    if policy.target_meetings is not None:
        text = f"deepen to {policy.target_meetings} meetings, then rotate (strength {abs(r):g})"
    elif r < 0:
        text = f"avoid repeats (repeat_weight {r:+g}: each earlier meeting costs {-r:g})"
    elif r > 0:
        text = f"favour repeats (repeat_weight {r:+g}: each earlier meeting earns {r:g})"
    else:
        text = "neutral (repeat_weight 0)"
    if policy.half_life is not None:
        text += f", meetings fade with a half-life of {policy.half_life:g} dinners"
    if policy.fairness:
        text += f", fairness {policy.fairness:g}"
    if policy.recent_penalty:
        last = f"the last {policy.recent_dinners} dinners"
        text += f", table mates of {last} cost {policy.recent_penalty:g} more"
    if policy.introduce:
        text += f", {len(policy.introduce)} introduction(s) rewarded"
    return text


def _pair_why(policy: Policy, meetings: int, last_met: int | None, weight: float) -> str:
    if meetings == 0:
        return "new pair: never sat together" + (f" (term {weight:+g})" if weight else "")
    times = f"met {meetings} time{'s' if meetings > 1 else ''} before"
    if last_met is not None:
        times += f", last {last_met + 1} dinner{'s' if last_met else ''} ago"
    k = policy.target_meetings
    if k is not None:
        stance = "below the target of" if meetings < k else "at or past the target of"
        verdict = "rewarded" if weight < 0 else ("penalised" if weight > 0 else "neutral")
        return f"{times}: {stance} {k}, {verdict} ({weight:+g})"
    if weight > 0:
        return f"{times}: penalised as a repeat ({weight:+g})"
    if weight < 0:
        return f"{times}: rewarded as a repeat ({weight:+g})"
    return f"{times}: neutral policy (0)"


def explain(
    problem: ProblemInput | Mapping[str, Any],
    plan: Result | DinnerPlan | Mapping[str, Any],
    *,
    dinner: int | str | dt.date = 0,
    course: int = 1,
) -> DinnerExplanation:
    """Explain one dinner of a plan: per table and per member, why these people sit together.

    Parameters
    ----------
    problem
        The problem the plan was made for.
    plan
        The plan (a :class:`~seating.result.Result`, one :class:`~seating.result.DinnerPlan`,
        or the plan JSON as parsed data).
    dinner
        Which dinner of a multi-dinner plan: its index or its date.
    course
        Which course of a dinner with several courses (from 1); meetings in its earlier
        courses count as met.

    Raises
    ------
    InputError
        The plan does not fit the problem (unknown table or member, someone seated twice or
        not at all, a dinner that is not in the problem).
    """
    if not isinstance(problem, ProblemInput):
        problem = ProblemInput.from_dict(problem)
    check_references(problem)
    plans = _plans(plan)
    k = _dinner_index(problem, plans, dinner)
    problem, plans, k = course_round(problem, plans, k, course)
    planned = [as_past(p) for p in plans[:k]]
    compiled = compile_dinner(problem, k, planned)
    table_of = table_index(compiled, plans[k], strict=True)
    index = {m: i for i, m in enumerate(compiled.member_ids)}
    history = meeting_history([*problem.history, *planned], index, current=compiled.date)
    load = repeat_load(compiled, table_of)
    fairness = compiled.fairness * load.astype(np.float64) ** 2

    policy = problem.policy
    tables, members = [], {}
    for t, table_id in enumerate(compiled.table_ids):
        seated = np.nonzero(table_of == t)[0]
        pairs = []
        for x, i in enumerate(seated):
            for j in seated[x + 1 :]:
                pairs.append(_pair(compiled, history.last_age, policy, int(i), int(j)))
        pairs.sort(key=lambda p: (-p.meetings, p.a, p.b))
        host = next((compiled.member_ids[i] for i in seated if compiled.host_table[i] == t), None)
        tables.append(
            TableExplanation(
                table=table_id,
                capacity=int(compiled.capacity[t]),
                members=[compiled.member_ids[i] for i in seated],
                host=host,
                rules=_table_rules(compiled, table_of, t),
                pairs=pairs,
                pair_cost=float(sum(p.weight for p in pairs)),
                fairness_cost=float(fairness[seated].sum()),
            )
        )
        for i in seated:
            mates = [_pair(compiled, history.last_age, policy, int(i), int(j)) for j in seated]
            mates = sorted((m for m in mates if m.b != m.a), key=lambda m: -m.meetings)
            members[compiled.member_ids[i]] = MemberExplanation(
                member=compiled.member_ids[i],
                name=compiled.names[i],
                table=table_id,
                mates=mates,
                rules=_member_rules(compiled, table_of, int(i)),
                fairness_cost=float(fairness[i]),
            )
    objective = float(sum(t.pair_cost + t.fairness_cost for t in tables))
    return DinnerExplanation(compiled.date, describe_policy(policy), objective, tables, members)


def _pair(
    compiled: DinnerProblem, last_age: np.ndarray, policy: Policy, i: int, j: int
) -> PairReason:
    meetings = int(compiled.meetings[i, j])
    age = int(last_age[i, j])
    last = None if age == NEVER else age
    weight = float(compiled.weights[i, j]) + 0.0
    ids = compiled.member_ids
    return PairReason(
        ids[i], ids[j], meetings, last, weight, _pair_why(policy, meetings, last, weight)
    )


def _table_rules(compiled: DinnerProblem, table_of: np.ndarray, t: int) -> list[str]:
    ids, names = compiled.member_ids, compiled.table_ids
    seated = set(np.nonzero(table_of == t)[0].tolist())
    rules = []
    for i in sorted(seated):
        if compiled.host_table[i] == t:
            rules.append(f"host: {ids[i]} hosts table {names[t]} and sits there")
    for group in compiled.groups:
        # A guest pair is also a group: it has its own line below.
        if int(group[0]) in seated and compiled.guest_pair_of(group) is None:
            rules.append("keep-together: " + ", ".join(ids[i] for i in group) + " sit together")
    for codes, limit, what in (
        (compiled.company, compiled.max_per_company, "company"),
        (compiled.industry, compiled.max_per_industry, "industry"),
    ):
        if limit == NO_LIMIT:
            continue
        here = [int(codes[i]) for i in seated if codes[i] >= 0]
        most = int(np.bincount(here).max()) if here else 0
        rules.append(
            f"at most {limit} per {what}: {len(set(here))} {what} labels here, "
            f"at most {most} of one"
        )
    for i, j in compiled.apart_pairs:
        if (i in seated) != (j in seated):
            inside, outside = (i, j) if i in seated else (j, i)
            where = names[table_of[outside]]
            rules.append(f"keep-apart: {ids[inside]} and {ids[outside]} (at {where})")
    if compiled.cooldown is not None:
        kept = sum((i in seated) != (j in seated) for i, j in compiled.cooldown_pairs)
        rules.append(
            f"cooldown {compiled.cooldown}: no pair here sat together in the last "
            f"{compiled.cooldown} dinners ({kept} recent pairs split across tables)"
        )
    for guest, inviter in compiled.guest_pairs:
        if guest in seated:
            rules.append(f"guest: {ids[guest]} sits with {ids[inviter]}, who invited them")
    rules.extend(_club_table_rules(compiled, sorted(seated)))
    return rules


def _club_table_rules(compiled: DinnerProblem, seated: list[int]) -> list[str]:
    """The language and newcomer rules at one table, one line each."""
    table_rules, ids = compiled.table_rules, compiled.member_ids
    lines = []
    if table_rules.language and seated:
        speaks = table_rules.speaks[seated]
        if table_rules.language == TABLE and speaks.shape[1]:
            common = [table_rules.language_names[k] for k in np.nonzero(speaks.all(axis=0))[0]]
            lines.append(f"language: everyone here speaks {', '.join(common) or 'no one language'}")
        elif table_rules.language > 0:
            mates = table_rules.shares()[np.ix_(seated, seated)].sum(axis=1)
            lines.append(
                f"language: {describe_language(table_rules.language)} for everyone "
                f"(fewest here: {int(mates.min())})"
            )
    if table_rules.newcomer_dinners is not None:
        fresh = [ids[i] for i in seated if table_rules.newcomer[i]]
        if fresh:
            anchors = [ids[i] for i in seated if table_rules.anchor[i]]
            lines.append(
                f"newcomers: {', '.join(fresh)} with {', '.join(anchors) or 'no anchor'} "
                f"(a host or a member of at least {table_rules.newcomer_dinners} dinners)"
            )
    return lines


def _member_rules(compiled: DinnerProblem, table_of: np.ndarray, i: int) -> list[str]:
    ids, names = compiled.member_ids, compiled.table_ids
    rules = []
    if compiled.host_table[i] >= 0:
        rules.append(f"host of table {names[compiled.host_table[i]]}")
    for group in compiled.groups:
        # A guest pair has its own line below.
        if i in group and compiled.guest_pair_of(group) is None:
            rules.append("keep-together with " + ", ".join(ids[j] for j in group if j != i))
    for a, b in compiled.apart_pairs:
        if i in (a, b):
            other = b if a == i else a
            rules.append(f"keep-apart from {ids[other]} (at {names[table_of[other]]})")
    for guest, inviter in compiled.guest_pairs:
        if i == guest:
            rules.append(f"guest of {ids[inviter]}, who sits here too")
        elif i == inviter:
            rules.append(f"invited {ids[guest]}, who sits here too")
    table_rules = compiled.table_rules
    if table_rules.newcomer_dinners is not None and table_rules.newcomer[i]:
        rules.append(
            f"newcomer (fewer than {table_rules.newcomer_dinners} dinners): sits with a host "
            "or long-standing member"
        )
    if table_rules.language:
        spoken = [table_rules.language_names[k] for k in np.nonzero(table_rules.speaks[i])[0]]
        if spoken and not table_rules.speaks[i].all():
            rules.append(f"speaks {', '.join(spoken)}: {describe_language(table_rules.language)}")
    recent = [b if a == i else a for a, b in compiled.cooldown_pairs if i in (a, b)]
    if recent:
        rules.append(f"cooldown: kept from {len(recent)} recent table mates")
    if compiled.max_per_company == 1 and compiled.company[i] >= 0:
        same = np.nonzero((compiled.company == compiled.company[i]) & (np.arange(len(ids)) != i))
        colleagues = [ids[j] for j in same[0]]
        if colleagues:
            label = compiled.company_names[compiled.company[i]]
            rules.append(
                f"one per company: colleagues at {label} sit elsewhere: " + ", ".join(colleagues)
            )
    return rules


def _plans(plan: Result | DinnerPlan | Mapping[str, Any]) -> list[DinnerPlan]:
    if isinstance(plan, DinnerPlan):
        return [plan]
    if not isinstance(plan, Result):
        plan = as_result(plan)
    if not plan.dinners:
        raise InputError(f"plan: holds no seating (status {plan.status.value})")
    return list(plan.dinners)


def _dinner_index(
    problem: ProblemInput, plans: list[DinnerPlan], dinner: int | str | dt.date
) -> int:
    if isinstance(dinner, bool):
        raise InputError(f"dinner: expected an index or a date, got {dinner!r}")
    if isinstance(dinner, int):
        k = dinner
    else:
        try:
            date = dinner if isinstance(dinner, dt.date) else dt.date.fromisoformat(str(dinner))
        except ValueError:
            raise InputError(
                f"dinner: expected an index or a YYYY-MM-DD date, got {dinner!r}"
            ) from None
        dates = [p.date for p in plans]
        if date not in dates:
            raise InputError(f"dinner: the plan has no dinner on {date}")
        k = dates.index(date)
    if not 0 <= k < len(plans):
        raise InputError(f"dinner: index {k} is outside the plan's {len(plans)} dinners")
    if k >= len(problem.dinners) or problem.dinners[k].date != plans[k].date:
        raise InputError(f"plan: dinner {plans[k].date} is not dinner {k} of the problem")
    return k
