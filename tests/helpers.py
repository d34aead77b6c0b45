"""Shared helpers of the test suite: problem builders, an exhaustive reference solver, strategies.

The brute-force enumerator is written independently of :mod:`seating.compile.objective` (vectorised
over
every assignment of attendees to tables) so that it can check both the solvers and the objective.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st

from seating.compile.metrics import combine, dinner_metrics
from seating.compile.objective import objective, violations
from seating.compile.plans import compiled_dinners
from seating.compile.problem import (
    NO_LIMIT,
    DinnerProblem,
    check_references,
    compile_dinner,
)
from seating.models import ProblemInput
from seating.result import Result
from seating.solvers.local.search import LocalSearchSettings

DATA = Path(__file__).parent / "data"
"""Tiny named edge-case problem files."""

FAST = LocalSearchSettings(max_cycles=2, iterations_per_unit=200)
"""Local search that stops on iteration counts only (tiny instances finish in milliseconds)."""

CPSAT_TIME = 30.0
"""Generous CP-SAT limit: tiny instances are proven in milliseconds, the limit never binds."""


def base_problem(num_members: int = 6, capacities: tuple[int, ...] = (3, 3)) -> dict[str, Any]:
    """A minimal valid problem as plain data: members m1..mN, one dinner, no history."""
    return {
        "members": [{"id": f"m{k}"} for k in range(1, num_members + 1)],
        "dinners": [
            {
                "date": "2026-12-03",
                "tables": [{"id": f"T{t + 1}", "capacity": c} for t, c in enumerate(capacities)],
            }
        ],
    }


def load(name: str) -> dict[str, Any]:
    """A problem file of tests/data as plain data."""
    return json.loads((DATA / name).read_text("utf-8"))


def checked(data: dict[str, Any] | ProblemInput) -> ProblemInput:
    """Validate and cross-check a problem (what ``seating.solve`` does before solving)."""
    problem = data if isinstance(data, ProblemInput) else ProblemInput.from_dict(data)
    check_references(problem)
    return problem


def compiled(data: dict[str, Any] | ProblemInput, dinner: int = 0) -> DinnerProblem:
    """The compiled dinner ``dinner`` of a problem."""
    return compile_dinner(checked(data), dinner)


@dataclass(frozen=True)
class BruteForce:
    """The exhaustive answer for one dinner.

    ``best`` is ``None`` when no assignment holds every rule; ``values`` holds the objective of
    every feasible assignment (``plans[feasible]``), for further checks.
    """

    best: float | None
    plan: np.ndarray | None
    num_feasible: int
    plans: np.ndarray
    feasible: np.ndarray
    values: np.ndarray

    @property
    def is_feasible(self) -> bool:
        return self.best is not None


def brute_force(p: DinnerProblem) -> BruteForce:
    """Enumerate every assignment of attendees to tables; keep those that hold every rule.

    Independent of :mod:`seating.compile.objective`: capacities, hosts, keep-together, forbidden
    pairs
    and label limits are re-checked here with plain numpy, and the objective is recomputed as
    the sum of pair weights over seated pairs plus ``fairness * sum(load ** 2)``.
    """
    n, t = p.num_attendees, p.num_tables
    assert t**n <= 60_000, "instance too large for brute force"
    plans = np.array(list(itertools.product(range(t), repeat=n)), dtype=np.int64).reshape(-1, n)
    ok = np.ones(len(plans), dtype=bool)
    seats = plans[:, :, None] == np.arange(t)  # (A, n, t)
    ok &= (seats.sum(axis=1) <= p.capacity).all(axis=1)
    pinned = p.host_table >= 0
    ok &= (plans[:, pinned] == p.host_table[pinned]).all(axis=1)
    for group in p.groups:
        ok &= (plans[:, group] == plans[:, group[:1]]).all(axis=1)
    same = plans[:, :, None] == plans[:, None, :]
    same[:, np.arange(n), np.arange(n)] = False
    ok &= ~(same & p.forbidden).any(axis=(1, 2))
    for codes, limit in ((p.company, p.max_per_company), (p.industry, p.max_per_industry)):
        if limit == NO_LIMIT:
            continue
        for code in np.unique(codes[codes >= 0]):
            holders = seats[:, codes == code, :].sum(axis=1)  # (A, t)
            ok &= (holders <= limit).all(axis=1)
    ok &= _table_rules_hold(p, plans, seats, same)
    values = 0.5 * (same * p.weights).sum(axis=(1, 2))
    load = (same & (p.meetings > 0)).sum(axis=2)
    values = values + p.fairness * (load.astype(float) ** 2).sum(axis=1)
    if not ok.any():
        return BruteForce(None, None, 0, plans, ok, values[ok])
    feasible_values = values[ok]
    k = int(np.argmin(feasible_values))
    return BruteForce(
        best=float(feasible_values[k]),
        plan=plans[ok][k],
        num_feasible=int(ok.sum()),
        plans=plans,
        feasible=ok,
        values=feasible_values,
    )


def _table_rules_hold(
    p: DinnerProblem, plans: np.ndarray, seats: np.ndarray, same: np.ndarray
) -> np.ndarray:
    """``(A,)`` whether each plan holds the language and newcomer rules, from the compiled
    facts (who speaks what, who is a newcomer or an anchor) alone."""
    r = p.table_rules
    ok = np.ones(len(plans), dtype=bool)
    if r.language == -1 and r.speaks.shape[1]:
        for t in range(p.num_tables):
            # Some language that nobody at t fails to speak.
            lacking = seats[:, :, t, None] & ~r.speaks[None, :, :]  # (A, n, L)
            ok &= (~lacking.any(axis=1)).any(axis=1)
    elif r.language > 0:
        speaks = r.speaks.astype(int)
        shares = (speaks @ speaks.T > 0) if speaks.shape[1] else np.ones_like(same[0])
        ok &= ((same & shares).sum(axis=2) >= r.language).all(axis=1)
    if r.newcomer_dinners is not None:
        fresh = (seats & r.newcomer[None, :, None]).sum(axis=1)  # (A, t)
        anchored = (seats & r.anchor[None, :, None]).any(axis=1)
        ok &= ((fresh == 0) | anchored).all(axis=1)
        if r.max_newcomers:
            ok &= (fresh <= r.max_newcomers).all(axis=1)
    return ok


def scaled_exactly(p: DinnerProblem) -> bool:
    """Whether CP-SAT's integer scaling (x1 or x1000) represents every weight exactly."""
    values = np.concatenate((p.weights.ravel(), [p.fairness])) * 1000.0
    return bool(np.allclose(values, np.round(values), rtol=0, atol=1e-9))


def tolerance(p: DinnerProblem) -> float:
    """How far CP-SAT's rounded objective may be from the exact one on this instance."""
    if scaled_exactly(p):
        return 1e-6
    pairs = p.num_attendees * (p.num_attendees - 1) / 2
    return 0.5e-3 * (pairs + p.num_attendees) + 1e-9


def meetings_of_plan(p: DinnerProblem, table_of: np.ndarray) -> int:
    """Total earlier meetings over every pair the plan seats together."""
    together = table_of[:, None] == table_of[None, :]
    return int(np.triu(np.where(together, p.meetings, 0), 1).sum())


# --- checking a Result ----------------------------------------------------------------------


def table_of_plan(dinner, plan) -> np.ndarray:
    """A DinnerPlan back to the table index of each attendee of the compiled dinner."""
    table_of = np.full(dinner.num_attendees, -1, dtype=np.int64)
    for t, table in enumerate(plan.tables):
        assert table.id == dinner.table_ids[t]
        for member in table.members:
            table_of[dinner.member_ids.index(member)] = t
    return table_of


def assert_well_formed(problem, result: Result) -> None:
    """Every attendee seated once per dinner, every rule held, objective and metrics recomputed."""
    assert result.status.has_plan
    dinners = compiled_dinners(problem, result)
    assert len(dinners) == len(problem.dinners) == len(result.dinners)
    total = 0.0
    metrics = []
    for dinner, plan in zip(dinners, result.dinners, strict=True):
        seated = [m for t in plan.tables for m in t.members]
        assert sorted(seated) == sorted(dinner.member_ids), "every attendee exactly once"
        table_of = table_of_plan(dinner, plan)
        assert violations(dinner, table_of) == []
        assert plan.objective == pytest.approx(objective(dinner, table_of))
        total += objective(dinner, table_of)
        metrics.append(dinner_metrics(dinner, table_of))
    assert result.objective == pytest.approx(total)
    assert result.metrics == combine(metrics)


# --- named scenarios (brute-forceable: 8 attendees, up to 3 tables) ----------------------

HISTORY = [
    {"date": "2026-08-13", "tables": [["m1", "m2", "m3", "m4"], ["m5", "m6", "m7", "m8"]]},
    {"date": "2026-09-10", "tables": [["m1", "m2", "m5", "m6"], ["m3", "m4", "m7", "m8"]]},
    {"date": "2026-10-15", "tables": [["m1", "m3", "m5", "m7"], ["m2", "m4", "m6", "m8"]]},
    {"date": "2026-11-12", "tables": [["m1", "m2", "m3"], ["m4", "m5", "m6"], ["m7", "m8"]]},
]


def scenario(
    capacities: tuple[int, ...] = (3, 3, 2),
    num_attendees: int = 8,
    hosts: dict[int, str] | None = None,
    companies: dict[str, str] | None = None,
    industries: dict[str, str] | None = None,
    **sections: dict[str, Any],
) -> dict[str, Any]:
    """8 members with four dinners of overlapping history; m1..m{num_attendees} dine."""
    members = [{"id": f"m{k}"} for k in range(1, 9)]
    for member in members:
        if companies and member["id"] in companies:
            member["company"] = companies[member["id"]]
        if industries and member["id"] in industries:
            member["industry"] = industries[member["id"]]
    tables = [{"id": f"T{t + 1}", "capacity": c} for t, c in enumerate(capacities)]
    for t, host in (hosts or {}).items():
        tables[t]["host"] = host
    attendees = [m["id"] for m in members[:num_attendees]]
    data: dict[str, Any] = {
        "members": members,
        "history": HISTORY,
        "dinners": [{"date": "2026-12-10", "attendees": attendees, "tables": tables}],
        "policy": {"repeat_weight": -1.0},
        "rules": {"max_per_company": None},
    }
    for key, section in sections.items():
        data[key] = {**data[key], **section}
    return data


SCENARIOS: dict[str, dict[str, Any]] = {
    "avoid_repeats": scenario(),
    "favour_repeats": scenario(policy={"repeat_weight": 1.0}),
    "half_avoid": scenario(policy={"repeat_weight": -0.5}),
    "target_meetings_2": scenario(policy={"repeat_weight": -1.0, "target_meetings": 2}),
    "target_meetings_3_favour": scenario(policy={"repeat_weight": 0.5, "target_meetings": 3}),
    "half_life": scenario(policy={"repeat_weight": -1.0, "half_life": 1.5}),
    "half_life_target": scenario(
        policy={"repeat_weight": 1.0, "half_life": 3.0, "target_meetings": 2}
    ),
    "fairness": scenario(policy={"repeat_weight": -1.0, "fairness": 1.0}),
    "fairness_only": scenario(policy={"repeat_weight": 0.0, "fairness": 2.0}),
    "fairness_favour": scenario(policy={"repeat_weight": 1.0, "fairness": 0.5}),
    "hosts": scenario(hosts={0: "m1", 1: "m2"}),
    "hosts_fairness": scenario(hosts={0: "m1", 2: "m7"}, policy={"fairness": 1.0}),
    "company_limit": scenario(
        companies={"m1": "Acme", "m5": "acme", "m6": "Bolt", "m7": "Bolt", "m8": "Bolt"},
        rules={"max_per_company": 1},
    ),
    "industry_limit": scenario(
        industries={m: "IT" for m in ("m1", "m2", "m3", "m4", "m5")}, rules={"max_per_industry": 2}
    ),
    "together": scenario(rules={"together": [["m1", "m2", "m3"]]}),
    "together_with_host": scenario(hosts={1: "m8"}, rules={"together": [["m8", "m7"]]}),
    "apart": scenario(rules={"apart": [["m5", "m6"], ["m1", "m8"]]}),
    "cooldown_1": scenario(rules={"cooldown": 1}),
    "cooldown_2": scenario(capacities=(2, 2, 2, 2), num_attendees=7, rules={"cooldown": 2}),
    "unequal_tables_spare_seats": scenario(capacities=(4, 3, 2), num_attendees=7),
    "identical_tables": scenario(capacities=(3, 3, 3), hosts={2: "m4"}),
    "everything": scenario(
        capacities=(4, 3, 2),
        hosts={0: "m1"},
        companies={"m2": "Acme", "m3": "Acme", "m4": "Bolt"},
        policy={"repeat_weight": -1.0, "target_meetings": 2, "fairness": 0.5},
        rules={
            "max_per_company": 1,
            "cooldown": 1,
            "together": [["m4", "m8"]],
            "apart": [["m2", "m6"]],
        },
    ),
}


INFEASIBLE: dict[str, tuple[dict[str, Any], list[str]]] = {
    "two_hosts_in_one_group": (
        scenario(capacities=(4, 4), hosts={0: "m1", 1: "m2"}, rules={"together": [["m1", "m2"]]}),
        ["host 'm1' at table 'T1'", "host 'm2' at table 'T2'", "keep together"],
    ),
    "company_limit_vs_together": (
        scenario(
            capacities=(4, 4),
            companies={"m3": "Acme", "m6": "ACME"},
            rules={"max_per_company": 1, "together": [["m3", "m6"]]},
        ),
        ["company 'Acme'", "keep together ['m3', 'm6']"],
    ),
    "apart_vs_together_via_host": (
        scenario(
            capacities=(4, 4),
            hosts={0: "m1", 1: "m2"},
            rules={"together": [["m1", "m3"]], "apart": [["m3", "m4"], ["m4", "m2"]]},
        ),
        ["keep apart 'm3' and 'm4'", "keep together", "host 'm1'"],
    ),
    "groups_do_not_pack": (
        scenario(
            capacities=(3, 3),
            num_attendees=6,
            rules={"together": [["m1", "m2"], ["m3", "m4"], ["m5", "m6"]]},
        ),
        ["capacity 3", "keep together"],
    ),
    # Keep-together wins over the cooldown for m7-m8 themselves, but with m7 and m8 at one
    # table the other six cannot avoid the last dinner's triples {m1,m2,m3} and {m4,m5,m6}.
    "cooldown_triples_with_a_together_pair": (
        scenario(rules={"cooldown": 1, "together": [["m7", "m8"]]}),
        ["cooldown", "keep together ['m7', 'm8']"],
    ),
    "cooldown_at_a_single_table": (
        scenario(capacities=(8,), rules={"cooldown": 1}),
        ["cooldown"],
    ),
}
"""Dinners whose rules clash, with words the explanation must contain."""


# --- hypothesis strategies -------------------------------------------------------------------

COMPANIES = st.sampled_from(["Acme", "acme ", "Bolt", "Cora", None, None])
INDUSTRIES = st.sampled_from(["Legal", "IT", None])
EXACT_WEIGHTS = st.sampled_from([-1.0, -0.5, 0.0, 0.5, 1.0])


@st.composite
def problems(
    draw: st.DrawFn,
    *,
    max_attendees: int = 7,
    max_tables: int = 3,
    exact_weights: bool = True,
    rules: bool = True,
    fairness: bool = True,
    targets: bool = True,
    seasons: bool = False,
    max_groups: int = 1,
    max_apart: int = 2,
    club_rules: bool = False,
) -> dict[str, Any]:
    """Random small problems as plain data (one dinner), valid by construction in most cases.

    Cross-reference errors that construction does not rule out (a keep-together group larger
    than every table; with several groups, an apart pair inside merged groups) are left to the
    caller, who rejects the example.
    """
    num_members = draw(st.integers(2, max_attendees + 2))
    ids = [f"m{k}" for k in range(1, num_members + 1)]
    members = [{"id": m, "company": draw(COMPANIES), "industry": draw(INDUSTRIES)} for m in ids]
    attendees = draw(
        st.lists(st.sampled_from(ids), min_size=2, max_size=max_attendees, unique=True)
    )
    history = []
    for k in range(draw(st.integers(0, 4))):
        present = draw(
            st.lists(st.sampled_from(ids), min_size=0, max_size=num_members, unique=True)
        )
        labels = draw(st.lists(st.integers(0, 2), min_size=len(present), max_size=len(present)))
        tables = [[m for m, lab in zip(present, labels, strict=True) if lab == t] for t in range(3)]
        history.append({"date": f"2026-0{k + 1}-15", "tables": [t for t in tables if t]})

    num_tables = draw(st.integers(1, max_tables))
    capacities = draw(st.lists(st.integers(1, 5), min_size=num_tables, max_size=num_tables))
    short = len(attendees) - sum(capacities)
    if short > 0:
        capacities[-1] += short
    capacities[-1] += draw(st.integers(0, 1))  # sometimes a spare seat
    hosts: list[str | None] = []
    for _ in range(num_tables):
        host = draw(st.none() | st.sampled_from(attendees))
        hosts.append(None if host in hosts else host)
    tables = [
        {"id": f"T{t + 1}", "capacity": c, **({"host": h} if h else {})}
        for t, (c, h) in enumerate(zip(capacities, hosts, strict=True))
    ]

    together: list[list[str]] = []
    apart: list[list[str]] = []
    rule_data: dict[str, Any] = {"max_per_company": None}
    if rules:
        group = st.lists(st.sampled_from(ids), min_size=2, max_size=3, unique=True)
        together = draw(st.lists(group, max_size=max_groups))
        for _ in range(draw(st.integers(0, max_apart))):
            pair = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
            if not any(set(pair) <= set(g) for g in together):
                apart.append(pair)
        rule_data = {
            "max_per_company": draw(st.sampled_from([None, 1, 2])),
            "max_per_industry": draw(st.sampled_from([None, None, 2])),
            "cooldown": draw(st.sampled_from([None, None, 1, 2])),
            "together": together,
            "apart": apart,
        }
    weight = draw(EXACT_WEIGHTS if exact_weights else st.floats(-1.0, 1.0))
    policy: dict[str, Any] = {"repeat_weight": weight}
    if club_rules:
        _draw_club_rules(draw, members, ids, rule_data, policy, max(capacities))
    if targets and draw(st.booleans()):
        policy["target_meetings"] = draw(st.integers(1, 3))
    if not exact_weights and draw(st.booleans()):
        policy["half_life"] = draw(st.sampled_from([0.5, 1.0, 2.5]))
    if fairness:
        policy["fairness"] = draw(st.sampled_from([0.0, 0.0, 0.5, 1.0, 3.0]))
    attend = None if len(attendees) == num_members and draw(st.booleans()) else attendees
    dinners = [{"date": "2026-12-03", "attendees": attend, "tables": tables}]
    if seasons and draw(st.booleans()):
        dinners.append({"date": "2027-01-14", "attendees": attend, "tables": tables})
    return {
        "members": members,
        "history": history,
        "dinners": dinners,
        "policy": policy,
        "rules": rule_data,
    }


LANGUAGES = st.sampled_from([[], ["nl"], ["fr"], ["nl", "fr"], ["EN", "fr"], ["nl", "en"]])


def _draw_club_rules(
    draw: st.DrawFn,
    members: list[dict[str, Any]],
    ids: list[str],
    rules: dict[str, Any],
    policy: dict[str, Any],
    biggest: int,
) -> None:
    """Add languages, join dates, guests, the language and newcomer rules, introductions and
    the soft recency penalty to a drawn problem (in place)."""
    for member in members:
        member["languages"] = draw(LANGUAGES)
        if draw(st.integers(0, 3)) == 0:
            member["joined"] = draw(st.sampled_from(["2025-12-01", "2026-02-01", "2026-03-20"]))
    for member in members:
        if draw(st.integers(0, 4)) == 0:
            host = draw(st.sampled_from(ids))
            if host != member["id"]:
                member["guest_of"] = host
    choices: list[Any] = [None, "table", 1]
    if biggest > 2:
        choices.append(2)
    rules["language"] = draw(st.sampled_from(choices))
    if draw(st.booleans()):
        rules["newcomer_dinners"] = draw(st.integers(1, 3))
        rules["max_newcomers_per_table"] = draw(st.sampled_from([None, 1, 2]))
    pair = st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True)
    policy["introduce"] = [
        [*p, draw(st.sampled_from([1.0, 2.0]))] for p in draw(st.lists(pair, max_size=2))
    ]
    policy["recent_penalty"] = draw(st.sampled_from([0.0, 0.0, 1.0, 2.0]))
    policy["recent_dinners"] = draw(st.integers(1, 2))


def kernel_cycles(
    problem: DinnerProblem, seed: int, settings: Any
) -> list[tuple[float, np.ndarray]]:
    """Run the local search on ``problem`` and return, for every cycle of its compiled
    kernel, the cost the kernel reports and the plan it returns (the property tests recount
    that cost from scratch).

    The search runs on ``problem`` itself (``pair_form=False``): on the fast path of the
    table rules it would search a larger dinner with a placeholder per table
    (:func:`seating.solvers.local.labels.pair_form`), whose costs are not this dinner's.
    """
    from unittest import mock

    from seating.solvers.local import _kernel
    from seating.solvers.local.search import solve_local

    seen: list[tuple[float, np.ndarray]] = []
    real_search = _kernel.search

    def recording_search(D, start, seed, iterations, t_start, t_end, best_out):
        cost = real_search(D, start, seed, iterations, t_start, t_end, best_out)
        seen.append((cost, best_out.copy()))
        return cost

    with mock.patch.object(_kernel, "search", recording_search):
        solve_local(problem, seed=seed, settings=settings, pair_form=False)
    return seen


def first_dinner(data: dict[str, Any]) -> tuple[ProblemInput, DinnerProblem]:
    """A generated problem and its first dinner compiled, rejecting (hypothesis) the rare
    example the models refuse."""
    from hypothesis import reject

    from seating.errors import InputError

    try:
        problem = checked(data)
    except InputError:
        reject()
    return problem, compile_dinner(problem, 0)


def broken_table_rule_units(p: DinnerProblem, table_of: np.ndarray) -> int:
    """The local search kernel's count of broken table-rule units (a shared language, the
    newcomers' anchor and cap), recounted table by table in Python."""
    r = p.table_rules
    total = 0
    for t in range(p.num_tables):
        at = np.nonzero(table_of == t)[0]
        if at.size == 0:
            continue
        if r.language == -1 and r.speaks.shape[1]:
            total += at.size - int(r.speaks[at].sum(axis=0).max())
        elif r.language > 0:
            mates = r.shares()[np.ix_(at, at)].sum(axis=1)
            total += int(np.maximum(r.language - mates, 0).sum())
        if r.newcomer_dinners is not None:
            fresh = int(r.newcomer[at].sum())
            total += int(fresh > 0 and not r.anchor[at].any())
            if r.max_newcomers:
                total += max(0, fresh - r.max_newcomers)
    return total


def expected_kernel_cost(p: DinnerProblem, table_of: np.ndarray) -> float:
    """The local search kernel's cost of a plan, recomputed from scratch: the objective
    without the pair costs inside a keep-together unit (a constant), plus a penalty per
    forbidden pair across units, per company or industry excess and per broken table-rule
    unit (:func:`broken_table_rule_units`)."""
    from seating.compile.objective import same_table
    from seating.solvers.local.search import _penalty, build_units

    units = build_units(p)
    together = same_table(table_of)
    same_unit = units.of_member[:, None] == units.of_member[None, :]
    inside = np.triu(np.where(same_unit & together, p.weights, 0.0), 1).sum()
    broken = int(np.triu(together & p.forbidden & ~same_unit, 1).sum())
    for codes, limit in ((p.company, p.max_per_company), (p.industry, p.max_per_industry)):
        if limit == 0:
            continue
        for t in range(p.num_tables):
            at = codes[(table_of == t) & (codes >= 0)]
            broken += int(np.maximum(np.bincount(at) - limit, 0).sum()) if at.size else 0
    broken += broken_table_rule_units(p, table_of)
    return objective(p, table_of) - inside + _penalty(p) * broken
