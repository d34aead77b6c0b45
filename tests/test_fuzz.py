"""The fuzz suite of issue 11 at the size of ``make test`` (``benchmarks/fuzz.py`` runs it
large): fuzzed problems and club files through the real commands, and the contract of
:mod:`fuzz` (exit 0 with a plan holding every rule, 1 with a reason, 2 with one line; no
traceback; no database change after a refusal)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from tests.club_helpers import club_files, ok

from fuzz import COMMANDS, check_club_command, check_plan_command, club_files_text, fuzzed_problems

EXAMPLES = int(os.environ.get("SEATING_FUZZ_EXAMPLES", "25"))
"""Examples per test (``benchmarks/fuzz.py`` raises it)."""


@pytest.mark.filterwarnings("ignore::UserWarning")  # a guest without their host, say
@settings(max_examples=EXAMPLES)
@given(text=fuzzed_problems())
def test_fuzzed_problems_plan_or_refuse_in_one_line(text):
    with tempfile.TemporaryDirectory() as folder:
        event(f"exit {check_plan_command(text, Path(folder))}")


@pytest.fixture(scope="module")
def club(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("fuzz-club")
    members, history, attendees, _ = club_files(folder, num_members=16, num_history=2)
    db = folder / "club.db"
    ok("club", "import", members, "--db", db)
    ok("club", "import-history", history, "--db", db)
    return db, attendees


@pytest.mark.parametrize("command", list(COMMANDS))
def test_fuzzed_club_files_are_read_or_refused_in_one_line(club, tmp_path, command):
    db, attendees = club

    @settings(max_examples=EXAMPLES)
    @given(raw=club_files_text())
    def check(raw: bytes) -> None:
        # A copy per example: an accepted import must not change what the next one sees.
        copy = tmp_path / "club.db"
        copy.write_bytes(db.read_bytes())
        for suffix in ("-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        event(f"exit {check_club_command(command, raw, copy, tmp_path, attendees)}")

    check()
