"""Printable plans and place cards (escaping, order, pages; rendered in headless Chromium) and
the who-met-whom figures."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from seating.club.records import ClubMember, Draft, DraftTable, RecordedDinner, SeatedTable
from seating.club.report.html import (
    CARDS_PER_PAGE,
    dinner_view,
    render_cards,
    render_plan,
    sort_key,
)
from seating.club.report.meetings import meeting_stats

EVIL = "<script>document.body.setAttribute('data-pwned','1')</script>"
DAY = dt.date(2026, 12, 3)


def sample(num: int = 19) -> tuple[Draft, dict[str, ClubMember]]:
    """A draft of ``num`` attendees at tables of 6, with hostile and accented names."""
    members = [
        ClubMember(id=f"m{k:02d}", name=f"Guest {k:02d}", company=f"C{k}") for k in range(num)
    ]
    members[0] = ClubMember(id="m00", name=EVIL, company="<b>Evil & Co</b>")
    members[1] = ClubMember(id="m01", name="Émile Zola", company="\"Quotes\" & 'apostrophes'")
    members[2] = ClubMember(id="m02", name="anna de Wit")
    members[3] = ClubMember(id="m03")  # no name: the id is printed
    ids = [m.id for m in members]
    tables = [
        DraftTable(id=f"T{t + 1}", capacity=6, members=ids[6 * t : 6 * t + 6], host=ids[6 * t])
        for t in range(math.ceil(num / 6))
    ]
    return Draft(date=DAY, tables=tables), {m.id: m for m in members}


def test_every_user_string_is_escaped():
    draft, members = sample()
    view = dinner_view(draft, members, title="Club <i>Gent</i>")
    for html in (render_plan(view), render_cards(view)):
        assert "<script" not in html and "<b>Evil" not in html and "<i>Gent" not in html
        assert "&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)" in html
        assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in html
        assert "Club &lt;i&gt;Gent&lt;/i&gt;" in html


def test_where_do_i_sit_is_alphabetical_ignoring_case_and_accents():
    draft, members = sample()
    view = dinner_view(draft, members, title="Club")
    names = [s.name for s in view.seats]
    assert names == sorted(names, key=sort_key)
    assert names.index("anna de Wit") < names.index("Émile Zola") < names.index("Guest 04")
    assert "m03" in names
    assert sorted(s.member for s in view.seats) == sorted(draft.table_of())
    assert all(s.table == draft.table_of()[s.member] for s in view.seats)


def test_place_cards_fill_a4_pages():
    for num, pages in ((1, 1), (8, 1), (9, 2), (19, 3)):
        draft, members = sample(max(num, 4))
        table = DraftTable(id="T1", capacity=99, members=list(members)[:num])
        draft = Draft(date=DAY, tables=[table])
        view = dinner_view(draft, members, title="Club")
        assert view.num_pages == pages == len(view.pages)
        html = render_cards(view)
        assert html.count('class="card"') == num
        assert html.count('class="sheet"') == pages


def test_a_recorded_dinner_prints_too():
    dinner = RecordedDinner(DAY, (SeatedTable("T1", ("a", "b"), None, "a"),))
    view = dinner_view(dinner, {"a": ClubMember(id="a", name="An")}, title="Club")
    assert view.state == "as recorded"
    assert [s.name for s in view.tables[0].seats] == ["An", "b"]
    assert view.tables[0].seats[0].host
    assert "Table T1" in render_plan(view)


def test_meeting_stats_count_pairs_and_members():
    members = [ClubMember(id=x) for x in "abcd"] + [ClubMember(id="e", active=False)]
    first = (SeatedTable("T1", ("a", "b")), SeatedTable("T2", ("c", "e")))
    dinners = [
        RecordedDinner(dt.date(2025, 1, 1), first),
        RecordedDinner(dt.date(2025, 2, 1), (SeatedTable("T1", ("a", "b", "c")),)),
    ]
    stats = meeting_stats(members, dinners)
    pairs = [(a.id, b.id, n, str(last)) for a, b, n, last in stats.pairs()]
    assert pairs == [
        ("a", "b", 2, "2025-02-01"),
        ("a", "c", 1, "2025-02-01"),
        ("b", "c", 1, "2025-02-01"),
        ("c", "e", 1, "2025-01-01"),
    ]
    assert [(a.id, b.id) for a, b in stats.not_met()] == [("a", "d"), ("b", "d"), ("c", "d")]
    figures = {f.member.id: f for f in stats.figures()}
    assert (figures["a"].dinners, figures["a"].people_met, figures["a"].not_met) == (2, 2, 1)
    assert (figures["a"].most_met, figures["a"].most_met_times) == ("b", 2)
    assert (figures["d"].dinners, figures["d"].most_met, figures["d"].not_met) == (0, None, 3)
    met = stats.met_with("c")
    assert [(o.id, n) for o, n, _ in met] == [("a", 1), ("b", 1), ("e", 1), ("d", 0)]
    assert int(stats.counts.sum()) == 2 * sum(n for *_, n, _ in stats.pairs())


# -- a real browser ------------------------------------------------------------------------


def chromium() -> str:
    """The Debian Chromium; skipped where absent, except in CI, where it must be there."""
    path = shutil.which("chromium")
    if path is None and Path("/usr/bin/chromium").exists():
        path = "/usr/bin/chromium"
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing in CI: .ci/run installs it with apt-get")
        pytest.skip("chromium is not installed (apt-get install chromium) - browser check skipped")
    return path


def browse(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        *args,
    ]
    # The timeout only guards against a hung browser; nothing here measures speed.
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


class DomReader(HTMLParser):
    """Collects element counts, attributes and the text of classed elements from a DOM dump."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.attributes: list[tuple[str, str | None]] = []
        self.stack: list[set[str]] = []
        self.texts: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.attributes += attrs
        classes = set((dict(attrs).get("class") or "").split())
        if tag not in ("br", "meta", "link", "img", "input"):
            self.stack.append(classes)
            for cls in classes:
                self.texts.setdefault(cls, []).append("")

    def handle_endtag(self, tag):
        if self.stack and tag not in ("br", "meta", "link", "img", "input"):
            self.stack.pop()

    def handle_data(self, data):
        for classes in self.stack:
            for cls in classes:
                self.texts[cls][-1] += data


def test_printed_plan_and_cards_render_in_headless_chromium(tmp_path):
    chromium()
    draft, members = sample(19)
    view = dinner_view(draft, members, title="Club <i>Gent</i>")
    plan = tmp_path / "plan.html"
    cards = tmp_path / "cards.html"
    plan.write_text(render_plan(view), encoding="utf-8")
    cards.write_text(render_cards(view), encoding="utf-8")

    shown = browse(tmp_path, "--dump-dom", plan.as_uri())
    assert shown.returncode == 0, shown.stderr[-2000:]
    dom = DomReader()
    dom.feed(shown.stdout)
    assert dom.tags.get("script", 0) == 0, "a member's name became a script"
    assert ("data-pwned", "1") not in dom.attributes
    where = [t.strip() for t in dom.texts["where-row"]]
    expected = [f"{s.name}{s.table}" for s in view.seats]
    assert [re.sub(r"\s+", "", w) for w in where] == [re.sub(r"\s+", "", e) for e in expected]
    assert EVIL in dom.texts["name"][0] or EVIL in [n.strip() for n in dom.texts["name"]]
    assert sorted(n.strip() for n in dom.texts["name"]) == sorted(
        2 * [s.name for s in view.seats]
    )  # once at the table, once in "where do I sit"

    pdf = tmp_path / "cards.pdf"
    printed = browse(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", cards.as_uri())
    assert pdf.exists(), printed.stderr[-2000:]
    raw = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", raw))
    assert pages == math.ceil(19 / CARDS_PER_PAGE) == 3
    size = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", raw)
    assert size is not None
    width, height = (float(v) for v in size.groups())
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points

    dumped = browse(tmp_path, "--dump-dom", cards.as_uri())
    cards_dom = DomReader()
    cards_dom.feed(dumped.stdout)
    assert cards_dom.tags.get("script", 0) == 0
    card_names = sorted(t.strip() for t in cards_dom.texts["name"])
    assert card_names == sorted(s.name for s in view.seats)
