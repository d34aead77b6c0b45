"""``seating serve`` as a real process: localhost by default; another --host needs a token,
generated and printed when none is given, and every request then needs it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner
from web_helpers import free_port

from seating.cli import app
from seating.cli.serve import is_local


def test_only_loopback_addresses_are_local():
    assert all(map(is_local, ["127.0.0.1", "localhost", "::1", "127.0.0.2"]))
    assert not any(map(is_local, ["0.0.0.0", "::", "192.168.1.10", "club.example"]))


def test_a_short_token_is_refused_in_one_line(tmp_path: Path):
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "c.db"), "--token", "abc"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --token: use at least 12 characters"


def _status(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_another_host_prints_a_token_that_every_request_needs(tmp_path: Path):
    port = free_port()
    command = [sys.executable, "-m", "seating.cli", "serve", "--db", str(tmp_path / "club.db"),
               "--host", "0.0.0.0", "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stderr.readline()
        assert first.startswith("access token (sign in with it at /login): ")
        token = first.split(": ", 1)[1].strip()
        assert len(token) >= 20
        url = f"http://127.0.0.1:{port}"
        for _ in range(600):  # until uvicorn listens
            try:
                if _status(f"{url}/login") == 200:
                    break
            except urllib.error.URLError:
                time.sleep(0.1)
        assert _status(f"{url}/members") == 401
        assert _status(f"{url}/openapi.json") == 401
        bearer = {"Authorization": f"Bearer {token}"}
        assert _status(f"{url}/members", bearer) == 200
        with urllib.request.urlopen(
            urllib.request.Request(f"{url}/openapi.json", headers=bearer), timeout=5
        ) as answer:
            assert "/api/plan" in json.load(answer)["paths"]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("seating serve did not stop on Ctrl+C")
