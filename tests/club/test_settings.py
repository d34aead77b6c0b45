"""The club's settings through the workflow: typed numbers, merged changes, and bad values
refused in one line with nothing saved."""

from __future__ import annotations

import pytest

from club_helpers import dump
from seating.club.records import ClubMember
from seating.club.store import ClubStore, StoreError
from seating.club.workflow import FieldError, change_settings, optional_number, parse_settings
from seating.errors import InputError
from seating.models import Policy, Rules


@pytest.fixture
def store(tmp_path):
    with ClubStore(tmp_path / "club.db", create=True) as store:
        store.import_members([ClubMember(id=f"m{k}") for k in range(1, 6)])
        yield store


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [("3", int, 3), ("2.5", float, 2.5), ("none", int, None), (" Off ", float, None),
     ("", int, None)],
)  # fmt: skip
def test_optional_numbers_read_none_words_as_no_value(text, kind, value):
    assert optional_number(text, "cooldown", kind) == value


@pytest.mark.parametrize(
    ("text", "problem"),
    [("often", "expected a number or 'none' (got 'often')"),
     ("2.5", "expected a number or 'none' (got '2.5')"),
     ("10000000000000", "10000000000000 is too large (at most 1000000)")],
)  # fmt: skip
def test_a_bad_number_names_its_field(text, problem):
    with pytest.raises(FieldError) as caught:
        optional_number(text, "max_per_company", int)
    assert (caught.value.field, caught.value.problem) == ("max_per_company", problem)
    assert str(caught.value) == f"max_per_company: {problem}"


def test_changes_merge_with_the_stored_settings(store):
    change_settings(store, name="Rotary", policy={"repeat_weight": 0.5}, rules={"cooldown": 2})
    policy, rules = change_settings(
        store, policy={"target_meetings": 5}, together=[["m1", "m2"]], apart=[["m3", "m4"]]
    )
    assert policy == Policy(repeat_weight=0.5, target_meetings=5)
    assert rules == Rules(cooldown=2, together=[["m1", "m2"]], apart=[("m3", "m4")])
    assert (store.policy(), store.rules(), store.club_name()) == (policy, rules, "Rotary")
    _, rules = change_settings(store, apart=[["m1", "m5"]], clear_together=True)
    assert rules.together == [] and rules.apart == [("m3", "m4"), ("m1", "m5")]
    _, rules = change_settings(store, rules={"cooldown": None}, clear_apart=True)
    assert rules == Rules()


def test_switching_the_newcomer_rule_off_switches_its_cap_off(store):
    """`--newcomer-dinners off` with a cap stored (or the web form sending the stored cap
    back unchanged) switches both off, instead of refusing an option nobody typed; a new cap
    with the rule off is still refused."""
    change_settings(store, rules={"newcomer_dinners": 2, "max_newcomers_per_table": 1})
    _, rules = change_settings(store, rules={"newcomer_dinners": None})
    assert (rules.newcomer_dinners, rules.max_newcomers_per_table) == (None, None)
    change_settings(store, rules={"newcomer_dinners": 2, "max_newcomers_per_table": 1})
    _, rules = change_settings(
        store, rules={"newcomer_dinners": None, "max_newcomers_per_table": 1}
    )
    assert rules.max_newcomers_per_table is None
    change_settings(store, rules={"newcomer_dinners": 2, "max_newcomers_per_table": 1})
    with pytest.raises(FieldError, match="needs the newcomer rule"):
        change_settings(store, rules={"newcomer_dinners": None, "max_newcomers_per_table": 2})
    assert store.rules().max_newcomers_per_table == 1


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [({"policy": {"repeat_weight": 5}}, InputError, "repeat_weight"),
     ({"rules": {"cooldown": -1}}, InputError, "cooldown"),
     ({"apart": [["m1", "zz"]]}, StoreError, "rules: unknown member id 'zz'"),
     ({"together": [["m1", "zz"]], "name": "Renamed"}, StoreError, "unknown member id 'zz'")],
)  # fmt: skip
def test_a_refused_change_saves_nothing(store, changes, error, words):
    change_settings(store, name="Rotary", rules={"cooldown": 1})
    before = dump(store.path)
    with pytest.raises(error, match=words):
        change_settings(store, **changes)
    assert dump(store.path) == before


def test_parse_settings_validates_plain_data():
    assert parse_settings() == (None, None)
    assert parse_settings({"repeat_weight": 1}, {"cooldown": 3}) == (
        Policy(repeat_weight=1),
        Rules(cooldown=3),
    )
    with pytest.raises(InputError, match="max_per_company"):
        parse_settings(rules={"max_per_company": 0})
