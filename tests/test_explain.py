"""Explanations on a hand-made dinner: earlier meetings, rules, objective terms; errors; CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from seating.cli import app
from seating.compile.objective import objective
from seating.compile.problem import compile_dinner
from seating.errors import InputError
from seating.explain import describe_policy, explain
from seating.models import Policy, ProblemInput
from seating.read import read_plan
from seating.result import DinnerPlan, Result, Status, TablePlan

MEMBERS = [
    {"id": "a", "name": "Ann", "company": "Acme"},
    {"id": "b", "company": "Acme"},
    {"id": "c", "company": "Beta"},
    {"id": "d", "company": "Gamma"},
    {"id": "e", "company": "Delta"},
    {"id": "f", "company": "Eps"},
]
# Before: a-c twice (last at the previous dinner), a-d, c-d, b-d, d-e, d-f once; b-e, b-f, e-f
# twice.
HISTORY = [
    {"date": "2027-01-01", "tables": [["a", "c", "d"], ["b", "e", "f"]]},
    {"date": "2027-02-01", "tables": [["a", "c"], ["b", "d", "e", "f"]]},
]
TABLES = [{"id": "T1", "capacity": 3, "host": "a"}, {"id": "T2", "capacity": 3}]
SEATING = {"T1": ["a", "c", "d"], "T2": ["b", "e", "f"]}


def problem(policy=None, dinners=None, **rules) -> ProblemInput:
    return ProblemInput.from_dict(
        {
            "members": MEMBERS,
            "history": HISTORY,
            "dinners": dinners or [{"date": "2027-03-01", "tables": TABLES}],
            "policy": policy or {"repeat_weight": -1.0},
            "rules": {"together": [["c", "d"]], "apart": [["a", "e"]], **rules},
        }
    )


def plan(*seatings: dict[str, list[str]], dates=("2027-03-01", "2027-04-01")) -> Result:
    dinners = [
        DinnerPlan(date=date, tables=[TablePlan(id=t, members=m) for t, m in seating.items()])
        for date, seating in zip(dates, seatings, strict=False)
    ]
    return Result(status=Status.FEASIBLE, dinners=dinners)


def table_of(p: ProblemInput, seating: dict[str, list[str]]) -> tuple[object, np.ndarray]:
    dinner = compile_dinner(p, 0)
    where = {m: list(seating).index(t) for t, ms in seating.items() for m in ms}
    return dinner, np.array([where[m] for m in dinner.member_ids])


def test_pairs_meetings_and_terms_by_hand():
    p = problem()
    e = explain(p, plan(SEATING))
    t1, t2 = e.table("T1"), e.table("T2")
    assert t1.members == ["a", "c", "d"] and t1.host == "a" and t1.capacity == 3
    meetings = {(x.a, x.b): (x.meetings, x.last_met, x.weight) for x in t1.pairs}
    assert meetings == {("a", "c"): (2, 0, 2.0), ("a", "d"): (1, 1, 1.0), ("c", "d"): (1, 1, 1.0)}
    assert t1.pairs[0].a == "a" and t1.pairs[0].b == "c"  # most met first
    assert "penalised" in t1.pairs[0].why and "last 1 dinner ago" in t1.pairs[0].why
    assert t1.pair_cost == 4 and t2.pair_cost == 6
    assert t1.repeat_pairs == 3 and t1.new_pairs == 0
    dinner, seated = table_of(p, SEATING)
    assert e.objective == objective(dinner, seated) == 10


def test_new_pairs_are_named_as_such():
    e = explain(problem(), plan({"T1": ["a", "c", "d"], "T2": ["b", "e", "f"]}))
    assert all(x.meetings > 0 for x in e.table("T1").pairs)
    e = explain(
        problem(apart=[]),
        plan({"T1": ["a", "e", "f"], "T2": ["b", "c", "d"]}),
    )
    pairs = {(x.a, x.b): x for x in e.table("T1").pairs}
    assert pairs[("a", "e")].meetings == 0 and pairs[("a", "e")].last_met is None
    assert pairs[("a", "e")].why.startswith("new pair")


def test_fairness_term_adds_up():
    p = problem(policy={"repeat_weight": -1.0, "fairness": 0.5})
    e = explain(p, plan(SEATING))
    # Every attendee met both table mates before: 0.5 * 2 ** 2 each.
    assert e.table("T1").fairness_cost == 6 and e.member("a").fairness_cost == 2
    dinner, seated = table_of(p, SEATING)
    assert e.objective == pytest.approx(objective(dinner, seated)) == 22


def test_deepen_to_k_rewards_below_the_target_and_penalises_past_it():
    e = explain(problem(policy={"repeat_weight": 1.0, "target_meetings": 2}), plan(SEATING))
    pairs = {(x.a, x.b): x for x in e.table("T1").pairs}
    assert pairs[("a", "c")].weight == 1.0 and "at or past the target of 2" in pairs[("a", "c")].why
    assert pairs[("a", "d")].weight == -1.0 and "rewarded" in pairs[("a", "d")].why
    assert "deepen to 2 meetings" in e.policy


def test_rules_of_a_table_and_a_member():
    e = explain(problem(), plan(SEATING))
    rules = " | ".join(e.table("T1").rules)
    assert "host: a hosts table T1" in rules
    assert "keep-together: c, d" in rules
    assert "keep-apart: a and e (at T2)" in rules
    assert "at most 1 per company" in rules
    ann = e.member("a")
    assert ann.name == "Ann" and ann.table == "T1"
    assert [m.b for m in ann.mates] == ["c", "d"]
    member_rules = " | ".join(ann.rules)
    assert "host of table T1" in member_rules
    assert "keep-apart from e (at T2)" in member_rules
    assert "colleagues at Acme sit elsewhere: b" in member_rules
    assert "keep-together with d" in e.member("c").rules
    assert "Ann (a) sits at table T1" in str(ann)
    assert "table T2" in str(e) and "objective" in str(e)


def test_cooldown_is_named():
    e = explain(problem(cooldown=1), plan({"T1": ["a", "d", "f"], "T2": ["b", "c", "e"]}))
    assert any(r.startswith("cooldown 1") for r in e.table("T1").rules)


def test_describe_policy():
    assert "avoid repeats" in describe_policy(Policy(repeat_weight=-1))
    assert "favour repeats" in describe_policy(Policy(repeat_weight=0.5))
    assert "neutral" in describe_policy(Policy(repeat_weight=0))
    assert "half-life of 6" in describe_policy(Policy(repeat_weight=-1, half_life=6))


def test_later_dinners_count_earlier_planned_dinners_as_history():
    dinners = [
        {"date": "2027-03-01", "tables": TABLES},
        {"date": "2027-04-01", "tables": TABLES},
    ]
    p = problem(dinners=dinners)
    second = {"T1": ["a", "d", "c"], "T2": ["e", "f", "b"]}
    e = explain(p, plan(SEATING, second), dinner=1)
    assert e.date.isoformat() == "2027-04-01"
    pairs = {(x.a, x.b): x.meetings for x in e.table("T1").pairs}
    assert pairs[("a", "c")] == 3  # twice in history, once at the first planned dinner
    assert explain(p, plan(SEATING, second), dinner="2027-04-01").objective == e.objective
    assert explain(p, plan(SEATING).dinners[0]).objective == 10


@pytest.mark.parametrize(
    ("seating", "message"),
    [
        ({"T1": ["a", "c", "d"], "T3": ["b", "e", "f"]}, "table 'T3' is not a table"),
        ({"T1": ["a", "c", "d"], "T2": ["b", "e", "a"]}, "'a' is seated twice"),
        ({"T1": ["a", "c", "d"], "T2": ["b", "e"]}, "attendees without a seat: f"),
        (
            {"T1": ["a", "c", "d"], "T2": ["b", "e", "f", "zz"]},
            "'zz' at table 'T2' does not attend",
        ),
    ],
)
def test_plan_that_does_not_fit_the_problem(seating, message):
    with pytest.raises(InputError, match=message):
        explain(problem(), plan(seating))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dinner": 1}, "outside the plan's 1 dinners"),
        ({"dinner": "2030-01-01"}, "no dinner on 2030-01-01"),
        ({"dinner": "soon"}, "expected an index or a YYYY-MM-DD date"),
        ({"dinner": True}, "expected an index or a date"),
    ],
)
def test_bad_dinner_choice(kwargs, message):
    """The library names its own parameter (``dinner:``), never a command-line option."""
    with pytest.raises(InputError, match=message) as info:
        explain(problem(), plan(SEATING), **kwargs)
    assert str(info.value).startswith("dinner: ")


def test_unknown_table_or_member_names_the_parameter():
    e = explain(problem(), plan(SEATING))
    with pytest.raises(InputError, match=r"^table: unknown table id 'T9' \(tables: T1, T2\)$"):
        e.table("T9")
    with pytest.raises(InputError, match=r"^member: 'zz' is not seated at this dinner$"):
        e.member("zz")


def test_other_bad_input():
    with pytest.raises(InputError, match="not dinner 0 of the problem"):
        explain(problem(), plan(SEATING, dates=("2027-05-01",)))
    with pytest.raises(InputError, match="holds no seating"):
        explain(problem(), Result(status=Status.INFEASIBLE, reason="clash"))
    with pytest.raises(InputError, match=r"^plan: "):
        explain(problem(), {"status": "feasible", "dinners": [{"tables": []}]})
    e = explain(problem(), plan(SEATING))
    with pytest.raises(InputError, match="unknown table id 'T9'"):
        e.table("T9")
    with pytest.raises(InputError, match="'zz' is not seated"):
        e.member("zz")


runner = CliRunner()


@pytest.fixture
def files(tmp_path):
    problem_file = tmp_path / "problem.json"
    problem_file.write_text(problem().model_dump_json())
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(plan(SEATING).to_json())
    return str(problem_file), str(plan_file), tmp_path


def test_read_plan(files):
    _, plan_file, tmp_path = files
    assert read_plan(plan_file).dinners[0].tables[0].members == ["a", "c", "d"]
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(InputError, match="malformed JSON"):
        read_plan(bad)
    with pytest.raises(InputError, match="cannot read"):
        read_plan(tmp_path / "missing.json")


def test_cli_explain(files):
    problem_file, plan_file, _ = files
    result = runner.invoke(app, ["explain", problem_file, plan_file])
    assert result.exit_code == 0, result.output
    assert "table T1" in result.stdout and "table T2" in result.stdout
    result = runner.invoke(app, ["explain", problem_file, plan_file, "--table", "T2"])
    assert result.exit_code == 0 and "table T2" in result.stdout and "table T1" not in result.stdout
    result = runner.invoke(app, ["explain", problem_file, plan_file, "--member", "a"])
    assert result.exit_code == 0 and "Ann (a) sits at table T1" in result.stdout
    assert "colleagues at Acme" in result.stdout
    result = runner.invoke(app, ["explain", problem_file, plan_file, "--dinner", "2027-03-01"])
    assert result.exit_code == 0


def test_cli_explain_json(files):
    problem_file, plan_file, _ = files
    result = runner.invoke(app, ["explain", problem_file, plan_file, "--json", "--table", "T1"])
    data = json.loads(result.stdout)
    assert [t["table"] for t in data["tables"]] == ["T1"]
    assert data["tables"][0]["pair_cost"] == 4
    result = runner.invoke(app, ["explain", problem_file, plan_file, "--json", "--member", "c"])
    assert json.loads(result.stdout)["member"]["table"] == "T1"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--table", "T1", "--member", "a"], "not both"),
        (["--table", "T9"], "--table: unknown table id 'T9'"),
        (["--member", "zz"], "--member: 'zz' is not seated"),
        (["--dinner", "3"], "--dinner: index 3 is outside the plan's 1 dinners"),
    ],
)
def test_cli_explain_bad_input_exits_2_with_one_line(files, extra, message):
    problem_file, plan_file, _ = files
    result = runner.invoke(app, ["explain", problem_file, plan_file, *extra])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_cli_explain_bad_files(files):
    problem_file, plan_file, tmp_path = files
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    for args in ([problem_file, str(bad)], [str(bad), plan_file], [problem_file, problem_file]):
        result = runner.invoke(app, ["explain", *args])
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1


def test_cli_explain_prints_ids_that_look_like_markup(tmp_path):
    """Ids such as '[/]' or '[red]x' print as typed: no lost text, no MarkupError traceback."""
    data = {
        "members": [{"id": "[/]"}, {"id": "[red]x"}],
        "dinners": [{"date": "2026-03-01", "tables": [{"id": "[b]", "capacity": 2}]}],
    }
    problem_file = tmp_path / "p.json"
    problem_file.write_text(json.dumps(data), encoding="utf-8")
    plan = {
        "status": "optimal",
        "dinners": [
            {"date": "2026-03-01", "tables": [{"id": "[b]", "members": ["[/]", "[red]x"]}]}
        ],
    }
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    for extra in ([], ["--member", "[/]"], ["--table", "[b]"]):
        result = runner.invoke(app, ["explain", str(problem_file), str(plan_file), *extra])
        assert result.exit_code == 0, result.output
        assert "[red]x" in result.output and "[b]" in result.output
