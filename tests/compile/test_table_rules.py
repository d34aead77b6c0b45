"""The club rules on named cases: a shared language, newcomers, guests, introductions, the soft
recency penalty; their bad input, infeasibility reasons, explanations and metrics."""

from __future__ import annotations

import random
import warnings
from typing import Any

import numpy as np
import pytest

from helpers import CPSAT_TIME, FAST, assert_well_formed, base_problem, checked, compiled
from seating import InputError, Status, explain, solve
from seating.compile.objective import violations
from seating.compile.plans import table_index
from seating.compile.table_rules import TABLE
from seating.solvers.local.search import solve_local


def _brussels(seed: int = 0, n: int = 24, tables: int = 4) -> dict[str, Any]:
    """A Brussels club: 15 % French only, 25 % Dutch only, the rest bilingual or with English."""
    rng = random.Random(seed)
    members = []
    for i in range(n):
        r = rng.random()
        if r < 0.15:
            spoken = ["fr"]
        elif r < 0.40:
            spoken = ["nl"]
        else:
            spoken = rng.choice([["nl", "fr"], ["nl", "en"], ["fr", "en"], ["nl", "fr", "en"]])
        members.append({"id": f"m{i:02d}", "company": f"c{i // 2}", "languages": spoken})
    ids = [m["id"] for m in members]
    size = n // tables
    history = []
    for k in range(4):
        rng.shuffle(ids)
        tables_k = [ids[t * size : (t + 1) * size] for t in range(tables)]
        history.append({"date": f"2026-0{k + 1}-10", "tables": tables_k})
    return {
        "members": members,
        "history": history,
        "dinners": [
            {
                "date": "2026-12-03",
                "tables": [{"id": f"T{t + 1}", "capacity": size} for t in range(tables)],
            }
        ],
        "rules": {"language": "table"},
    }


def _shared_at_every_table(data: dict[str, Any], result) -> None:
    spoken = {m["id"]: set(m["languages"]) for m in data["members"]}
    for table in result.dinners[0].tables:
        common = set.intersection(*(spoken[m] for m in table.members))
        assert common, f"table {table.id} shares no language"


@pytest.mark.parametrize("method", ["local", "cpsat", "auto"])
def test_brussels_every_table_shares_a_language(method):
    """The issue's failing case: Dutch-only, French-only and bilingual members; every table of
    every method's plan has a language everyone at it speaks."""
    data = _brussels()
    result = solve(data, method=method, seed=0, num_workers=1, time_limit=CPSAT_TIME)
    assert result.status.has_plan
    assert_well_formed(checked(data), result)
    _shared_at_every_table(data, result)


def test_language_k_gives_everyone_k_mates_who_share_a_language():
    data = _brussels(seed=1)
    data["rules"] = {"language": 2}
    result = solve(data, method="local", seed=0)
    assert result.status.has_plan
    spoken = {m["id"]: set(m["languages"]) for m in data["members"]}
    for table in result.dinners[0].tables:
        for m in table.members:
            mates = [o for o in table.members if o != m and spoken[o] & spoken[m]]
            assert len(mates) >= 2


def test_member_without_languages_speaks_every_language():
    data = base_problem(4, (2, 2))
    langs = [["nl"], ["fr"], [], []]
    for member, spoken in zip(data["members"], langs, strict=True):
        member["languages"] = spoken
    data["rules"] = {"language": "table", "max_per_company": None}
    p = compiled(data)
    assert p.table_rules.language == TABLE
    assert p.table_rules.speaks[2:].all()
    assert violations(p, np.array([0, 1, 0, 1])) == []
    assert violations(p, np.array([0, 0, 1, 1])) == [
        "table 'T1': no language that everyone at it speaks"
    ]


def test_languages_match_case_and_spaces_insensitively():
    data = base_problem(2, (2,))
    data["members"][0]["languages"] = ["NL "]
    data["members"][1]["languages"] = ["nl"]
    data["rules"] = {"language": "table"}
    assert compiled(data).table_rules.language_names == ("NL",)


# --- newcomers ------------------------------------------------------------------------------


def _club_with_newcomers() -> dict[str, Any]:
    data = base_problem(8, (4, 4))
    data["history"] = [
        {"date": "2026-09-01", "tables": [["m1", "m2", "m3"], ["m4", "m5"]]},
        {"date": "2026-10-01", "tables": [["m1", "m4"], ["m2", "m3", "m5", "m6"]]},
    ]
    data["members"][4]["joined"] = "2026-09-15"  # m5: two dinners, joined before one of them
    data["rules"] = {"newcomer_dinners": 2, "max_newcomers_per_table": 2, "max_per_company": None}
    return data


def test_newcomers_are_who_has_few_dinners_or_joined_recently():
    p = compiled(_club_with_newcomers())
    fresh = {m for m, f in zip(p.member_ids, p.table_rules.newcomer, strict=True) if f}
    # m5 attended both dinners but joined after the first; m6 attended one; m7, m8 none.
    assert fresh == {"m5", "m6", "m7", "m8"}
    assert set(np.array(p.member_ids)[p.table_rules.anchor]) == {"m1", "m2", "m3", "m4"}


def test_the_courses_of_one_evening_are_one_dinner_for_newcomers():
    """Two seatings of one date (the courses of an evening) count as one dinner: m6, who sat
    at both courses of 2026-10-01 and at no other dinner, is still a newcomer."""
    data = _club_with_newcomers()
    data["history"].append({"date": "2026-10-01", "tables": [["m6", "m1"], ["m2", "m3"]]})
    p = compiled(data)
    assert p.table_rules.newcomer[p.member_ids.index("m6")]
    assert not p.table_rules.newcomer[p.member_ids.index("m1")]


def test_a_host_is_never_a_newcomer():
    data = _club_with_newcomers()
    data["dinners"][0]["tables"][0]["host"] = "m8"
    p = compiled(data)
    i = p.member_ids.index("m8")
    assert not p.table_rules.newcomer[i] and p.table_rules.anchor[i]


@pytest.mark.parametrize("method", ["local", "cpsat"])
def test_newcomers_sit_with_anchors_and_metrics_say_how(method):
    data = _club_with_newcomers()
    result = solve(data, method=method, seed=0, num_workers=1, time_limit=CPSAT_TIME)
    assert result.status.has_plan
    assert_well_formed(checked(data), result)
    seating = result.metrics.newcomers
    assert seating is not None
    assert seating.newcomers == 4 and seating.most_at_a_table == 2
    assert seating.with_long_standing == 4 and seating.tables == 2
    assert '"newcomers"' in result.to_json()


def test_metrics_json_unchanged_without_the_newcomer_rule():
    result = solve(base_problem(), method="local", seed=0)
    assert result.metrics.newcomers is None
    assert '"newcomers"' not in result.to_json()


def test_too_few_anchors_is_infeasible_with_the_newcomer_clause():
    data = _club_with_newcomers()
    # Two dinners of history: with N = 3 everyone is a newcomer, and only T1 has a host.
    data["rules"] = {"newcomer_dinners": 3, "max_per_company": None}
    data["dinners"][0]["tables"][0]["host"] = "m1"
    result = solve(data, method="auto", seed=0, num_workers=1, time_limit=CPSAT_TIME)
    assert result.status is Status.INFEASIBLE
    assert "sits with a host or long-standing member" in result.reason


@pytest.mark.parametrize("method", ["local", "auto"])
def test_more_newcomers_than_the_tables_take_at_the_cap_names_them(method):
    """4 newcomers (m5-m8) at 2 tables, at most 1 a table: counting says so at once, naming
    the rule and the newcomers, where the fast search alone only ran out of time."""
    data = _club_with_newcomers()
    data["rules"]["max_newcomers_per_table"] = 1
    data["members"][6]["name"] = "Greet Wouters"
    result = solve(data, method=method, seed=0, num_workers=1, time_limit=CPSAT_TIME)
    assert result.status is Status.INFEASIBLE
    assert "at most 1 newcomers per table" in result.reason
    assert "'m5', 'm6', 'm7' (Greet Wouters), 'm8'; 2 tables" in result.reason


# --- guests ---------------------------------------------------------------------------------


def test_guest_sits_with_the_member_who_invited_them():
    data = base_problem(6, (3, 3))
    data["members"].append({"id": "g1", "guest_of": "m4"})
    data["dinners"][0]["tables"] = [{"id": "T1", "capacity": 4}, {"id": "T2", "capacity": 3}]
    for method in ("local", "cpsat"):
        result = solve(data, method=method, seed=0, num_workers=1, time_limit=CPSAT_TIME)
        assert result.status.has_plan
        at = {m: t.id for t in result.dinners[0].tables for m in t.members}
        assert at["g1"] == at["m4"]
    lines = explain(data, result).member("g1").rules
    assert any("guest of m4" in line for line in lines)


def test_a_guest_who_cannot_sit_with_their_inviter_is_named_as_a_guest_in_the_clash():
    """m6 (French only) is the guest of m1 (Dutch only) and every table needs a shared
    language: the reason names the guest rule as such, not as a keep-together the organiser
    never wrote."""
    data = base_problem(6, (3, 3))
    data["members"][5]["guest_of"] = "m1"
    data["members"][0]["languages"] = ["nl"]
    data["members"][5]["languages"] = ["fr"]
    data["rules"] = {"language": "table"}
    result = solve(data, method="cpsat", seed=0, num_workers=1, time_limit=CPSAT_TIME)
    assert result.status is Status.INFEASIBLE
    assert "guest 'm6' sits with 'm1' who invited them" in result.reason
    assert "keep together" not in result.reason


def test_a_guest_moved_away_from_their_inviter_is_named_as_a_guest():
    """The rule check of a move and the explanation call a guest pair what it is: a guest and
    who invited them, once, not also a keep-together group the organiser never wrote."""
    data = base_problem(6, (3, 3))
    data["members"][5]["guest_of"] = "m1"
    data["dinners"][0]["attendees"] = [f"m{k}" for k in range(1, 7)]
    problem = compiled(data)
    result = solve(data, method="cpsat", seed=0, num_workers=1, time_limit=CPSAT_TIME)
    table_of = table_index(problem, result.dinners[0])
    moved = table_of.copy()
    g, h = problem.member_ids.index("m6"), problem.member_ids.index("m1")
    moved[g] = 1 - moved[h]
    found = violations(problem, moved)
    assert "guest 'm6' does not sit with 'm1', who invited them" in found
    assert not any("keep-together" in line for line in found)
    told = explain(data, result)
    assert told.member("m6").rules == ["guest of m1, who sits here too"]
    assert not any("keep-together" in line for line in told.member("m1").rules)
    table = result.dinners[0].tables[table_of[h]].id
    guest_lines = [line for line in told.table(table).rules if "guest" in line]
    assert guest_lines == ["guest: m6 sits with m1, who invited them"]  # once


def test_guest_kept_apart_by_a_rule_may_sit_elsewhere():
    data = base_problem(4, (2, 3))
    data["members"].append({"id": "g1", "guest_of": "m1"})
    data["rules"] = {"apart": [["g1", "m1"]]}
    result = solve(data, method="cpsat", seed=0, time_limit=CPSAT_TIME)
    at = {m: t.id for t in result.dinners[0].tables for m in t.members}
    assert at["g1"] != at["m1"]


def test_guest_without_their_host_is_seated_with_a_warning():
    data = base_problem(4, (3, 3))
    data["members"].append({"id": "g1", "guest_of": "m1"})
    data["dinners"][0]["attendees"] = ["m2", "m3", "m4", "g1"]
    with pytest.warns(UserWarning, match="'g1' attends without 'm1'"):
        result = solve(data, method="local", seed=0)
    assert result.status.has_plan


# --- introductions and soft recency ---------------------------------------------------------


def test_introduced_pair_sits_together():
    data = base_problem(6, (3, 3))
    data["policy"] = {"repeat_weight": -1.0, "introduce": [["m1", "m6", 2.0]]}
    data["history"] = [{"date": "2026-01-01", "tables": [["m1", "m2"], ["m5", "m6"]]}]
    result = solve(data, method="cpsat", seed=0, time_limit=CPSAT_TIME)
    at = {m: t.id for t in result.dinners[0].tables for m in t.members}
    assert at["m1"] == at["m6"]
    assert result.objective == -2.0


def test_recent_penalty_is_a_soft_cooldown():
    data = base_problem(4, (2, 2))
    data["history"] = [
        {"date": "2026-01-01", "tables": [["m1", "m2"], ["m3", "m4"]]},
        {"date": "2026-02-01", "tables": [["m1", "m3"], ["m2", "m4"]]},
    ]
    data["policy"] = {"repeat_weight": 0.0, "recent_penalty": 5.0, "recent_dinners": 1}
    data["rules"] = {"max_per_company": None}
    p = compiled(data)
    i, j = p.member_ids.index("m1"), p.member_ids.index("m3")
    assert p.weights[i, j] == 5.0 and p.weights[0, 1] == 0.0
    result = solve(data, method="cpsat", seed=0, time_limit=CPSAT_TIME)
    assert result.objective == 0.0  # m1-m3 and m2-m4 split


def test_infeasible_cooldown_says_why_in_words_and_suggests_the_soft_form():
    data = base_problem(7, (2, 2, 2, 1))
    data["history"] = [{"date": "2026-01-01", "tables": [["m1", "m2", "m3", "m4", "m5"]]}]
    data["rules"] = {"cooldown": 1, "max_per_company": None}
    result = solve(data, method="auto", seed=0, num_workers=1, time_limit=CPSAT_TIME)
    assert result.status is Status.INFEASIBLE
    assert "5 attendees sat together last time and there are 4 tables" in result.reason
    assert "policy.recent_penalty" in result.reason


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["members"][0].update(guest_of="nobody"), "unknown member id 'nobody'"),
        (lambda d: d["members"][0].update(guest_of="m1"), "'m1' is their own guest"),
        (lambda d: d["rules"].update(language=3), "rules.language: 3 table mates"),
        (lambda d: d["rules"].update(language="room"), 'must be "table" or a positive'),
        (lambda d: d["rules"].update(language=0), 'must be "table" or a positive'),
        (lambda d: d["rules"].update(max_newcomers_per_table=1), "needs rules.newcomer_dinners"),
        (lambda d: d["rules"].update(newcomer_dinners=0), "rules.newcomer_dinners"),
        (lambda d: d["policy"].update(introduce=[["m1", "zz"]]), "policy.introduce[0]"),
        (lambda d: d["policy"].update(introduce=[["m1", "m1"]]), "listed twice"),
        (lambda d: d["policy"].update(recent_penalty=-1), "policy.recent_penalty"),
        (lambda d: d["members"][0].update(joined="yesterday"), "members[0].joined"),
    ],
)
def test_bad_club_rule_input_is_one_line_naming_the_field(change, message):
    data = base_problem(6, (3, 3))
    data["rules"], data["policy"] = {}, {}
    change(data)
    with pytest.raises(InputError) as info:
        solve(data, method="local", seed=0)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_explain_names_the_language_and_newcomer_rules():
    data = _club_with_newcomers()
    data["rules"]["language"] = "table"
    for member in data["members"]:
        member["languages"] = ["nl"] if member["id"] != "m1" else ["nl", "fr"]
    result = solve(data, method="local", seed=0)
    lines = [line for t in explain(data, result).tables for line in t.rules]
    assert any(line.startswith("language: everyone here speaks nl") for line in lines)
    assert any(line.startswith("newcomers: ") for line in lines)


def test_local_search_on_an_impossible_language_rule_returns_no_plan():
    data = base_problem(4, (2, 2))
    for member, spoken in zip(data["members"], [["nl"], ["fr"], ["de"], ["en"]], strict=True):
        member["languages"] = spoken
    data["rules"] = {"language": "table"}
    p = compiled(data)
    with warnings.catch_warnings():
        outcome = solve_local(p, seed=0, settings=FAST)
    assert outcome.status is Status.UNKNOWN
    result = solve(data, method="auto", seed=0, num_workers=1, time_limit=CPSAT_TIME)
    assert result.status is Status.INFEASIBLE
    assert "a language everyone at the table speaks" in result.reason
    assert table_index  # the plan helpers stay importable for the checks above
