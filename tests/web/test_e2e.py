"""End to end in a real headless Chromium driven by Playwright: ``seating serve`` in its own
process on a free port, the organiser's evening from the files to the record.

Playwright drives Debian's ``/usr/bin/chromium`` (no browser download). Skipped where chromium
is absent, except in CI, where ``.ci/run`` installs it. With ``SEATING_SCREENSHOTS=DIR`` the
test saves the screenshots of ``docs/web.md`` there.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_helpers import chromium, free_port

from club_helpers import club_files

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``seating serve`` on a fresh club database, in its own process; its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "seating.cli", "serve", "--db", str(tmp_path / "club.db"),
               "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # the app answers once uvicorn listens
            if process.poll() is not None:
                pytest.fail(f"seating serve stopped: {process.stderr.read()}")
            try:
                urllib.request.urlopen(f"{url}/static/app.css", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _message(page) -> str:
    return page.locator("#message").inner_text()


def _shot(page, name: str) -> None:
    folder = os.environ.get("SEATING_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_the_organisers_evening_in_a_real_browser(server: str, tmp_path: Path):
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = chromium()
    files = tmp_path / "files"
    files.mkdir()
    members, history, _, problem = club_files(files, num_members=14, num_history=2)
    names = {m.id: m.name for m in problem.members}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(120_000)  # a first search may compile the local search

        # Members and history from files, with a preview first.
        page.goto(f"{server}/members")
        page.set_input_files("#members-file", str(members))
        page.get_by_role("button", name="Preview").click()
        assert page.locator("#preview tbody tr").count() == 14
        page.click("#confirm-import")
        assert "14 added" in _message(page)
        page.set_input_files("#history-file", str(history))
        page.locator("form[action='/history/import'] button").click()
        assert "2 dinners" in _message(page)

        # The next dinner: nine attendees ticked by type-ahead, three tables of three.
        page.goto(f"{server}/dinner")
        coming = [f"m{k:03d}" for k in range(1, 10)]
        for member in coming:
            page.fill("#attendee-filter", names[member])
            page.press("#attendee-filter", "Enter")
        assert page.locator("#ticked").inner_text() == "9"
        page.fill("textarea[name=tables]", "table, capacity, host\nT1, 3\nT2, 3\nT3, 3")
        page.fill("input[name=time_limit]", "60")
        page.click("#plan-button")
        page.wait_for_url(re.compile(r"/plan\?date="))
        assert page.locator(".seat").count() == 9
        assert re.match(r"planned \((optimal|feasible), .*saved as the draft of ", _message(page))
        _shot(page, "web-plan.png")

        # Drag a guest of T2 onto the full T1: the rule check names the capacity.
        mover = page.locator(".card[data-table=T2] .seat:not(:has(em))").first
        mover_id = mover.get_attribute("data-member")
        mover_name = mover.get_attribute("data-name")
        mover.drag_to(page.locator(".card[data-table=T1]"))
        check = page.locator("#move-check")
        check.wait_for(state="visible")
        assert "table 'T1' seats 4 > capacity 3" in check.inner_text()
        _shot(page, "web-move-check.png")
        page.click("#move-confirm")
        said = _message(page).splitlines()
        assert said[0] == f"pinned {mover_name} to T1"  # the name, as the command line says
        moved = int(re.match(r"(\d+) (?:person|people) moved", said[1])[1])
        assert moved >= 2  # the mover and whoever made room
        pinned = page.locator(f".card[data-table=T1] .seat[data-member='{mover_id}']")
        assert pinned.locator(".pin").count() == 1

        # The keyboard alternative: choose the table in the list; the same check appears.
        other = page.locator(".card[data-table=T3] .seat").first
        other.locator(".move-to").select_option("T2")
        page.locator("#move-check").wait_for(state="visible")
        assert "→ T2" in page.locator("#move-check-text").inner_text()
        page.click("#move-cancel")

        # A late cancellation: re-seated with fewest moves.
        leaving = page.locator(".card[data-table=T3] .seat:not(:has(em))").first
        gone, gone_name = leaving.get_attribute("data-member"), leaving.get_attribute("data-name")
        page.select_option("#cancel-select", gone)
        page.click("#reseat-button")
        assert _message(page).splitlines()[:2] == [
            f"cancelled {gone_name}",
            "0 people moved (the fewest the rules allow)",
        ]
        assert page.locator(".seat").count() == 8

        # After the dinner: record it; the history shows it.
        page.check("input[name=allow_future]")
        page.click("#record-button")
        assert re.match(r"recorded the dinner of \S+: 8 people at 3 tables", _message(page))
        assert page.locator("#dinners li").count() == 3
        # The plot of who met whom is a PNG drawn by seating.plotting for this club.
        page.wait_for_function("() => document.querySelector('figure img').complete")
        assert page.evaluate("() => document.querySelector('figure img').naturalWidth") > 100
        _shot(page, "web-history.png")
        browser.close()


ENGLISH = ["Members", "Next dinner", "History", "Late changes", "Record the dinner", "new pairs",
           "Print:", "Import members", "Search", "planned", "people moved"]  # fmt: skip
"""Words of the English pages that a French page must not show."""


def _english_on(page) -> list[str]:
    shown = page.locator("body").inner_text()
    return [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", shown)]


def test_the_same_in_french(server: str, tmp_path: Path):
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = chromium()
    files = tmp_path / "files"
    files.mkdir()
    members, history, _, _ = club_files(files, num_members=14, num_history=2)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(120_000)

        # ?lang=fr once: the browser keeps the choice for every later page.
        page.goto(f"{server}/members?lang=fr")
        assert page.locator("html").get_attribute("lang") == "fr"
        page.set_input_files("#members-file", str(members))
        page.get_by_role("button", name="Aperçu").click()
        page.click("#confirm-import")
        assert "14 ajoutés" in _message(page)
        assert "Importer des membres" in page.locator("body").inner_text()
        assert _english_on(page) == []
        page.set_input_files("#history-file", str(history))
        page.locator("form[action='/history/import'] button").click()
        assert "2 dîners" in _message(page)

        page.goto(f"{server}/dinner")
        assert page.get_by_role("heading", name="Prochain dîner").count() == 1
        page.click("#tick-all")
        for member in ("m010", "m011", "m012", "m013", "m014"):  # nine of the fourteen come
            page.uncheck(f"input[name=attendee][value={member}]")
        page.fill("textarea[name=tables]", "table, capacity, host\nT1, 3\nT2, 3\nT3, 3")
        page.fill("input[name=time_limit]", "60")
        page.click("#plan-button")
        page.wait_for_url(re.compile(r"/plan\?date="))
        assert re.match(r"planifié \((optimal|feasible), .*enregistré comme projet du ",
                        _message(page))  # fmt: skip
        body = page.locator("body").inner_text()
        assert "Dîner du" in body and "Changements de dernière minute" in body
        assert "nouvelle" in page.locator("#summary").inner_text()  # the organiser's summary
        assert _english_on(page) == []
        _shot(page, "web-plan-fr.png")

        # The rule check of a move, in French (the broken rules are named with the ids).
        mover = page.locator(".card[data-table=T2] .seat:not(:has(em))").first
        mover_name = mover.get_attribute("data-name")
        mover.drag_to(page.locator(".card[data-table=T1]"))
        page.locator("#move-check").wait_for(state="visible")
        told = page.locator("#move-check-text").inner_text()
        broken = re.search(r"→ T1 seul enfreint (\d+) règle\(s\) ; replacer les autres", told)
        assert broken, told
        assert int(broken[1]) == page.locator("#move-check-broken li").count() >= 1
        assert page.locator("#move-confirm").inner_text().startswith("Fixer ici")
        page.click("#move-confirm")
        said = _message(page).splitlines()
        assert said[0] == f"{mover_name} fixé à T1"  # by name, as the command line says
        assert re.match(r"\d+ personnes déplacées \(le minimum que les règles permettent\)",
                        said[1])  # fmt: skip
        assert _english_on(page) == []
        browser.close()
