"""The compiled problem: cross-reference checks and the index-based arrays solvers see."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from helpers import base_problem, checked, compiled, load
from seating import InputError, PastDinner, ProblemInput, solve
from seating.compile.history import NEVER
from seating.compile.problem import NO_LIMIT, check_references, compile_dinner, cooldown_forbidden


def _index(p, member):
    return p.member_ids.index(member)


def test_attendees_omitted_means_every_member_in_member_order():
    """Without an attendee list every member attends, indexed in member order."""
    p = compiled(load("minimal.json"))
    assert p.member_ids == ("m1", "m2", "m3")
    assert p.num_attendees == 3 and p.num_tables == 2


def test_attendee_order_and_names_follow_the_dinner():
    """Attendees are indexed in the dinner's order; names fall back to ids."""
    data = load("small_club.json")
    data["dinners"][0]["attendees"] = ["m7", "m1", "m3"]
    p = compiled(data)
    assert p.member_ids == ("m7", "m1", "m3")
    assert p.names == ("Greet Segers", "An Peeters", "Carla Claes")
    assert p.table_ids == ("T1", "T2")
    # Capacities are clamped to the attendance (3): a larger table allows exactly the same plans.
    assert p.capacity.tolist() == [3, 3]


def test_host_table_pins_each_host():
    """host_table holds each host's table index and -1 for everyone else."""
    data = base_problem()
    data["dinners"][0]["tables"][1]["host"] = "m4"
    p = compiled(data)
    expected = [-1] * 6
    expected[_index(p, "m4")] = 1
    assert p.host_table.tolist() == expected


def test_forbidden_holds_apart_and_cooldown_pairs_symmetrically():
    """Keep-apart and cooldown pairs are forbidden both ways and recorded by origin."""
    data = base_problem()
    data["history"] = [
        {"date": "2026-09-01", "tables": [["m1", "m2"]]},
        {"date": "2026-10-01", "tables": [["m3", "m4"]]},
        {"date": "2026-11-01", "tables": [["m5", "m6"]]},
    ]
    data["rules"] = {"apart": [["m2", "m6"]], "cooldown": 2}
    p = compiled(data)
    f = p.forbidden
    assert (f == f.T).all() and not f.diagonal().any()
    ii, jj = np.nonzero(f)
    pairs = {frozenset((p.member_ids[i], p.member_ids[j])) for i, j in zip(ii, jj, strict=True)}
    # cooldown 2: the last two dinners (m3-m4, m5-m6) count, the older m1-m2 does not.
    assert pairs == {frozenset(x) for x in (("m2", "m6"), ("m3", "m4"), ("m5", "m6"))}
    assert [tuple(p.member_ids[k] for k in pair) for pair in p.apart_pairs] == [("m2", "m6")]
    assert {tuple(p.member_ids[k] for k in pair) for pair in p.cooldown_pairs} == {
        ("m3", "m4"),
        ("m5", "m6"),
    }


def test_without_cooldown_old_meetings_are_not_forbidden():
    """cooldown null: meetings only weigh in the objective, they forbid nothing."""
    data = base_problem()
    data["history"] = [{"date": "2026-11-01", "tables": [["m1", "m2", "m3"]]}]
    p = compiled(data)
    assert not p.forbidden.any()
    assert p.cooldown_pairs == ()


def test_apart_pair_with_an_absent_member_is_dropped():
    """A keep-apart pair matters only when both attend."""
    data = base_problem()
    data["dinners"][0]["attendees"] = ["m1", "m2", "m3"]
    data["rules"] = {"apart": [["m1", "m6"]]}
    p = compiled(data)
    assert not p.forbidden.any() and p.apart_pairs == ()


def test_overlapping_together_groups_are_merged_and_restricted_to_attendees():
    """Groups sharing a member join; absent members drop out; a group of one disappears."""
    data = base_problem(8, (4, 4))
    data["dinners"][0]["attendees"] = ["m1", "m2", "m3", "m4", "m5", "m7"]
    data["rules"] = {"together": [["m1", "m2"], ["m2", "m3"], ["m5", "m6"], ["m7", "m8"]]}
    p = compiled(data)
    groups = sorted(sorted(p.member_ids[i] for i in g) for g in p.groups)
    assert groups == [["m1", "m2", "m3"]]


def test_labels_match_case_and_space_insensitively_and_keep_the_first_spelling():
    """'Acme', 'acme ' and 'ACME' are one company; its name is spelled as first given."""
    data = base_problem(5, (3, 3))
    for member, company in zip(data["members"], ["Acme", "acme ", "ACME", None, "  "], strict=True):
        member["company"] = company
    data["members"][0]["industry"] = "IT"
    p = compiled(data)
    assert p.company.tolist() == [0, 0, 0, -1, -1]
    assert p.company_names == ("Acme",)
    assert p.industry.tolist() == [0, -1, -1, -1, -1]
    assert p.industry_names == ("IT",)


def test_limits_none_compile_to_no_limit():
    """A null per-table limit compiles to NO_LIMIT; a number passes through."""
    data = base_problem()
    data["rules"] = {"max_per_company": None, "max_per_industry": 2}
    p = compiled(data)
    assert p.max_per_company == NO_LIMIT
    assert p.max_per_industry == 2


def test_weights_and_meetings_come_from_history_and_policy():
    """The compiled weights are the policy applied to the attendees' meeting counts."""
    data = base_problem()
    data["history"] = [
        {"date": "2026-09-01", "tables": [["m1", "m2", "m3"]]},
        {"date": "2026-10-01", "tables": [["m1", "m2"], ["m3", "m4"]]},
    ]
    data["policy"] = {"repeat_weight": -0.5}
    p = compiled(data)
    i, j, k, m = (_index(p, x) for x in ("m1", "m2", "m3", "m4"))
    assert p.meetings[i, j] == 2 and p.meetings[i, k] == 1 and p.meetings[k, m] == 1
    assert p.weights[i, j] == pytest.approx(1.0) and p.weights[i, k] == pytest.approx(0.5)
    assert p.met_before[i, j] and not p.met_before[i, m]
    assert (p.weights == p.weights.T).all() and not p.weights.diagonal().any()


def test_compiled_arrays_are_read_only():
    """The compiled problem is immutable: its arrays refuse writes."""
    p = compiled(load("small_club.json"))
    for array in (p.capacity, p.host_table, p.weights, p.meetings, p.forbidden, p.company):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = array[0]


def test_planned_dinners_count_as_history():
    """A dinner planned earlier in the season is a meeting, and the most recent one."""
    problem = checked(base_problem())
    planned = [PastDinner(date=dt.date(2026, 12, 1), tables=[["m1", "m2"], ["m3", "m4"]])]
    p = compile_dinner(problem, 0, planned)
    i, j = _index(p, "m1"), _index(p, "m2")
    assert p.meetings[i, j] == 1
    assert p.meetings[i, _index(p, "m3")] == 0


def test_cross_reference_errors_come_from_check_references():
    """Field validation accepts an unknown host; check_references finds it and names it."""
    data = base_problem()
    data["dinners"][0]["tables"][0]["host"] = "ghost"
    parsed = ProblemInput.from_dict(data)
    with pytest.raises(InputError, match="'ghost'"):
        check_references(parsed)


def test_second_dinner_errors_name_that_dinner():
    """An error in the second dinner of a season names that dinner and its date."""
    data = base_problem()
    data["dinners"].append(
        {
            "date": "2027-01-14",
            "attendees": ["m1", "nobody"],
            "tables": [{"id": "T1", "capacity": 4}],
        }
    )
    with pytest.raises(InputError) as info:
        checked(data)
    message = str(info.value)
    assert "dinners[1]" in message and "2027-01-14" in message and "'nobody'" in message


def test_group_fitting_the_largest_table_is_accepted():
    """A keep-together group as large as the largest table is fine (unequal tables)."""
    data = base_problem(6, (4, 2))
    data["rules"] = {"together": [["m1", "m2", "m3", "m4"]]}
    p = compiled(data)
    assert [len(g) for g in p.groups] == [4]


def test_absent_together_members_do_not_count_against_table_size():
    """Only attending members of a keep-together group must fit a table."""
    data = base_problem(6, (3, 3))
    data["dinners"][0]["attendees"] = ["m1", "m2", "m5", "m6"]
    data["rules"] = {"together": [["m1", "m2", "m3", "m4"]]}
    p = compiled(data)
    assert [sorted(p.member_ids[i] for i in g) for g in p.groups] == [["m1", "m2"]]


def test_last_age_never_for_pairs_that_never_met():
    """Compilation sees NEVER for strangers, so no cooldown applies to them."""
    data = base_problem()
    data["rules"] = {"cooldown": 5}
    data["history"] = [{"date": "2026-11-01", "tables": [["m1", "m2"]]}]
    p = compiled(data)
    assert NEVER > 10**9
    assert p.forbidden.sum() == 2  # only m1-m2, both ways


def test_huge_cooldown_forbids_only_pairs_that_met():
    """A cooldown of 10**10 dinners ('never again') forbids only pairs that actually met."""
    data = base_problem()
    data["rules"] = {"cooldown": 10**10}
    data["history"] = [{"date": "2026-11-01", "tables": [["m1", "m2"]]}]
    p = compiled(data)
    assert p.forbidden.sum() == 2


def test_keep_together_wins_over_cooldown():
    """A keep-together pair that sat together last time is not forbidden by the cooldown."""
    data = base_problem()
    data["history"] = [{"date": "2026-11-05", "tables": [["m1", "m2", "m3"], ["m4", "m5", "m6"]]}]
    data["rules"] = {"cooldown": 1, "together": [["m1", "m2"]]}
    p = compiled(data)
    i, j, k = (p.member_ids.index(m) for m in ("m1", "m2", "m3"))
    assert not p.forbidden[i, j]
    assert p.forbidden[i, k] and p.forbidden[j, k]
    assert (min(i, j), max(i, j)) not in p.cooldown_pairs


def test_keep_together_group_can_meet_at_every_dinner_of_a_season():
    """Cooldown 1 over a two-dinner season: the kept-together pair sits together at both.

    Tables of two: the other four members pair up differently at each dinner (K4 has three
    disjoint perfect matchings), so only the together pair repeats.
    """
    data = base_problem(capacities=(2, 2, 2))
    data["dinners"].append({"date": "2027-01-07", "tables": data["dinners"][0]["tables"]})
    data["rules"] = {"cooldown": 1, "together": [["m1", "m2"]], "max_per_company": None}
    result = solve(ProblemInput.from_dict(data), method="auto", num_workers=1, time_limit=30)
    assert result.status.has_plan, result.reason
    for dinner in result.dinners:
        assert any({"m1", "m2"} <= set(t.members) for t in dinner.tables)


def test_cooldown_forbidden_exempts_pairs_inside_one_keep_together_group():
    """The one definition of the cooldown rule: recent pairs are forbidden (both ways) except
    pairs inside one group; a pair split across groups stays forbidden; the input is kept."""
    recent = np.zeros((5, 5), dtype=bool)
    for i, j in [(0, 1), (1, 3), (2, 4), (0, 4)]:
        recent[i, j] = recent[j, i] = True
    before = recent.copy()
    groups = [np.array([0, 1, 2]), np.array([3, 4])]
    blocked, pairs = cooldown_forbidden(recent, groups)
    assert pairs == ((0, 4), (1, 3), (2, 4))
    assert np.array_equal(blocked, blocked.T) and blocked.sum() == 2 * len(pairs)
    assert np.array_equal(recent, before)
    assert cooldown_forbidden(np.zeros((3, 3), dtype=bool), ())[1] == ()
