"""Helpers of the web app tests: a test client that knows its CSRF token, posts forms and
waits for searches; the message a page shows after a redirect; a free port."""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient


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
    found = re.search(r'id="message">\s*((?:<div>.*?</div>)*)</div>', response.text, re.S)
    assert found, f"no message on the page: {response.text[:2000]}"
    return "\n".join(html.unescape(line) for line in re.findall(r"<div>(.*?)</div>", found[1]))


def free_port() -> int:
    """A TCP port free on localhost now (for a server started next)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def chromium() -> str:
    """The Debian Chromium; skipped where absent, except in CI, where it must be there."""
    path = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing in CI: .ci/run installs it with apt-get")
        pytest.skip("chromium is not installed (apt-get install chromium) - browser test skipped")
    return path
