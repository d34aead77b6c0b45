"""The values people type in a club's files and options: dates written the local way, yes/no
in Dutch, French or English, a member's status.

Belgian (and most European) spreadsheets write dates day first: ``18/09/2025`` is the 18th of
September. Month-first dates are never guessed; a two-digit year is refused rather than read as
1925 or 2025.
"""

from __future__ import annotations

import datetime as dt
import re

TRUE_WORDS = frozenset(
    {"yes", "y", "true", "1", "x", "host", "ja", "j", "waar", "oui", "o", "vrai", "✓", "✔"}
)
"""A cell meaning yes (en, nl, fr, and the cross people put in a column)."""

FALSE_WORDS = frozenset({"no", "n", "false", "0", "", "nee", "neen", "onwaar", "non", "faux"})
"""A cell meaning no (an empty cell is no)."""

LEFT_WORDS = frozenset(
    {"left", "inactive", "vertrokken", "inactief", "ex-lid", "parti", "partie", "inactif", "ancien"}
)
"""A member's status meaning they left the club."""

ACTIVE_WORDS = frozenset({"active", "", "actief", "lid", "actif", "membre", "member"})
"""A member's status meaning they are still a member."""

DATE_HINT = "YYYY-MM-DD or DD/MM/YYYY"
"""How the date formats are named in messages."""

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


class TypedValueError(ValueError):
    """A typed value is not what the field expects; the message says what was expected."""


def parse_date(text: str) -> dt.date:
    """A date typed as ``YYYY-MM-DD`` or day first (``18/09/2025``, ``18-09-2025``,
    ``18.09.2025``); a time after an Excel date (``2025-09-18 00:00:00``) is ignored.

    Raises
    ------
    TypedValueError
        Another format, or no such day (``31/02/2026``).
    """
    value = text.strip()
    value = re.sub(r"[ T]00:00(:00)?$", "", value)
    if match := _ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DAY_FIRST.fullmatch(value):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise TypedValueError(f"expected a date as {DATE_HINT} (got {text!r})")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise TypedValueError(f"not a real date {text!r} ({exc})") from None


def parse_flag(text: str, *, meaning: str = "yes or no") -> bool:
    """Yes or no as typed: ja/nee, oui/non, yes/no, x, 1/0; empty is no."""
    value = text.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise TypedValueError(f"expected {meaning}, e.g. ja/nee, oui/non (got {text!r})")


def parse_left(text: str) -> bool:
    """Whether a status cell says the member left the club (empty: still a member)."""
    value = text.strip().lower()
    if value in LEFT_WORDS:
        return True
    if value in ACTIVE_WORDS:
        return False
    raise TypedValueError(f"expected active or left (got {text!r})")


_WHOLE = re.compile(r"[0-9]{1,9}")


def parse_count(text: str, low: int, high: int) -> int | None:
    """A whole number typed with the digits 0-9, from ``low`` to ``high``; ``None`` otherwise.

    ``str.isdigit`` also passes ``²`` and other digits ``int`` refuses, and ``int`` refuses
    numbers of more than 4,300 digits: both were tracebacks.
    """
    value = text.strip()
    if not _WHOLE.fullmatch(value):
        return None
    number = int(value)
    return number if low <= number <= high else None
