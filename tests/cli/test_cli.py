"""The `seating` command line: exit codes, one-line errors, JSON on stdout, schema, demo.

Most cases run in-process with typer's CliRunner; a few run the installed console script in a
real subprocess, to prove there is no traceback and that stdout holds the JSON document alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bad_inputs import BAD_INPUTS, HUGE_LIMITS, BadInput
from helpers import DATA, load
from seating.cli import app
from seating.errors import InputError

CONTRACT_KEYS = {"status", "objective", "bound", "runtime_s", "dinners", "metrics"}
# One worker keeps runs deterministic; every plan call also passes it because the default
# currently fails (see test_plan_without_workers_option).
QUICK = ["--workers", "1", "--time-limit", "30"]


def _script() -> list[str]:
    script = Path(sys.executable).with_name("seating")
    return [str(script)] if script.exists() else [sys.executable, "-m", "seating.cli"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed `seating` command in a subprocess."""
    return subprocess.run(
        [*_script(), *args], capture_output=True, text=True, timeout=300, check=False
    )


def invoke(*args: str):
    """Run the CLI in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_one_line_error(stderr: str, *words: str) -> None:
    """stderr is exactly one line `error: ...` holding every word, and no traceback."""
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got {stderr!r}"
    assert lines[0].startswith("error: ")
    for word in words:
        assert word in lines[0], f"{word!r} missing from {lines[0]!r}"


def assert_plan_contract(doc: dict, num_dinners: int = 1) -> None:
    """The plan document of DESIGN.md: status, numbers, dinners[].tables[].{id, members}."""
    assert set(doc) >= CONTRACT_KEYS
    assert doc["status"] in ("optimal", "feasible")
    assert isinstance(doc["objective"], float | int)
    assert isinstance(doc["runtime_s"], float | int) and doc["runtime_s"] >= 0
    assert len(doc["dinners"]) == num_dinners
    for dinner in doc["dinners"]:
        assert set(dinner) >= {"date", "tables"}
        for table in dinner["tables"]:
            assert set(table) >= {"id", "members"}
            assert isinstance(table["id"], str) and isinstance(table["members"], list)
    for key in ("repeat_pairs", "new_pairs", "max_meetings"):
        assert isinstance(doc["metrics"][key], int)


# --- bad input: exit code 2 and one line --------------------------------------------------------


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.name)
def test_bad_input_exits_2_with_one_line(case: BadInput, write_problem):
    """Every bad input of issue 2: exit code 2, one `error:` line naming it, nothing on stdout."""
    result = invoke("plan", write_problem(case.text), *QUICK)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert_one_line_error(result.stderr, *case.expect)


@pytest.mark.parametrize("case", HUGE_LIMITS, ids=lambda c: c.name)
def test_huge_limits_are_planned_by_the_cli(case: BadInput, write_problem):
    """Absurdly large limits are no limits: the CLI plans the problem and exits 0."""
    result = invoke("plan", write_problem(case.text), *QUICK, "--method", "auto", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["status"] in ("optimal", "feasible")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("malformed.json", ["malformed JSON"]),
        ("nan_repeat_weight.json", ["policy.repeat_weight"]),
        ("unknown_attendee.json", ["'ghost'"]),
    ],
)
def test_bad_input_in_a_real_process(name, words):
    """The installed command exits 2 with one line and no traceback on the named bad files."""
    proc = run("plan", str(DATA / name), *QUICK)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert_one_line_error(proc.stderr, *words)


def test_missing_file_in_a_real_process(tmp_path):
    """A missing problem file is bad input: exit 2, one line naming the path."""
    proc = run("plan", str(tmp_path / "nope.json"), *QUICK, "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert_one_line_error(proc.stderr, "nope.json")


def test_unknown_field_file():
    """The named file with a misspelt policy field exits 2 naming the field."""
    result = invoke("plan", DATA / "unknown_field.json", *QUICK)
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "policy.repeat_wieght")


def test_negative_seed_from_the_command_line():
    """--seed -1 either plans (exit 0) or is bad input (exit 2); it never crashes."""
    result = invoke("plan", DATA / "minimal.json", *QUICK, "--seed", "-1")
    assert result.exit_code in (0, 2), repr(result.exception)


def test_file_that_is_not_text(write_problem):
    """Binary garbage is malformed JSON, exit 2."""
    result = invoke("plan", write_problem(b"\x89PNG\r\n\x1a\n\x00\x00"), *QUICK)
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "malformed JSON")


def test_unknown_method_is_a_usage_error():
    """--method outside auto|cpsat|local is rejected by the command line itself (exit 2)."""
    result = invoke("plan", DATA / "minimal.json", *QUICK, "--method", "magic")
    assert result.exit_code == 2


def test_plan_without_workers_option():
    """`seating plan FILE` with no options plans the dinner (DESIGN.md's CLI shape)."""
    result = invoke("plan", DATA / "minimal.json")
    assert result.exit_code == 0, result.output


def test_error_naming_an_id_with_brackets_does_not_crash(write_problem):
    """An unknown id that looks like rich markup is still reported: exit 2, id named verbatim."""
    data = load("minimal.json")
    data["dinners"][0]["attendees"] = ["m1", "b[/x]"]
    result = invoke("plan", write_problem(data), *QUICK)
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "'b[/x]'")


def test_error_names_an_id_with_a_markup_like_tag(write_problem):
    """An id containing '[red]' appears in the error exactly as spelled."""
    data = load("minimal.json")
    data["dinners"][0]["attendees"] = ["m1", "sales [red]"]
    result = invoke("plan", write_problem(data), *QUICK)
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "'sales [red]'")


def test_names_with_brackets_print(write_problem):
    """Member names and companies are printed verbatim, whatever brackets they hold."""
    data = load("minimal.json")
    data["members"][0]["name"] = "Ann [/x]"
    data["members"][1]["company"] = "[bold]Acme"
    result = invoke("plan", write_problem(data), *QUICK)
    assert result.exit_code == 0
    assert "Ann [/x]" in result.stdout and "[bold]Acme" in result.stdout


# --- usage errors: the command line's own checks, one line too ---------------------------------

MINIMAL = str(DATA / "minimal.json")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(["plan", MINIMAL, "--seed", "-1"], ["invalid value for '--seed'"], id="seed"),
        pytest.param(["plan", MINIMAL, "--method", "magic"], ["'--method'", "magic"], id="method"),
        pytest.param(["plan", MINIMAL, "--bogus"], ["no such option", "--bogus"], id="option"),
        pytest.param(["plan"], ["missing argument", "problem_file"], id="plan-argument"),
        pytest.param(["nosuchcommand"], ["no such command", "nosuchcommand"], id="command"),
        pytest.param(["club", "plan", "--nope"], ["no such option", "--nope"], id="club-plan"),
        pytest.param(["club", "--bogus"], ["no such option", "--bogus"], id="club"),
        pytest.param(["explain", MINIMAL], ["missing argument", "plan_file"], id="explain"),
        pytest.param(
            ["simulate", MINIMAL, "--dinners", "many"],
            ["invalid value for '--dinners'"],
            id="simulate",
        ),
        pytest.param(["golf", "3", "3", "x"], ["invalid value for 'w'"], id="golf"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args, words):
    """Unknown options and commands, bad option values and missing arguments, in every
    command: exit 2, one `error:` line naming the offending option, not typer's boxed panel."""
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert_one_line_error(result.stderr, *words)


def test_usage_error_in_a_real_process():
    """The installed command prints the same single line (no panel, no traceback)."""
    proc = run("plan", MINIMAL, "--seed", "-1")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert_one_line_error(proc.stderr, "invalid value for '--seed'")


def test_bare_command_group_still_shows_its_help():
    """`seating club` with no sub-command is not an error line: it prints the group's help."""
    result = invoke("club")
    assert "Usage" in result.output and "import" in result.output


# --- plans ------------------------------------------------------------------------------------


def test_plan_json_in_a_real_process_is_the_contract(tmp_path):
    """`plan --json`: stdout is one JSON document (the plan contract); --out writes the same."""
    out = tmp_path / "plan.json"
    proc = run("plan", str(DATA / "small_club.json"), *QUICK, "--json", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert_plan_contract(doc)
    assert doc["status"] == "optimal" and doc["bound"] == pytest.approx(doc["objective"])
    seated = sorted(m for t in doc["dinners"][0]["tables"] for m in t["members"])
    assert seated == [f"m{k}" for k in range(1, 8)]
    assert [t["id"] for t in doc["dinners"][0]["tables"]] == ["T1", "T2"]
    assert "m1" in doc["dinners"][0]["tables"][0]["members"], "host at their table"
    assert json.loads(out.read_text("utf-8")) == doc


def test_out_file_without_json_flag(tmp_path):
    """--out alone writes the plan JSON and still prints the human view."""
    out = tmp_path / "plan.json"
    result = invoke("plan", DATA / "small_club.json", *QUICK, "--out", out)
    assert result.exit_code == 0
    assert "T1" in result.stdout and "T2" in result.stdout
    assert_plan_contract(json.loads(out.read_text("utf-8")))


def test_out_file_in_a_missing_directory_is_bad_input(tmp_path):
    """An --out path that cannot be written: exit 2 with one line naming it."""
    result = invoke("plan", DATA / "minimal.json", *QUICK, "--out", tmp_path / "no" / "p.json")
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "--out")


@pytest.mark.parametrize("method", ["auto", "cpsat", "local", "exact"])
def test_each_method_from_the_command_line(method):
    """--method auto|cpsat|local|exact all plan the small club; --json output parses."""
    result = invoke("plan", DATA / "small_club.json", *QUICK, "--method", method, "--json")
    assert result.exit_code == 0, result.stderr
    assert_plan_contract(json.loads(result.stdout))


def test_exact_proves_the_small_club_optimal_from_the_command_line():
    """--method exact: status optimal, the bound equals the objective."""
    result = invoke("plan", DATA / "small_club.json", "--method", "exact", "--json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["status"] == "optimal"
    assert plan["bound"] == pytest.approx(plan["objective"])
    assert plan["method"] == "local+colgen"


def test_human_output_names_tables_and_status():
    """Without --json the plan is printed as tables with the summary line."""
    result = invoke("plan", DATA / "small_club.json", *QUICK)
    assert result.exit_code == 0
    for word in ("T1", "T2", "An Peeters", "status", "objective"):
        assert word in result.stdout


def test_same_seed_same_plan_from_the_command_line():
    """Same --seed with one worker: the same plan twice."""
    args = ("plan", DATA / "small_club.json", *QUICK, "--seed", "3", "--json")
    first, second = json.loads(invoke(*args).stdout), json.loads(invoke(*args).stdout)
    assert first["dinners"] == second["dinners"]


def test_season_from_the_command_line():
    """Several dinners in one file: one plan per dinner, cooldown held between them."""
    result = invoke("plan", DATA / "season_cooldown.json", *QUICK, "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert_plan_contract(doc, num_dinners=3)
    assert doc["status"] == "optimal" and doc["bound"] == doc["objective"] == 0

    def pairs(dinner):
        return {frozenset(t["members"]) for t in dinner["tables"] if len(t["members"]) == 2}

    for before, after in zip(doc["dinners"], doc["dinners"][1:], strict=False):
        assert not pairs(before) & pairs(after)


# --- infeasible: exit code 1 ----------------------------------------------------------------


def test_infeasible_in_a_real_process():
    """No plan: exit 1 with the clashing rules on stderr; nothing on stdout without --json."""
    proc = run("plan", str(DATA / "infeasible_two_hosts_together.json"), *QUICK)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert_one_line_error(proc.stderr, "infeasible", "host 'h1'", "host 'h2'", "keep together")


def test_infeasible_with_json_still_prints_a_document():
    """No plan with --json: exit 1, stdout a JSON document with status and reason."""
    proc = run("plan", str(DATA / "infeasible_two_hosts_together.json"), *QUICK, "--json")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["status"] == "infeasible"
    assert doc["dinners"] == [] and doc["objective"] is None
    assert "keep together" in doc["reason"]
    assert "keep together" in proc.stderr


# --- schema and demo --------------------------------------------------------------------------


def test_schema_prints_the_problem_json_schema():
    """`seating schema` prints a JSON Schema of the problem contract on stdout."""
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["type"] == "object"
    assert {"members", "dinners", "history", "policy", "rules"} <= set(schema["properties"])
    assert "Member" in schema["$defs"] and "Table" in schema["$defs"]


def test_demo_runs():
    """`seating demo` plans the sample club and compares with a random seating (exit 0)."""
    result = invoke("demo", "--time-limit", "1", "--seed", "0")
    assert result.exit_code == 0, result.output
    assert "Sample club" in result.stdout
    assert "random seating" in result.stdout and "this plan" in result.stdout


def test_no_arguments_shows_help():
    """`seating` with no command prints help rather than failing silently."""
    result = invoke()
    assert "plan" in result.output and "demo" in result.output and "schema" in result.output


def test_help_lists_every_command_in_order():
    """The commands imported on use (explain, simulate, golf, club, serve) are listed like the rest,
    in the order they always had."""
    result = invoke("--help")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│ ")]
    listed = [row.split()[1] for row in rows if row[2:3].isalpha() and "--" not in row]
    assert listed == ["plan", "demo", "schema", "explain", "simulate", "golf", "club", "serve"]


def _help_text(*command: str) -> str:
    """The help of ``command`` as one line of words (rich draws it in boxes: wide enough
    that no option's help wraps)."""
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.replace("│", " ").split())


@pytest.mark.parametrize(
    "command",
    [("plan",), ("demo",), ("golf",), ("club", "plan"), ("club", "plan-season"),
     ("club", "pin"), ("club", "swap"), ("club", "reseat")],
)  # fmt: skip
def test_every_time_limit_is_for_the_whole_command(command):
    assert "Seconds for the whole command" in _help_text(*command)


def test_simulate_says_its_time_limit_is_per_planned_dinner():
    assert "per planned dinner" in _help_text("simulate")


# What main() does, without its final os._exit (which would end the process before the check).
_IMPORTS_OF_PLAN = """
import json, sys
from seating.cli import app, interrupt
from seating.cli.console import count_start_up
interrupt.install()
count_start_up()
sys.argv = ["seating", "plan", sys.argv[1], "--json", "--method", "local", "--time-limit", "1"]
try:
    app()
except SystemExit:
    pass
heavy = ["ortools", "pandas", "seating.solvers.cpsat", "seating.cli.club", "seating.season"]
print(json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr)
"""


def test_plan_with_the_local_search_imports_no_heavy_module(tmp_path):
    """`seating plan` on a dinner the local search plans alone imports neither OR-Tools (nor
    pandas through it) nor the other commands' modules: they cost a third of its start-up."""
    data = load("small_club.json")
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORTS_OF_PLAN, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["status"] in ("feasible", "optimal")
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []


def test_the_seating_program_charges_its_start_up_to_the_budget(monkeypatch):
    """In the ``seating`` program (its entry point counts the start-up) a --time-limit ends
    that many seconds after the process started; in-process the command starts the clock."""
    from seating.cli import console

    monkeypatch.setattr(console, "_process_age", lambda: 3.0)
    assert console.command_budget(5.0).seconds == 5.0
    monkeypatch.setattr(console, "_COUNT_START_UP", True)
    assert console.command_budget(5.0).seconds == 2.0
    assert console.command_budget(2.0).seconds == 0.0
    with pytest.raises(InputError, match="--time-limit"):
        console.command_budget(float("inf"))


def test_a_time_limit_that_is_no_number_of_seconds_is_one_line():
    result = invoke("plan", DATA / "minimal.json", "--time-limit", "inf")
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, "--time-limit", "inf")
