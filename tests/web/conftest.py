"""Fixtures of the web app tests: a small club's files, the real app on a real SQLite file in
``tmp_path`` behind a test client that knows its CSRF token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from web_helpers import Client

from club_helpers import club_files
from seating.web import create_app


@pytest.fixture
def club(tmp_path: Path) -> dict[str, Path]:
    """A synthetic club of 14 members (the first three are hosts) with two recorded dinners."""
    folder = tmp_path / "files"
    folder.mkdir()
    members, history, attendees, _ = club_files(folder, num_members=14, num_history=2)
    return {"members": members, "history": history, "attendees": attendees}


@pytest.fixture
def client(tmp_path: Path) -> Client:
    return Client(create_app(tmp_path / "club.db")).start()


@pytest.fixture
def imported(client: Client, club: dict[str, Path]) -> Client:
    """The client of a club whose members and history are imported through the pages."""
    preview = client.upload("/members/preview", club["members"])
    key = re.search(r'name="key" value="([^"]+)"', preview.text)
    assert key, preview.text
    client.form("/members/import", {"key": key.group(1)})
    client.upload("/history/import", club["history"])
    return client
