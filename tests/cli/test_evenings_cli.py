"""From the command line: the docs' example of a two-course evening last month (guide.md,
"Dinners with several courses"), planned and explained with cooldown 1."""

from __future__ import annotations

import itertools
import json

from typer.testing import CliRunner

from seating.cli import app

NINE = [f"m{i}" for i in range(1, 10)]
ROWS = [NINE[0:3], NINE[3:6], NINE[6:9]]
COLUMNS = [NINE[0::3], NINE[1::3], NINE[2::3]]


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def pairs(tables) -> set[frozenset[str]]:
    return {frozenset(p) for t in tables for p in itertools.combinations(t, 2)}


def test_cooldown_1_after_a_two_course_evening_at_both_courses_tonight(tmp_path):
    problem = {
        "members": [{"id": m} for m in NINE],
        "history": [
            {"date": "2026-11-05", "tables": ROWS},
            {"date": "2026-11-05", "tables": COLUMNS},
        ],
        "dinners": [
            {
                "date": "2026-12-03",
                "courses": 2,
                "tables": [
                    {"id": "T1", "capacity": 3, "host": "m1"},
                    {"id": "T2", "capacity": 3},
                    {"id": "T3", "capacity": 3},
                ],
            }
        ],
        "rules": {"cooldown": 1},
    }
    path = tmp_path / "evening.json"
    path.write_text(json.dumps(problem))
    planned = invoke("plan", path, "--seed", "1", "--json")
    assert planned.exit_code == 0, planned.output
    (tmp_path / "plan.json").write_text(planned.stdout)
    courses = [c["tables"] for c in json.loads(planned.stdout)["dinners"][0]["courses"]]
    first, second = (pairs(t["members"] for t in tables) for tables in courses)
    last_month = pairs(ROWS) | pairs(COLUMNS)
    assert not first & last_month  # both courses of last month's evening, not only dessert
    assert not second & (last_month | first)  # and tonight's main course
    for course, kept in ((1, 4), (2, 6)):
        told = invoke("explain", path, tmp_path / "plan.json", "--course", course, "--member", "m5")
        assert told.exit_code == 0, told.output
        assert f"cooldown: kept from {kept} recent table mates" in told.stdout
