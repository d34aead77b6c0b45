"""Helpers shared by the club database, club file and club command-line tests: a synthetic
club's files, a dump of the database, the command line in-process and in a real process."""

from __future__ import annotations

import csv
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from seating.cli import app
from seating.club.records import ClubMember, Draft, RecordedDinner, SeatedTable
from seating.club.store import ClubStore
from seating.models import Dinner, Member, PastDinner, ProblemInput, Table
from seating.policies.synthetic import synthetic_club
from seating.result import DinnerPlan, Result, Status, TablePlan


def club_files(folder: Path, *, num_members: int = 30, num_history: int = 4, seed: int = 0):
    """Members and history CSVs of a synthetic club, and its next dinner's attendees file.

    Returns ``(members_csv, history_csv, attendees_txt, problem)``; the first three members
    are flagged as hosts.
    """
    problem = synthetic_club(num_members=num_members, num_history=num_history, seed=seed)
    members = folder / "members.csv"
    with members.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "company", "industry", "languages", "host", "status"])
        for k, m in enumerate(problem.members):
            host = "yes" if k < 3 else "no"
            row = [m.id, m.name, m.company, m.industry, ";".join(m.languages), host, "active"]
            writer.writerow(row)
    history = folder / "history.csv"
    with history.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "table", "member_id"])
        for dinner in problem.history:
            for t, table in enumerate(dinner.tables):
                for member in table:
                    writer.writerow([dinner.date.isoformat(), f"T{t + 1}", member])
    attendees = folder / "attendees.txt"
    attendees.write_text("\n".join(problem.dinners[0].attendees) + "\n", encoding="utf-8")
    return members, history, attendees, problem


def small_store(
    folder: Path,
    size: int,
    *,
    companies: dict[str, str] | None = None,
    hosts: tuple[str, ...] = (),
    history: dict[str, list[list[str]]] | None = None,
) -> ClubStore:
    """A club database of members p1 .. p<size> (no company unless given, ``hosts`` flagged
    as hosts) and the recorded dinners ``history`` (ISO date -> tables of member ids)."""
    store = ClubStore(folder / "small.db", create=True)
    companies = companies or {}
    store.import_members(
        [
            ClubMember(id=f"p{k}", name=f"Person {k}", company=companies.get(f"p{k}"),
                       host=f"p{k}" in hosts)
            for k in range(1, size + 1)
        ]
    )  # fmt: skip
    dinners = [
        RecordedDinner(
            dt.date.fromisoformat(day),
            tuple(SeatedTable(f"T{t + 1}", tuple(table)) for t, table in enumerate(tables)),
        )
        for day, tables in (history or {}).items()
    ]
    store.import_history(dinners)
    return store


NINE = [f"p{k}" for k in range(1, 10)]

SEARCH = {"method": "local", "time_limit": 5.0, "seed": 1}
"""The local search stops on its own long before the limit on these small clubs."""


def nine_member_store(folder: Path) -> ClubStore:
    """Nine members p1 .. p9, p1 and p2 hosts, one recorded dinner (2026-02-05) at three tables
    (p1-p3, p4-p6, p7-p9)."""
    history = {"2026-02-05": [NINE[:3], NINE[3:6], NINE[6:]]}
    return small_store(folder, 9, hosts=("p1", "p2"), history=history)


def assert_seats_everyone(draft: Draft, attendees: list[str]) -> None:
    """Every attendee sits exactly once, within each table's capacity, hosts at their table."""
    assert sorted(draft.attendees) == sorted(attendees)
    for table in draft.tables:
        assert len(table.members) <= table.capacity, table
        assert table.host is None or table.host in table.members, table


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, timestamps left out (they differ between runs)."""
    db = sqlite3.connect(path)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        state = {}
        for name in sorted(names):
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({name})")]
            keep = [c for c in columns if not c.endswith("_at")]
            rows = db.execute(f"SELECT {', '.join(keep)} FROM {name}").fetchall()
            state[name] = sorted(rows, key=repr)
        return state
    finally:
        db.close()


def seating(*args: object, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
    """Start the seating CLI in a real process."""
    return subprocess.Popen(
        [sys.executable, "-m", "seating.cli", *map(str, args)],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def wait_for(path: Path, process: subprocess.Popen) -> None:
    """Wait until ``process`` writes ``path`` (it then sleeps inside its transaction)."""
    for _ in range(1200):  # a generous guard against a hang, not a timing assertion
        if path.exists():
            return
        if process.poll() is not None:
            raise AssertionError(f"process ended early: {process.communicate()}")
        time.sleep(0.05)
    process.kill()
    raise AssertionError("the crash point was never reached")


def kill_inside_transaction(point: str, args: list[object], tmp_path: Path) -> None:
    marker = tmp_path / f"{point}.reached"
    env = {"SEATING_TEST_CRASH_AT": point, "SEATING_TEST_CRASH_MARKER": str(marker)}
    process = seating(*args, env=env)
    wait_for(marker, process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def run(*args: object, input: str | None = None):
    """The CLI in-process; ``input`` is what the user types (answers to questions)."""
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


def ok(*args: object):
    result = run(*args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def one_line_error(result, code: int, *words: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def summary_case(tables: list[list[str]]) -> tuple[ProblemInput, Result]:
    """A plan of ``tables`` for a club whose a, b, c, d met twice before (a+b and c+d, then
    a+c and b+d): the organiser's summary line is counted on it."""
    people = sorted({m for t in tables for m in t})
    problem = ProblemInput(
        members=[Member(id=m) for m in people],
        history=[
            PastDinner(date=dt.date(2025, 1, 1), tables=[["a", "b"], ["c", "d"]]),
            PastDinner(date=dt.date(2025, 2, 1), tables=[["a", "c"], ["b", "d"]]),
        ],
        dinners=[Dinner(date=dt.date(2025, 3, 1), tables=[Table(id="T", capacity=9)])],
    )
    plan = DinnerPlan(
        date=dt.date(2025, 3, 1),
        tables=[TablePlan(id=f"T{k}", members=t) for k, t in enumerate(tables)],
    )
    return problem, Result(status=Status.FEASIBLE, objective=0.0, dinners=[plan])
