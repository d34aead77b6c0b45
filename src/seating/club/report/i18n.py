"""The club's languages: gettext catalogues (Babel) and dates written the local way.

The print-outs and the organiser's summary line speak Dutch, French or English. English is
the language of the source (no catalogue); Dutch and French come from the ``.po`` catalogues
in ``seating/club/report/locales/<language>/LC_MESSAGES/seating.po``, compiled with Babel when
first used (no build step: a fresh clone prints in Dutch as it is). Dates are Babel's
``format_date`` in the Belgian locale of the language (``donderdag 3 december 2026``).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from seating.errors import InputError

LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB"}
"""The club's languages and the locale that writes their dates (Belgian Dutch and French)."""

DOMAIN = "seating"
LOCALE_DIR = Path(__file__).parent / "locales"


def check_language(language: str) -> str:
    """``language`` if it is one of :data:`LOCALES`, else :class:`InputError` naming it."""
    if language not in LOCALES:
        raise InputError(f"--language: expected one of {', '.join(LOCALES)} (got {language!r})")
    return language


def catalogue_path(language: str) -> Path:
    """The ``.po`` catalogue of ``language`` (nl or fr)."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> NullTranslations:
    """The messages of ``language``: gettext/ngettext as Jinja2's i18n extension calls them.

    Raises
    ------
    InputError
        ``language`` is not one of :data:`LOCALES`.
    """
    check_language(language)
    if language == "en":
        return NullTranslations()
    with catalogue_path(language).open("rb") as handle:
        catalogue = read_po(handle, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def long_date(day: dt.date, language: str) -> str:
    """``day`` in full, the local way: ``donderdag 3 december 2026``, ``jeudi 3 décembre
    2026``, ``Thursday, 3 December 2026``."""
    return format_date(day, format="full", locale=LOCALES[check_language(language)])
