"""Print-outs in the club's language: Dutch, French and English catalogues (every message
translated, placeholders kept), dates the local way, the guests' page without "draft", place
and tent cards grouped by table, PDF through headless Chromium, the summary line translated,
and the command line (--language, warnings for rules added since, --verbose)."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po
from test_report import DAY, EVIL, DomReader, browse, chromium, sample

from club_helpers import ok, one_line_error, run, small_store, summary_case
from seating.club.records import ClubMember, Draft, DraftTable
from seating.club.report.html import (
    TENTS_PER_PAGE,
    dinner_view,
    render_cards,
    render_plan,
    render_tents,
    sort_key,
)
from seating.club.report.i18n import LOCALES, catalogue_path, long_date
from seating.club.report.pdf import PdfError, to_pdf
from seating.club.workflow import plain_summary
from seating.errors import InputError
from seating.models import Member
from seating.result import Result, Status

SRC = Path(__file__).parents[2] / "src" / "seating" / "club"
SAME_IN_FRENCH = {"Table", "Table %(id)s", ("%(num)d table", "%(num)d tables")}
"""Messages whose French is the English word (checked: nothing else may stay English)."""


def used_messages() -> set[str | tuple[str, str]]:
    """Every message the templates and the summary line ask a catalogue for."""
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(
            SRC / "report" / "templates",
            method_map=[("**.j2", "jinja2")],
            options_map={"**.j2": {"extensions": "jinja2.ext.i18n"}},
        )
    }
    keywords = {"gettext": None, "ngettext": (1, 2)}
    for module in ("summary.py", "printing.py"):
        path = SRC / "workflow" / module
        found |= {m for _, m, _, _ in extract_from_file("python", path, keywords=keywords)}
    return found


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_message_is_translated_with_its_placeholders(language):
    with catalogue_path(language).open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    used = used_messages()
    assert len(used) >= 15
    for message in used:
        entry = catalogue.get(message[0] if isinstance(message, tuple) else message)
        assert entry is not None and not entry.fuzzy, f"{language}: {message!r} untranslated"
        english = message if isinstance(message, tuple) else (message,)
        translated = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(translated), (language, message)
        for source, text in zip(english * 2, translated, strict=False):
            assert re.findall(r"%\(\w+\)d|%\(\w+\)s", text) == re.findall(
                r"%\(\w+\)d|%\(\w+\)s", source
            ), (language, message, text)
        if not (language == "fr" and message in SAME_IN_FRENCH):
            assert translated[0] != english[0], f"{language}: {message!r} left in English"


def test_dates_are_written_the_local_way():
    assert long_date(DAY, "nl") == "donderdag 3 december 2026"
    assert long_date(DAY, "fr") == "jeudi 3 décembre 2026"
    assert long_date(DAY, "en") == "Thursday, 3 December 2026"
    with pytest.raises(InputError, match=r"^--language: expected one of nl, fr, en \(got 'de'\)$"):
        long_date(DAY, "de")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Tafelschikking", "Tafel T1", "Waar zit ik?", "donderdag 3 december 2026",
                "19 personen", "4 tafels", "gastheer", "voorlopig plan"]),
        ("fr", ["Plan de table", "Table T1", "Où est ma place\u00a0?", "jeudi 3 décembre 2026",
                "19 personnes", "4 tables", "hôte", "plan provisoire"]),
        ("en", ["Table plan", "Table T1", "Where do I sit?", "Thursday, 3 December 2026",
                "19 people", "4 tables", "host", "draft plan"]),
    ],
)  # fmt: skip
def test_the_plan_prints_in_the_language(language, words):
    draft, members = sample(19)
    html = render_plan(dinner_view(draft, members, title="Club", language=language))
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html, word
    organiser, guests = html.split('<section class="where-section guests-page">')
    assert words[-1] in organiser and words[-1] not in guests  # no "draft" for the guests
    assert "draft" not in guests and words[3] in guests  # but the date is there


def test_a_translated_sentence_still_escapes_what_it_holds():
    draft, members = sample(7)
    evil = Draft(
        date=DAY,
        tables=[DraftTable(id="<b>T</b>", capacity=9, members=[t for t in draft.table_of()])],
    )
    for language in LOCALES:
        view = dinner_view(evil, members, title="<i>Club</i>", language=language)
        for html in (render_plan(view), render_cards(view), render_tents(view)):
            assert "<b>T</b>" not in html and "<script" not in html and "<i>Club" not in html
            assert "&lt;b&gt;T&lt;/b&gt;" in html


def test_place_and_tent_cards_are_grouped_by_table_then_by_name():
    draft, members = sample(19)
    view = dinner_view(draft, members, title="Club", language="nl")
    order = [t.id for t in draft.tables]
    cards = view.cards
    assert sorted(s.member for s in cards) == sorted(draft.table_of())
    positions = [order.index(s.table) for s in cards]
    assert positions == sorted(positions)
    for table in order:
        names = [s.name for s in cards if s.table == table]
        assert names == sorted(names, key=sort_key)
    tents = render_tents(view)
    assert view.tent_pages == [cards[k : k + 2] for k in range(0, 19, 2)]
    assert tents.count('class="sheet"') == math.ceil(19 / TENTS_PER_PAGE)
    assert tents.count('class="tent"') == 19
    assert tents.count('class="side back"') == tents.count('class="side front"') == 19
    members_in_order = re.findall(r'class="tent" data-member="([^"]+)"', tents)
    assert members_in_order == [s.member for s in cards]


def test_the_summary_line_speaks_the_clubs_language():
    problem, result = summary_case([["a", "b", "e"], ["c", "d"]])
    assert plain_summary(problem, result, language="nl") == (
        "2 nieuwe gesprekken, 2 duo's zitten opnieuw samen (geen van de vorige keer)"
    )
    assert plain_summary(problem, result, language="fr") == (
        "2 nouvelles conversations, 2 binômes se retrouvent (aucun de la dernière fois)"
    )
    problem, result = summary_case([["a", "c"], ["b", "e"]])
    assert plain_summary(problem, result, language="nl") == (
        "1 nieuw gesprek, 1 duo zit opnieuw samen (1 van de vorige keer)"
    )
    assert plain_summary(problem, result, language="fr") == (
        "1 nouvelle conversation, 1 binôme se retrouve (1 de la dernière fois)"
    )
    problem, result = summary_case([["a", "e"]])
    assert plain_summary(problem, result, language="fr") == (
        "1 nouvelle conversation, 0 binôme se retrouve"  # French counts 0 as singular
    )
    assert plain_summary(problem, Result(status=Status.INFEASIBLE), language="nl") == "geen plan"


def test_with_a_language_rule_the_summary_says_whether_every_table_shares_one():
    problem, result = summary_case([["a", "b"], ["c", "d", "e"]])
    speaks = {"a": ["nl"], "b": ["nl", "fr"], "c": ["fr"], "d": ["en"], "e": []}
    members = [Member(id=m, languages=speaks[m]) for m in speaks]
    problem = problem.model_copy(update={"members": members})
    assert "language" not in plain_summary(problem, result)  # no language rule: not a word
    ruled = problem.model_copy(update={"rules": problem.rules.model_copy(update={"language": 1})})
    # The rule "1 table mate" holds for everyone (e speaks any language): said so, not as
    # tables without a shared language, which reads as a broken rule.
    assert plain_summary(ruled, result).endswith(
        ", everyone has a table mate who speaks their language"
    )
    assert plain_summary(ruled, result, language="nl").endswith(
        ", iedereen heeft een tafelgenoot die dezelfde taal spreekt"
    )
    two = ruled.model_copy(update={"rules": ruled.rules.model_copy(update={"language": 2})})
    assert plain_summary(two, result).endswith(
        ", 4 people have fewer than 2 table mates who speak their language"
    )  # a and b are two at their table; c and d share a language with e only
    assert plain_summary(two, result, language="fr").endswith(
        ", 4 personnes ont moins de 2 voisins de table qui parlent leur langue"
    )
    ruled = ruled.model_copy(update={"rules": ruled.rules.model_copy(update={"language": "table"})})
    assert plain_summary(ruled, result).endswith(", 1 of 2 tables shares a language")
    assert plain_summary(ruled, result, language="nl").endswith(
        ", 1 van de 2 tafels heeft een gemeenschappelijke taal"
    )
    speaks["d"] = ["fr", "en"]
    members = [Member(id=m, languages=speaks[m]) for m in speaks]
    ruled = ruled.model_copy(update={"members": members})
    assert plain_summary(ruled, result).endswith(", every table shares a language")
    assert plain_summary(ruled, result, language="fr").endswith(
        ", une langue commune à chaque table"
    )


# -- PDF and a real browser ----------------------------------------------------------------


def pdf_pages(raw: bytes) -> tuple[int, float, float]:
    """Pages of a PDF and the size of the first, in points."""
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", raw))
    size = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", raw)
    assert size is not None
    return pages, float(size.group(1)), float(size.group(2))


def test_tent_cards_and_the_dutch_plan_print_to_a4_pdf(tmp_path):
    browser = chromium()
    draft, members = sample(7)
    view = dinner_view(draft, members, title="Club", language="nl")
    raw = to_pdf(render_tents(view), browser=browser)
    assert raw.startswith(b"%PDF")
    pages, width, height = pdf_pages(raw)
    assert pages == math.ceil(7 / TENTS_PER_PAGE) == 4
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
    pages, _, _ = pdf_pages(to_pdf(render_plan(view), browser=browser))
    assert pages == 2  # the organiser's page, then the guests' page

    plan = tmp_path / "plan.html"
    plan.write_text(render_plan(view), encoding="utf-8")
    shown = browse(tmp_path, "--dump-dom", plan.as_uri())
    dom = DomReader()
    dom.feed(shown.stdout)
    assert dom.tags.get("script", 0) == 0
    (guests,) = dom.texts["guests-page"]
    assert "Waar zit ik?" in guests and "donderdag 3 december 2026" in guests
    assert "voorlopig" not in guests and "voorlopig plan" in dom.texts["organiser-page"][0]
    assert EVIL in guests  # as text

    tents = tmp_path / "tents.html"
    tents.write_text(render_tents(view), encoding="utf-8")
    tent_dom = DomReader()
    tent_dom.feed(browse(tmp_path, "--dump-dom", tents.as_uri()).stdout)
    assert [t.strip() for t in tent_dom.texts["name"]] == [s.name for s in view.cards for _ in "ab"]


def test_no_browser_is_one_line(tmp_path):
    with pytest.raises(PdfError, match=r"^print to PDF: cannot run /nonexistent/chromium"):
        to_pdf("<p>x</p>", browser="/nonexistent/chromium")


# -- the command line ----------------------------------------------------------------------


@pytest.fixture
def club(tmp_path) -> Path:
    """A club of six, p1 a host, a draft for 2026-03-05 with p2 and p3 at table A."""
    with small_store(tmp_path, 6, hosts=("p1",)) as store:
        store.import_members([ClubMember(id="p2", name="Élise Dubois")])
        store.save_draft(
            Draft(
                date=dt.date(2026, 3, 5),
                tables=[
                    DraftTable(id="A", capacity=3, host="p1", members=["p1", "p2", "p3"]),
                    DraftTable(id="B", capacity=3, members=["p4", "p5", "p6"]),
                ],
            )
        )
    return tmp_path / "small.db"


def test_print_in_the_clubs_language_or_another_and_warn_for_new_rules(club, tmp_path):
    ok("club", "settings", "--language", "fr", "--db", club)
    printed = ok("club", "print", "--out", tmp_path / "p", "--db", club)
    assert printed.stderr == ""
    plan = (tmp_path / "p" / "dinner-2026-03-05.html").read_text(encoding="utf-8")
    assert "jeudi 5 mars 2026" in plan and "Où est ma place" in plan
    assert "<h1>Dîner du club</h1>" in plan and "Club dinner" not in plan  # no name set
    assert "6 tent cards on 3 A4 pages" in printed.stdout
    cards = (tmp_path / "p" / "tent-cards-2026-03-05.html").read_text(encoding="utf-8")
    assert "Élise Dubois" in cards and "Table A" in cards

    ok("club", "settings", "--apart", "p2,p3", "--apart", "p4,p5", "--db", club)
    dutch = ok("club", "print", "--language", "nl", "--out", tmp_path / "nl", "--db", club)
    assert "Tafel A" in (tmp_path / "nl" / "place-cards-2026-03-05.html").read_text("utf-8")
    warnings = dutch.stderr.strip().splitlines()
    assert warnings == [
        "warning: the draft breaks a rule now: 2 pairs may not sit together (apart or "
        "cooldown): p2 (Élise Dubois) and p3 (Person 3); p4 (Person 4) and p5 (Person 5)"
    ]
    one_line_error(run("club", "print", "--language", "de", "--db", club), 2, "--language", "'de'")

    recorded = ok("club", "record", "--allow-future", "--db", club)
    assert recorded.stderr.strip().splitlines() == warnings  # record warns the same way
    assert recorded.stdout.startswith("recorded the dinner of 2026-03-05")


def test_the_summary_line_is_in_the_clubs_language_and_the_status_behind_verbose(club):
    ok("club", "settings", "--language", "nl", "--db", club)
    shown = ok("club", "show", "--db", club)
    assert "status" not in shown.stdout and "objective" not in shown.stdout
    assert "nieuwe gesprekken" in shown.stdout
    verbose = ok("club", "show", "--verbose", "--db", club)
    assert re.search(r"status feasible, objective \d", verbose.stdout)
    planned = ok("club", "plan", "--date", "2026-04-02", "--table-sizes", "3", "--seed", "1",
                 "--time-limit", "2", "--method", "cpsat", "--db", club)  # fmt: skip
    assert "status" not in planned.stdout and "nieuwe gesprekken" in planned.stdout


def test_a_tent_card_shows_the_name_on_both_halves_one_upside_down(tmp_path):
    """Look at the page: a screenshot of the first tent card, its upper half turned by 180
    degrees is its lower half (the names read the right way up on both sides once folded)."""
    import numpy as np
    from PIL import Image

    chromium()
    draft, members = sample(4)
    view = dinner_view(draft, members, title="Club", language="fr")
    tents = tmp_path / "tents.html"
    tents.write_text(render_tents(view), encoding="utf-8")
    shot = tmp_path / "tents.png"
    browse(tmp_path, "--hide-scrollbars", "--window-size=794,1200", f"--screenshot={shot}",
           tents.as_uri())  # fmt: skip
    pixels = np.asarray(Image.open(shot).convert("L")).astype(int)
    top = int(np.argmax(pixels[:, 5] == 255))  # the sheet starts below the screen's margin
    half = int(148.5 / 25.4 * 96 / 2)  # half a tent (74.25 mm) at 96 pixels per inch
    upper = pixels[top : top + half][::-1, ::-1] < 128  # turned the right way up
    lower = pixels[top + half + 1 : top + 2 * half + 1] < 128
    ink = min(upper.sum(), lower.sum())
    assert ink > 1000, "a half of the tent card is blank"
    differ = min(int((upper ^ np.roll(lower, s, axis=0)).sum()) for s in range(-2, 3))
    assert differ < 0.15 * ink, (differ, ink)
    unturned = pixels[top : top + half] < 128
    assert int((unturned ^ lower).sum()) > 0.5 * ink  # not the same way up: it is turned


def test_print_pdf_writes_every_page_or_nothing(club, tmp_path, monkeypatch):
    chromium()
    printed = ok("club", "print", "--pdf", "--out", tmp_path / "pdf", "--db", club)
    assert printed.stdout.rstrip().endswith(", and each as .pdf")
    for name, pages in (("dinner", 2), ("place-cards", 1), ("tent-cards", 3)):
        raw = (tmp_path / "pdf" / f"{name}-2026-03-05.pdf").read_bytes()
        assert pdf_pages(raw)[0] == pages, name
    monkeypatch.setenv("SEATING_CHROMIUM", str(tmp_path / "no-such-browser"))
    failed = run("club", "print", "--pdf", "--out", tmp_path / "none", "--db", club)
    one_line_error(failed, 2, "print to PDF: cannot run", "no-such-browser")
    assert not (tmp_path / "none").exists()  # no half set of files
