"""Inputs the library refuses with one :class:`~seating.errors.InputError` line (issue 11):
sizes that do not fit, seeds past 64 bits, files too large to be a problem."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from helpers import base_problem
from seating.errors import InputError
from seating.season.planner import plan_season
from seating.solve import solve


def test_a_negative_seed_is_refused():
    with pytest.raises(InputError, match="seed"):
        plan_season(base_problem(), seed=-1, time_limit=5)


@pytest.mark.parametrize("seed", [2**63 - 1, 2**63, 2**64 + 5])
def test_a_season_plans_with_a_seed_past_64_bits(seed):
    # numba's generator took it as an int64 and raised a TypingError.
    data = base_problem()
    data["dinners"].append({**data["dinners"][0], "date": "2026-12-10"})
    result = plan_season(data, seed=seed, time_limit=30)
    assert result.status.has_plan


def test_numba_gets_a_temporary_cache_when_nothing_else_is_writable(tmp_path):
    # /proc/self cannot be written, not even by root: a package folder and a home like those
    # of a service account on a read-only install.
    from seating._numba_cache import cache_folder

    unwritable = Path("/proc/self")
    folder = cache_folder(unwritable, unwritable)
    assert folder is not None and folder.parent == Path(tempfile.gettempdir())
    assert cache_folder(tmp_path, unwritable) is None  # numba's __pycache__ works
    assert cache_folder(unwritable, tmp_path) is None  # numba's ~/.cache works
    assert cache_folder(unwritable, None) is not None  # no HOME at all


def test_the_command_line_starts_without_a_writable_home(tmp_path):
    env = {**os.environ, "HOME": "/proc/self", "NUMBA_CACHE_DIR": ""}
    done = subprocess.run(
        [sys.executable, "-m", "seating.cli", "--help"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_a_dinner_too_large_for_memory_is_refused_with_its_size():
    problem = base_problem(num_members=20_000, capacities=(10,) * 2_000)
    with pytest.raises(InputError, match=r"20,000 attendees need about 24 GiB"):
        solve(problem, time_limit=5)
