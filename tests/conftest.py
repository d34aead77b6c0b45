"""Shared fixtures and the hypothesis profile of the suite.

Helpers and strategies live in ``helpers.py`` (importable from every test module); this file
holds what pytest injects.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "seating",
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile("seating")


@pytest.fixture
def write_problem(tmp_path: Path) -> Callable[[dict[str, Any] | str | bytes, str], Path]:
    """Write a problem (plain data, JSON text or raw bytes) to a file and return its path."""

    def write(problem: dict[str, Any] | str | bytes, name: str = "problem.json") -> Path:
        path = tmp_path / name
        if isinstance(problem, bytes):
            path.write_bytes(problem)
        else:
            text = problem if isinstance(problem, str) else json.dumps(problem)
            path.write_text(text, encoding="utf-8")
        return path

    return write
