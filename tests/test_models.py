"""Input models: the JSON contract is parsed, defaulted and validated field by field."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bad_inputs import BAD_INPUTS, HUGE_LIMITS, BadInput
from helpers import DATA, base_problem, load
from seating import InputError, solve
from seating.models import Member, Policy, ProblemInput, Rules, Table
from seating.read import problem_json_schema, read_problem


def _assert_one_line(exc: InputError, expect: tuple[str, ...]) -> None:
    message = str(exc)
    assert message, "an input error needs a message"
    assert "\n" not in message and "\r" not in message, f"not one line: {message!r}"
    for word in expect:
        assert word in message, f"{word!r} missing from {message!r}"


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.name)
def test_bad_input_raises_one_line_input_error(case: BadInput):
    """Every bad input of issue 2 is an InputError, before any solving, naming the id/field."""
    with pytest.raises(InputError) as info:
        solve(ProblemInput.from_json(case.text), method="cpsat", num_workers=1, time_limit=30)
    _assert_one_line(info.value, case.expect)


@pytest.mark.parametrize("case", HUGE_LIMITS, ids=lambda c: c.name)
def test_huge_limits_plan_like_no_limit(case: BadInput):
    """A capacity, company limit or cooldown beyond int64 is accepted and planned feasibly."""
    result = solve(ProblemInput.from_json(case.text), method="auto", num_workers=1, time_limit=30)
    assert result.status.has_plan


def test_input_error_is_a_value_error():
    """InputError is a ValueError subclass, as DESIGN.md asks of every library error."""
    assert issubclass(InputError, ValueError)


def test_missing_file_names_the_path(tmp_path):
    """A file that does not exist is an InputError naming the path, not an OSError."""
    missing = tmp_path / "nope.json"
    with pytest.raises(InputError) as info:
        read_problem(missing)
    _assert_one_line(info.value, ("cannot read", "nope.json"))


def test_directory_instead_of_file(tmp_path):
    """Reading a directory is an InputError too."""
    with pytest.raises(InputError) as info:
        read_problem(tmp_path)
    _assert_one_line(info.value, ("cannot read",))


def test_bytes_that_are_not_utf8():
    """Bytes that are no text at all are reported as malformed JSON."""
    with pytest.raises(InputError) as info:
        ProblemInput.from_json(b'{"members": "\x80\x81"}')
    _assert_one_line(info.value, ("malformed JSON",))


def test_plain_python_nan_rejected():
    """NaN and infinity are rejected from Python data as well as from JSON text."""
    data = base_problem()
    for value in (float("nan"), float("inf"), float("-inf")):
        data["policy"] = {"repeat_weight": value}
        with pytest.raises(InputError, match=r"policy\.repeat_weight"):
            ProblemInput.from_dict(data)
    with pytest.raises(Exception, match="finite"):
        Policy(fairness=float("inf"))


def test_many_errors_reported_as_one_line_with_a_count():
    """Several field errors give one line: the first, and how many more there are."""
    data = base_problem()
    data["policy"] = {"repeat_weight": 3, "fairness": -1}
    with pytest.raises(InputError) as info:
        ProblemInput.from_dict(data)
    _assert_one_line(info.value, ("policy.repeat_weight", "and 1 more error"))


def test_minimal_problem_gets_the_documented_defaults():
    """members + dinners is a whole problem; policy and rules take DESIGN.md's defaults."""
    problem = read_problem(DATA / "minimal.json")
    assert problem.policy == Policy(repeat_weight=-1.0, half_life=None, target_meetings=None)
    assert problem.policy.fairness == 0.0
    assert problem.rules.max_per_company == 1
    assert problem.rules.max_per_industry is None
    assert problem.rules.cooldown is None
    assert problem.rules.together == [] and problem.rules.apart == []
    assert problem.history == []
    assert problem.dinners[0].attendees is None
    assert problem.dinners[0].date == dt.date(2026, 12, 3)


def test_full_contract_example_parses():
    """The full DESIGN.md-shaped example (every field used) parses field for field."""
    problem = read_problem(DATA / "small_club.json")
    first = problem.members[0]
    assert (first.id, first.name, first.company, first.industry) == (
        "m1",
        "An Peeters",
        "Acme",
        "Legal",
    )
    assert first.languages == ["nl", "en"]
    assert problem.history[1].tables[0] == ["m1", "m2", "m5"]
    assert problem.dinners[0].tables[0] == Table(id="T1", capacity=4, host="m1")
    assert problem.rules.together == [["m2", "m7"]]
    assert problem.rules.apart == [("m4", "m5")]


@pytest.mark.parametrize("weight", [-1.0, -0.25, 0.0, 0.25, 1.0])
def test_repeat_weight_accepts_the_closed_interval(weight):
    """repeat_weight is valid on all of [-1, 1], ends included."""
    assert Policy(repeat_weight=weight).repeat_weight == weight


def test_ids_are_stripped_and_display_name_falls_back_to_id():
    """Surrounding spaces are not part of an id; a member without name shows its id."""
    member = Member(id="  m9 ")
    assert member.id == "m9"
    assert member.display_name == "m9"
    assert Member(id="m9", name="Nina").display_name == "Nina"


def test_models_are_frozen():
    """Validated input cannot be changed behind the compiled problem's back."""
    rules = Rules()
    with pytest.raises(Exception, match="frozen"):
        rules.cooldown = 3  # type: ignore[misc]


def test_round_trip_through_json():
    """A problem dumped to JSON reads back equal."""
    problem = ProblemInput.from_dict(load("small_club.json"))
    again = ProblemInput.from_json(problem.model_dump_json())
    assert again == problem


def test_json_schema_describes_the_contract():
    """The exported schema names every top-level field and forbids unknown ones."""
    schema = problem_json_schema()
    json.dumps(schema)  # plain JSON data
    assert set(schema["properties"]) == {"members", "history", "dinners", "policy", "rules"}
    assert set(schema["required"]) == {"members", "dinners"}
    assert schema.get("additionalProperties") is False
    policy = schema["$defs"]["Policy"]["properties"]["repeat_weight"]
    assert policy["minimum"] == -1 and policy["maximum"] == 1


def test_json_schema_accepts_the_example_and_rejects_bad_input():
    """Club software validating with the schema agrees with the library on simple cases."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = problem_json_schema()
    jsonschema.validate(load("small_club.json"), schema)
    bad = base_problem()
    bad["dinners"][0]["tables"][0]["capacity"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
