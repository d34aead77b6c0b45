"""The web app in Dutch, French and English: every string of the pages has a translation in
both catalogues, and a page speaks the language chosen (``?lang=``, then the browser's cookie,
then the club's setting)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from web_helpers import Client, message

import seating.web
from seating.club.report.i18n import catalogue_path
from seating.club.store import ClubStore
from seating.web.common import LANG_COOKIE

WEB = Path(seating.web.__file__).parent
DYNAMIC = ["new", "updated", "unchanged", "error", "running", "done", "failed"]
"""msgids the templates translate through a variable (``_(what)``, ``_(job.state)``)."""

BLANK = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _msgids() -> list[str | tuple[str, str]]:
    """Every msgid of the templates and the web modules, as Babel extracts them."""
    method_map = [("templates/**.j2", "jinja2.ext:babel_extract"), ("*.py", "python")]
    options = {"templates/**.j2": {"extensions": "jinja2.ext.i18n"}}
    found = extract_from_dir(str(WEB), method_map, options_map=options)
    return [*dict.fromkeys(msgid for _, _, msgid, _, _ in found), *DYNAMIC]


def test_extraction_finds_the_pages_strings():
    ids = _msgids()
    # The templates, the web modules' messages and the live rule check's sentence all count.
    assert "Next dinner" in ids and "pinned %(member)s to %(table)s" in ids
    assert "{name} → {table}: every rule holds with nobody else moved." in ids
    assert len(ids) > 150


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_string_of_the_pages_has_a_translation(language: str):
    with catalogue_path(language).open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    missing, blanks = [], []
    for msgid in _msgids():
        key = msgid if isinstance(msgid, str) else msgid[0]
        entry = catalogue.get(key)
        strings = [entry.string] if entry and isinstance(entry.string, str) else []
        if entry and not isinstance(entry.string, str):
            strings = list(entry.string)
        if not strings or not all(strings):
            missing.append(key)
        elif any(sorted(BLANK.findall(s)) != sorted(BLANK.findall(key)) for s in strings[:1]):
            blanks.append(key)  # a translation that drops or renames a blank breaks the page
    assert missing == [], f"untranslated in {language}: {missing}"
    assert blanks == [], f"blanks differ in {language}: {blanks}"


def test_lang_picks_the_language_and_the_cookie_keeps_it(imported: Client):
    french = imported.get("/members?lang=fr")
    assert french.cookies.get(LANG_COOKIE) == "fr" or imported.cookies.get(LANG_COOKIE) == "fr"
    assert '<html lang="fr">' in french.text
    assert "Importer des membres" in french.text and "Import members" not in french.text
    # The next page, without ?lang=, stays French: the browser's choice is kept.
    dinner = imported.get("/dinner")
    assert "Prochain dîner" in dinner.text and "Who comes" not in dinner.text
    dutch = imported.get("/history?lang=nl")
    assert "Vastgelegde diners" in dutch.text and "Recorded dinners" not in dutch.text
    english = imported.get("/members?lang=en")
    assert "Import members" in english.text and "Importer des membres" not in english.text


def test_an_unknown_lang_is_ignored(imported: Client):
    page = imported.get("/members?lang=xx")
    assert page.status_code == 200 and "Import members" in page.text
    assert LANG_COOKIE not in imported.cookies


def test_without_a_choice_the_pages_speak_the_clubs_language(imported: Client):
    with ClubStore(imported.app.app.state.web.db) as store:
        store.save_settings(language="nl")
    page = imported.get("/members")
    assert '<html lang="nl">' in page.text and "Leden importeren" in page.text


def test_the_messages_of_the_web_layer_speak_the_language_too(imported: Client, club):
    preview = imported.upload("/members/preview?lang=fr", club["members"])
    assert "Aperçu de l'import" in preview.text
    key = re.search(r'name="key" value="([^"]+)"', preview.text)
    assert key, preview.text
    imported.cookies.set(LANG_COOKIE, "fr")
    said = message(imported.form("/members/import", {"key": key.group(1)}))
    assert re.fullmatch(r"\S+ : 14 membres ; 0 ajoutés, 0 mis à jour, 14 inchangés", said), said
    nothing = message(imported.form("/members/import", {"key": key.group(1)}))
    assert nothing == "l'aperçu a expiré : chargez à nouveau le fichier"
