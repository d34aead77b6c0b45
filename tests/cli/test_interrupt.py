"""Ctrl-C ends any command at once: exit 130, one line saying nothing was saved, nothing saved.

Real processes, real SIGINT: started the way a script's ``cmd &`` starts them (SIGINT
inherited as ignored, no terminal) and in a terminal (a pseudo-terminal, the signal sent to
the process group as the terminal's Ctrl-C does). Each command gets a budget of minutes and
is interrupted while it searches; the waits below are generous guards against a hang, not
timing assertions.
"""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.club_helpers import club_files, dump, ok, wait_for

from seating.policies.synthetic import synthetic_club

LONG = "600"  # seconds of budget: an interrupted command must not run it out
GUARD = 60.0  # seconds a test waits for the process before calling it hung


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _catches_sigint(pid: int) -> bool:
    """Whether the process has a handler for SIGINT (bit 1 of SigCgt): the seating program
    installs one; until then the inherited "ignore" holds."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGINT - 1)))


def _start(args: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "seating.cli", *args], preexec_fn=_ignore_sigint, **kwargs
    )


def _interrupt_when_searching(process: subprocess.Popen, *, group: bool = False) -> None:
    deadline = time.monotonic() + GUARD
    while not _catches_sigint(process.pid):
        assert process.poll() is None, "the command ended before it could be interrupted"
        assert time.monotonic() < deadline, "the command never installed its Ctrl-C handler"
        time.sleep(0.05)
    time.sleep(1.5)  # well into the search (any moment after the handler must work)
    assert process.poll() is None, "the command ended on its own before the interrupt"
    if group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)


def _interrupted(args: list[str]) -> str:
    process = _start(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _interrupt_when_searching(process)
    try:
        stdout, stderr = process.communicate(timeout=GUARD)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the command kept running after Ctrl-C") from None
    assert process.returncode == 130, (stdout, stderr)
    assert stderr.strip().splitlines() == ["interrupted: nothing was saved"], stderr
    assert stdout == ""
    return stderr


@pytest.fixture(scope="module")
def dinner(tmp_path_factory) -> Path:
    problem = synthetic_club(num_members=160, num_history=30, next_attendees=80, seed=0)
    path = tmp_path_factory.mktemp("interrupt") / "dinner80.json"
    path.write_text(problem.model_dump_json(), encoding="utf-8")
    return path


def test_ctrl_c_in_cp_sat_saves_nothing(dinner, tmp_path):
    # CP-SAT would catch SIGINT itself and hand back its plan so far (saved, exit 0).
    out = tmp_path / "plan.json"
    args = ["plan", str(dinner), "--method", "cpsat", "--time-limit", LONG, "--out", str(out)]
    _interrupted(args)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file either


def test_ctrl_c_in_the_compiled_season_search(tmp_path):
    out = tmp_path / "golf.json"
    _interrupted(["golf", "6", "6", "8", "--time-limit", LONG, "--json", "--out", str(out)])
    assert not out.exists()


def test_ctrl_c_leaves_the_club_database_as_it_was(tmp_path):
    members, history, _, problem = club_files(tmp_path, num_members=60, num_history=4)
    db = tmp_path / "club.db"
    ok("club", "import", members, "--db", db)
    ok("club", "import-history", history, "--db", db)
    registrations = tmp_path / "registrations.csv"
    ids = [m.id for m in problem.members]
    lines = [f"2027-0{k}-01,{m}" for k in range(1, 7) for m in ids[:48]]
    registrations.write_text("date,member_id\n" + "\n".join(lines) + "\n", encoding="utf-8")
    before = dump(db)
    _interrupted([
        "club", "plan-season", "--registrations", str(registrations), "--table-sizes", "8",
        "--no-auto-hosts", "--time-limit", LONG, "--db", str(db),
    ])  # fmt: skip
    assert dump(db) == before


def test_ctrl_c_in_a_terminal(tmp_path):
    controller, terminal = pty.openpty()
    process = _start(
        ["golf", "6", "6", "8", "--time-limit", LONG],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
    )
    os.close(terminal)
    try:
        _interrupt_when_searching(process, group=True)
        process.wait(timeout=GUARD)
    finally:
        if process.poll() is None:
            process.kill()
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed with the last process
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert process.returncode == 130
    assert b"interrupted: nothing was saved" in shown
    assert b"Traceback" not in shown


def _interrupt_at(point: str, args: list[object], tmp_path: Path) -> str:
    """Run ``seating ARGS`` until its write transaction reaches fault ``point``, then Ctrl-C."""
    marker = tmp_path / f"{point}.reached"
    env = {"SEATING_TEST_CRASH_AT": point, "SEATING_TEST_CRASH_MARKER": str(marker)}
    process = _start(
        [str(a) for a in args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(marker, process)
    process.send_signal(signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=GUARD)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the command kept running after Ctrl-C") from None
    assert process.returncode == 130, stderr
    return stderr


def test_ctrl_c_in_a_first_import_leaves_no_empty_club_behind(tmp_path):
    members, *_ = club_files(tmp_path, num_members=12, num_history=1)
    db = tmp_path / "new-club.db"
    stderr = _interrupt_at("import-members", ["club", "import", members, "--db", db], tmp_path)
    assert stderr.strip().splitlines() == ["interrupted: nothing was saved"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("new-club.db")]
    ok("club", "import", members, "--db", db)  # and the import can simply be run again


def test_ctrl_c_in_an_import_into_a_club_keeps_the_club(tmp_path):
    members, *_ = club_files(tmp_path, num_members=12, num_history=1)
    db = tmp_path / "club.db"
    ok("club", "import", members, "--db", db)
    before = dump(db)
    _interrupt_at("import-members", ["club", "import", members, "--db", db], tmp_path)
    assert dump(db) == before
