"""`seating golf G S W`: plans, writes files, refuses bad input with one line (exit 2)."""

import json

import pytest
from typer.testing import CliRunner

from seating.cli import app
from seating.read import read_problem
from seating.result import Result

runner = CliRunner()


def test_golf_plans_and_writes(tmp_path):
    problem_file, plan_file = tmp_path / "p.json", tmp_path / "plan.json"
    result = runner.invoke(
        app,
        ["golf", "4", "4", "5", "--json", "--time-limit", "5", "--seed", "1",
         "--write-problem", str(problem_file), "--out", str(plan_file)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = Result.from_json(result.stdout)
    assert plan.metrics.repeat_pairs == 0 and len(plan.dinners) == 5
    assert Result.from_json(plan_file.read_text()) == plan
    problem = read_problem(problem_file)
    assert len(problem.members) == 16 and len(problem.dinners) == 5


def test_golf_adjacent_and_text_output():
    result = runner.invoke(app, ["golf", "3", "3", "2", "--adjacent", "--time-limit", "1"])
    assert result.exit_code == 0, result.output
    assert "repeats" in result.stdout and "T1" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["3", "1", "2"], "at least 2"),
        (["0", "3", "2"], "at least 1 table"),
        (["3", "3", "0"], "at least 1 dinner"),
        (["100000", "100", "10"], "too large to plan in memory"),
        (["3", "3", "2", "--players", "20"], "do not fill"),
        (["3", "3", "2", "--time-limit", "0"], "time-limit"),
        # Its setup alone took 9 to 16 s whatever the limit (issue 11).
        (["100", "10", "20", "--time-limit", "1"], "too large for a time limit of 1 s"),
        # The compiled search keeps its random state in 64 bits (numba: TypingError).
        (["11", "5", "10", "--seed", str(2**64)], "--seed"),
    ],
)
def test_golf_bad_input_is_one_line_exit_2(args, message):
    result = runner.invoke(app, ["golf", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_golf_problem_file_round_trips(tmp_path):
    problem_file = tmp_path / "p.json"
    result = runner.invoke(
        app, ["golf", "2", "2", "3", "--write-problem", str(problem_file), "--json"]
    )
    assert result.exit_code == 0
    data = json.loads(problem_file.read_text())
    assert data["dinners"][0]["tables"][0]["capacity"] == 2
