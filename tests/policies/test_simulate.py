"""Simulated seasons: invariants of every dinner, same attendance across policies, determinism
across processes, members joining and leaving, the metrics table, errors, and the CLI."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
from typer.testing import CliRunner

from seating.cli import app
from seating.compile.objective import violations
from seating.compile.problem import compile_dinner
from seating.errors import InputError
from seating.explain import explain
from seating.policies.presets import get_preset
from seating.policies.season_metrics import METRIC_COLUMNS
from seating.policies.simulate import Club, season_calendar, simulate
from seating.policies.synthetic import synthetic_club
from seating.solvers.local.search import LocalSearchSettings

FAST = LocalSearchSettings(time_limit=1e9, max_cycles=1, patience=1, iterations_per_unit=100)
PRESETS = ["rotate", "deepen", "deepen-to-k", "circles", "random"]


@pytest.fixture(scope="module")
def club():
    return synthetic_club(num_members=24, num_history=3, table_sizes=(6,), num_hosts=1, seed=2)


@pytest.fixture(scope="module")
def season(club):
    return simulate(
        club, PRESETS, dinners=5, seeds=2, join_rate=0.5, leave_rate=0.05,
        search=FAST, processes=1, progress=False,
    )  # fmt: skip


def table_of(run, k):
    dinner = compile_dinner(run.problem(k), 0)
    seat = {m: t for t, table in enumerate(run.plans[k].tables) for m in table.members}
    return dinner, np.array([seat[m] for m in dinner.member_ids])


def test_every_dinner_seats_each_attendee_once_and_holds_the_rules(season):
    for run in season.runs:
        assert len(run.plans) == 5
        for k, plan in enumerate(run.plans):
            seated = Counter(m for t in plan.tables for m in t.members)
            assert sorted(seated) == sorted(run.calendar.attendees[k])
            assert set(seated.values()) == {1}
            dinner, plan_of = table_of(run, k)
            sizes = np.bincount(plan_of, minlength=dinner.num_tables)
            assert (sizes <= dinner.capacity).all()
            hosts = np.nonzero(dinner.host_table >= 0)[0]
            assert (plan_of[hosts] == dinner.host_table[hosts]).all()
            if run.preset.uses_solver:  # random is the club without software: no rules
                assert violations(dinner, plan_of) == []


def test_circles_sit_together(season):
    run = season.run("circles")
    assert any(run.groups)
    for k, groups in enumerate(run.groups):
        where = {m: t.id for t in run.plans[k].tables for m in t.members}
        for group in groups:
            assert len({where[m] for m in group}) == 1


def test_policies_share_attendance(season):
    for seed in (0, 1):
        calendars = [season.run(p, seed).calendar for p in season.policies]
        assert all(c.attendees == calendars[0].attendees for c in calendars)
        assert all(c.joined == calendars[0].joined for c in calendars)


def test_members_join_and_leave(season, club):
    run = season.run("rotate", 1)
    calendar = run.calendar
    assert calendar.joined and calendar.left
    for member, when in calendar.left.items():
        assert all(member not in calendar.attendees[k] for k in range(when, 5))
    for member, when in calendar.joined.items():
        assert all(member not in calendar.attendees[k] for k in range(when))
        assert member.startswith("new")
    assert run.metrics["newcomers"] == len(calendar.joined)
    assert run.metrics["members"] == len(club.members) + len(calendar.joined)


def test_metrics_table_and_summary(season):
    metrics = season.metrics
    assert list(metrics.columns) == ["policy", "seed", *METRIC_COLUMNS]
    assert len(metrics) == 10
    assert list(season.summary().index) == ["rotate", "deepen", "deepen-to-5", "circles", "random"]
    assert (metrics["pair_coverage"] <= 1).all() and (metrics["plan_seconds"] >= 0).all()
    over = season.over_time
    assert len(over) == 10 * 5
    last = over[over["dinner"] == 5].set_index(["policy", "seed"])["pair_coverage"]
    assert np.allclose(last.to_numpy(), metrics.set_index(["policy", "seed"])["pair_coverage"])
    assert season.history == season.runs[0].dinners
    members = season.member_table()
    assert {"policy", "seed", "member", "contacts", "new_contacts"} <= set(members.columns)
    with pytest.raises(InputError, match="no season"):
        season.run("rotate", seed=9)


def test_solver_presets_follow_their_policy(season):
    # Favouring repeats builds more repeated meetings than avoiding them, on the same attendance.
    summary = season.summary()
    assert summary.loc["deepen", "repeat_load"] > summary.loc["rotate", "repeat_load"]
    assert summary.loc["rotate", "pair_coverage"] >= summary.loc["deepen", "pair_coverage"]


def test_same_seed_same_season_in_any_number_of_processes(club):
    kwargs = dict(dinners=3, seeds=[4, 5], search=FAST, progress=False)
    one = simulate(club, ["rotate", "circles"], processes=1, **kwargs)
    two = simulate(club, ["rotate", "circles"], processes=2, **kwargs)
    assert [r.plans for r in one.runs] == [r.plans for r in two.runs]
    assert one.metrics.drop(columns="plan_seconds").equals(two.metrics.drop(columns="plan_seconds"))


def test_progress_bar_runs(club):
    result = simulate(club, "random", dinners=2, seeds=2, processes=2, progress=True)
    assert len(result.runs) == 2


def test_attendance_probabilities(club):
    ids = [m.id for m in club.members]
    rates = {ids[0]: 0.0, ids[1]: 1.0}
    calendar = season_calendar(Club.from_problem(club), 6, 0, {**dict.fromkeys(ids, 0.5), **rates})
    assert all(ids[0] not in a and ids[1] in a for a in calendar.attendees)
    result = simulate(club, "random", dinners=3, attendance=rates, progress=False)
    assert all(ids[0] not in a for a in result.runs[0].calendar.attendees)
    nobody = simulate(club, "rotate", dinners=2, attendance=0.0, progress=False)
    assert all(not p.tables for p in nobody.runs[0].plans)
    assert nobody.metrics.loc[0, "pair_coverage"] == 0


def test_history_switch(club):
    with_history = simulate(club, "rotate", dinners=1, search=FAST, progress=False)
    without = simulate(club, "rotate", dinners=1, search=FAST, progress=False, history=False)
    assert len(with_history.runs[0].prior) == 3 and without.runs[0].prior == []
    assert len(with_history.runs[0].problem(0).history) == 3


def test_zero_dinners_is_an_empty_season(club):
    result = simulate(club, "rotate", dinners=0, progress=False)
    assert result.history == [] and result.metrics.loc[0, "pair_coverage"] == 0


def test_custom_policy_and_preset_objects(club):
    from seating.models import Policy

    result = simulate(
        club, [Policy(repeat_weight=-0.5), get_preset("deepen-to-k", k=2)], dinners=2,
        search=FAST, progress=False,
    )  # fmt: skip
    assert result.policies == ["policy(-0.5)", "deepen-to-2"]


def test_season_run_explains_its_dinners(season):
    run = season.run("deepen-to-5")
    explanation = explain(run.problem(3), run.result(3))
    assert {t.table for t in explanation.tables} == {t.id for t in run.plans[3].tables}
    assert explanation.objective == pytest.approx(run.plans[3].objective)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"policy": "rotation"}, "unknown preset 'rotation'"),
        ({"policy": "deepen-to-k", "k": 0}, "k: target meetings"),
        ({"policy": []}, "at least one policy"),
        ({"policy": ["rotate", "rotate"]}, "listed twice"),
        ({"dinners": -1}, "dinners: must be at least 0"),
        ({"dinners": 2.5}, "dinners: expected a whole number"),
        ({"attendance": 1.5}, r"attendance: must be in \[0, 1\]"),
        ({"attendance": -0.1}, r"attendance: must be in \[0, 1\]"),
        ({"attendance": float("nan")}, "attendance: must be"),
        ({"attendance": {"m001": 2.0}}, r"attendance\['m001'\]: must be in \[0, 1\]"),
        ({"attendance": {"zz": 0.5}}, "attendance: unknown member id 'zz'"),
        ({"leave_rate": 1.2}, "leave_rate"),
        ({"join_rate": -1}, "join_rate"),
        ({"newcomer_attendance": 3}, "newcomer_attendance"),
        ({"seeds": 0}, "seeds: must be at least 1"),
        ({"seeds": []}, "seeds: give at least one seed"),
        ({"seeds": [1, 1]}, "seeds: a seed is listed twice"),
        ({"processes": 0}, "processes: must be at least 1"),
    ],
)
def test_bad_input_is_one_clear_error(club, kwargs, message):
    kwargs = {"policy": "rotate", "dinners": 1, "progress": False, **kwargs}
    policy = kwargs.pop("policy")
    with pytest.raises(InputError, match=message) as info:
        simulate(club, policy, **kwargs)
    assert "\n" not in str(info.value)


def test_bad_club_is_an_input_error():
    with pytest.raises(InputError):
        simulate({"members": []}, "rotate", progress=False)


runner = CliRunner()


def test_cli_simulate(club, tmp_path):
    path = tmp_path / "club.json"
    path.write_text(club.model_dump_json())
    csv = tmp_path / "metrics.csv"
    args = ["simulate", str(path), "--dinners", "2", "--seeds", "1", "-p", "random"]
    result = runner.invoke(app, [*args, "-p", "rotate", "--csv", str(csv), "--processes", "1"])
    assert result.exit_code == 0, result.output
    assert "pair_coverage" in result.output and "rotate" in result.output
    assert csv.read_text().startswith("policy,seed,")
    result = runner.invoke(app, [*args, "--json", "--join-rate", "1", "--no-history"])
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert records[0]["policy"] == "random" and records[0]["newcomers"] >= 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "rotation"], "unknown preset 'rotation'"),
        (["-p", "deepen-to-k", "-k", "0"], "k: target meetings"),
        (["--dinners", "-3"], "dinners: must be at least 0"),
        (["--attendance", "1.5"], "attendance: must be in [0, 1]"),
        (["--leave-rate", "-0.5"], "leave_rate"),
        (["--processes", "-1"], "processes"),
    ],
)
def test_cli_simulate_bad_input_exits_2_with_one_line(club, tmp_path, args, message):
    path = tmp_path / "club.json"
    path.write_text(club.model_dump_json())
    result = runner.invoke(app, ["simulate", str(path), "--dinners", "1", *args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_cli_simulate_bad_problem_file(tmp_path):
    path = tmp_path / "club.json"
    path.write_text("{not json")
    result = runner.invoke(app, ["simulate", str(path)])
    assert result.exit_code == 2 and "malformed JSON" in result.stderr
