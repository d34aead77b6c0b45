"""Fixtures of the web app tests: a small club's files, the real app on a real SQLite file in
``tmp_path``, a test client that knows its CSRF token."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from club_helpers import club_files
from seating.web import create_app


class Client(TestClient):
    """FastAPI's test client with the CSRF token of its session and the page helpers."""

    csrf: str = ""

    def start(self) -> Client:
        page = self.get("/members")
        found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        assert found, page.text
        self.csrf = found.group(1)
        return self

    def form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any):
        """POST a form with the CSRF token, following the redirect to the page it lands on."""
        return self.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kwargs)

    def upload(self, url: str, path: Path, data: dict[str, Any] | None = None, name: str = ""):
        files = {"file": (name or path.name, path.read_bytes())}
        return self.form(url, data, files=files)

    def wait(self, job_url: str) -> dict[str, Any]:
        """The job's final status (polled as the page does; searches stop on their own)."""
        job = job_url.rstrip("/").split("/")[-1]
        while True:
            status = self.get(f"/jobs/{job}/status").json()
            if status["state"] != "running":
                return status
            time.sleep(0.05)


def message(response) -> str:
    """The message a redirect left on the page it landed on (lines joined by newlines), as
    the browser shows it (HTML entities unescaped)."""
    found = re.search(r'id="message">\s*(.*?)\n</div>', response.text, re.S)
    assert found, f"no message on the page: {response.text[:2000]}"
    return "\n".join(html.unescape(line) for line in re.findall(r"<div>(.*?)</div>", found[1]))


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
