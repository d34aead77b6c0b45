"""Every kind of bad input of issue 2, as JSON text with the words its error message must hold.

Shared by the library tests (an :class:`~seating.errors.InputError` with a one-line message) and
the CLI tests (exit code 2, that line on standard error, no traceback).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from helpers import base_problem


@dataclass(frozen=True)
class BadInput:
    """One bad problem: its JSON text and the substrings its error message must contain."""

    name: str
    text: str
    expect: tuple[str, ...]


def _case(name: str, change: Callable[[dict[str, Any]], Any], *expect: str) -> BadInput:
    data = base_problem()
    change(data)
    return BadInput(name, json.dumps(data), expect)


def _raw(name: str, text: str, *expect: str) -> BadInput:
    return BadInput(name, text, expect)


def _dinner(data: dict[str, Any]) -> dict[str, Any]:
    return data["dinners"][0]


def _table(data: dict[str, Any], t: int = 0) -> dict[str, Any]:
    return data["dinners"][0]["tables"][t]


def _set(target: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any):
    return lambda data: target(data).__setitem__(key, value)


def _policy(data: dict[str, Any]) -> dict[str, Any]:
    return data.setdefault("policy", {})


def _rules(data: dict[str, Any]) -> dict[str, Any]:
    return data.setdefault("rules", {})


def _root(data: dict[str, Any]) -> dict[str, Any]:
    return data


_MINIMAL = '"members": [{"id": "m1"}, {"id": "m2"}], "dinners": [{"date": "2026-12-03", '


BAD_INPUTS: list[BadInput] = [
    # --- not JSON, or not the contract's shape -------------------------------------------------
    _raw("malformed_json", '{"members": [{"id": "m1"}', "malformed JSON", "line 1"),
    _raw("deeply_nested_json", "[" * 100_000 + "]" * 100_000, "malformed JSON"),
    # Python refuses to turn more than 4,300 digits into an int (a ValueError, not JSON's).
    _raw(
        "integer_of_5000_digits",
        "{" + _MINIMAL + '"tables": [{"id": "T1", "capacity": ' + "9" * 5000 + "}]}]}",
        "malformed JSON",
        "5000 digits",
    ),
    _raw("top_level_list", "[1, 2]", "problem:"),
    _case("members_not_a_list", _set(_root, "members", "m1,m2"), "members"),
    _case(
        "member_id_not_a_string",
        lambda d: d["members"][0].__setitem__("id", 5),
        "members[0].id",
        "5",
    ),
    _case("empty_member_id", lambda d: d["members"][0].__setitem__("id", "  "), "members[0].id"),
    _case(
        "capacity_not_an_integer",
        _set(_table, "capacity", "lots"),
        "dinners[0].tables[0].capacity",
        "lots",
    ),
    _case("capacity_fractional", _set(_table, "capacity", 2.5), "dinners[0].tables[0].capacity"),
    _case("bad_date", _set(_dinner, "date", "2026-13-01"), "dinners[0].date"),
    _case("missing_dinners", lambda d: d.pop("dinners"), "dinners", "required"),
    _case("no_tables", _set(_dinner, "tables", []), "dinners[0].tables"),
    _case(
        "repeat_weight_not_a_number", _set(_policy, "repeat_weight", "high"), "policy.repeat_weight"
    ),
    # --- unknown fields (extra="forbid") -------------------------------------------------------
    _case("unknown_top_field", _set(_root, "polcy", {}), "polcy"),
    _case("unknown_policy_field", _set(_policy, "repeat_wieght", 0.5), "policy.repeat_wieght"),
    _case(
        "unknown_member_field",
        lambda d: d["members"][0].__setitem__("emial", "x"),
        "members[0].emial",
    ),
    _case("unknown_table_field", _set(_table, "seats", 3), "dinners[0].tables[0].seats"),
    # --- duplicates ------------------------------------------------------------------------------
    _case("duplicate_member_id", lambda d: d["members"].append({"id": "m3"}), "duplicate", "'m3'"),
    _case(
        "duplicate_table_id",
        lambda d: _dinner(d)["tables"].append({"id": "T1", "capacity": 2}),
        "duplicate table",
        "'T1'",
    ),
    _case(
        "attendee_listed_twice",
        _set(_dinner, "attendees", ["m1", "m2", "m2"]),
        "'m2'",
        "listed twice",
    ),
    _case(
        "history_member_seated_twice",
        _set(_root, "history", [{"date": "2026-10-01", "tables": [["m1", "m2"], ["m3", "m2"]]}]),
        "history[0]",
        "'m2'",
        "seated twice",
    ),
    _case(
        "together_member_listed_twice",
        _set(_rules, "together", [["m1", "m2", "m1"]]),
        "rules.together[0]",
    ),
    # --- unknown member ids ----------------------------------------------------------------------
    _case("unknown_attendee", _set(_dinner, "attendees", ["m1", "ghost"]), "attendees", "'ghost'"),
    _case("unknown_host", _set(_table, "host", "ghost"), "host", "'ghost'", "'T1'"),
    _case(
        "unknown_in_history",
        _set(_root, "history", [{"date": "2026-10-01", "tables": [["m1", "ghost"]]}]),
        "history[0]",
        "'ghost'",
    ),
    _case(
        "unknown_in_together",
        _set(_rules, "together", [["m1", "ghost"]]),
        "rules.together[0]",
        "'ghost'",
    ),
    _case(
        "unknown_in_apart", _set(_rules, "apart", [["ghost", "m1"]]), "rules.apart[0]", "'ghost'"
    ),
    # --- hosts -----------------------------------------------------------------------------------
    _case(
        "host_not_attending",
        lambda d: (
            _dinner(d).__setitem__("attendees", ["m1", "m2", "m3"]),
            _table(d).__setitem__("host", "m6"),
        ),
        "'m6'",
        "does not attend",
        "'T1'",
    ),
    _case(
        "host_of_two_tables",
        lambda d: (_table(d, 0).__setitem__("host", "m1"), _table(d, 1).__setitem__("host", "m1")),
        "'m1'",
        "hosts two tables",
        "'T1'",
        "'T2'",
    ),
    # --- capacities ------------------------------------------------------------------------------
    _case(
        "capacity_below_attendance", _set(_table, "capacity", 2), "total capacity 5", "attendance 6"
    ),
    _case("capacity_zero", _set(_table, "capacity", 0), "dinners[0].tables[0].capacity"),
    _case("capacity_negative", _set(_table, "capacity", -3), "dinners[0].tables[0].capacity"),
    _case(
        "together_group_larger_than_every_table",
        _set(_rules, "together", [["m1", "m2", "m3", "m4"]]),
        "'m1'",
        "'m4'",
        "largest table seats 3",
    ),
    _case(
        "merged_together_groups_larger_than_every_table",
        _set(_rules, "together", [["m1", "m2", "m3"], ["m3", "m5"]]),
        "'m1'",
        "'m5'",
        "largest table seats 3",
    ),
    # --- rules that contradict each other --------------------------------------------------------
    _case(
        "together_and_apart_same_pair",
        lambda d: _rules(d).update(together=[["m1", "m2"]], apart=[["m2", "m1"]]),
        "'m1'",
        "'m2'",
        "together",
        "apart",
    ),
    _case(
        "together_via_merge_and_apart",
        lambda d: _rules(d).update(together=[["m1", "m2"], ["m2", "m3"]], apart=[["m1", "m3"]]),
        "'m1'",
        "'m3'",
        "apart",
    ),
    _case("apart_from_self", _set(_rules, "apart", [["m1", "m1"]]), "rules.apart[0]", "'m1'"),
    _case("together_of_one", _set(_rules, "together", [["m1"]]), "rules.together[0]"),
    # --- numbers out of range --------------------------------------------------------------------
    _case("fairness_beyond_its_bound", _set(_policy, "fairness", 1e308), "policy.fairness"),
    _case(
        "repeat_weight_above_one",
        _set(_policy, "repeat_weight", 1.5),
        "policy.repeat_weight",
        "1.5",
    ),
    _case(
        "repeat_weight_below_minus_one",
        _set(_policy, "repeat_weight", -2),
        "policy.repeat_weight",
        "-2",
    ),
    _case("half_life_zero", _set(_policy, "half_life", 0), "policy.half_life"),
    _case("target_meetings_zero", _set(_policy, "target_meetings", 0), "policy.target_meetings"),
    _case("fairness_negative", _set(_policy, "fairness", -0.1), "policy.fairness"),
    _case("cooldown_zero", _set(_rules, "cooldown", 0), "rules.cooldown"),
    _case("max_per_company_zero", _set(_rules, "max_per_company", 0), "rules.max_per_company"),
    _case(
        "max_per_industry_negative", _set(_rules, "max_per_industry", -1), "rules.max_per_industry"
    ),
    _case("no_attendees", _set(_dinner, "attendees", []), "no attendees"),
    # --- NaN and infinity (Python's json module accepts these literals) -------------------------
    _raw(
        "nan_repeat_weight",
        "{" + _MINIMAL + '"tables": [{"id": "T1", "capacity": 2}]}], '
        '"policy": {"repeat_weight": NaN}}',
        "policy.repeat_weight",
        "finite",
    ),
    _raw(
        "infinite_fairness",
        "{" + _MINIMAL + '"tables": [{"id": "T1", "capacity": 2}]}], '
        '"policy": {"fairness": Infinity}}',
        "policy.fairness",
        "finite",
    ),
    _raw(
        "minus_infinite_half_life",
        "{" + _MINIMAL + '"tables": [{"id": "T1", "capacity": 2}]}], '
        '"policy": {"half_life": -Infinity}}',
        "policy.half_life",
    ),
    _raw(
        "nan_capacity",
        "{" + _MINIMAL + '"tables": [{"id": "T1", "capacity": NaN}]}]}',
        "dinners[0].tables[0].capacity",
    ),
    _raw(
        "infinite_capacity",
        "{" + _MINIMAL + '"tables": [{"id": "T1", "capacity": Infinity}]}]}',
        "dinners[0].tables[0].capacity",
    ),
]


def _huge(path: tuple[str, str], value: int) -> Callable[[dict[str, Any]], None]:
    return lambda d: d.setdefault(path[0], {}).__setitem__(path[1], value)


def _two_dinners(data: dict[str, Any]) -> None:
    later = json.loads(json.dumps(data["dinners"][0]))
    data["dinners"].append({**later, "date": "2026-12-10"})


def _season_with(key: str, value: int) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        if key == "cooldown":  # tables of two: a cooldown over every dinner still leaves plans
            data["dinners"][0]["tables"] = [{"id": f"T{t}", "capacity": 2} for t in (1, 2, 3)]
        _two_dinners(data)
        data["history"] = [{"date": "2026-01-01", "tables": [["m1", "m2"], ["m3", "m4"]]}]
        _rules(data)[key] = value

    return change


HUGE_LIMITS: list[BadInput] = [
    _case("capacity_beyond_int64", _set(_table, "capacity", 2**70)),
    _case("max_per_company_beyond_int64", _huge(("rules", "max_per_company"), 2**70)),
    _case("cooldown_beyond_int64", _huge(("rules", "cooldown"), 2**70)),
    # A season's compiled search took these as int64 (numba: "Int value is too large").
    _case("season_max_per_company_beyond_int64", _season_with("max_per_company", 2**64)),
    _case("season_max_per_industry_beyond_int64", _season_with("max_per_industry", 2**64)),
    _case("season_cooldown_beyond_int64", _season_with("cooldown", 2**64)),
]
"""Valid problems with absurdly large limits: a limit past the attendance is no limit at all,
so they must plan like any other problem (no overflow, no huge allocation)."""
