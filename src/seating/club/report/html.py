"""HTML for one dinner: the table-by-table plan with a "where do I sit" page for the guests,
place cards, and fold-over tent cards, in Dutch, French or English.

Rendered with Jinja2 templates shipped in ``seating/club/report/templates``, their words from
the gettext catalogues of :mod:`seating.club.report.i18n` (Jinja2's i18n extension) and their
dates written the local way. Autoescaping is on for every template, so any name, company or
table id is printed as text (a member called ``<script>`` shows up as exactly that), also
inside a translated sentence. Undefined variables are errors, not blanks.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from seating.club.records import ClubMember, Draft, RecordedDinner
from seating.club.report.i18n import check_language, long_date, translations

CARDS_PER_PAGE = 8
"""Place cards per A4 sheet: two columns of four cards of 105 x 74 mm."""

TENTS_PER_PAGE = 2
"""Fold-over tent cards per A4 sheet: two of 210 x 148 mm, each folded in half along its
length into a tent of 210 x 74 mm that shows the name on both sides."""


@dataclass(frozen=True)
class SeatView:
    """One attendee as printed: ``table`` of the first course, ``tables`` of every course
    (one entry for a dinner of one course)."""

    member: str
    name: str
    company: str
    table: str
    host: bool = False
    guest_of: str = ""
    """For a guest: the name of the member who invited them."""
    tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableView:
    """One table as printed."""

    id: str
    capacity: int | None
    seats: tuple[SeatView, ...]


@dataclass(frozen=True)
class DinnerView:
    """Everything the templates print about one dinner: ``tables`` of the first course (the
    cards are put out on them), ``courses`` the tables of every course where the dinner has
    several (empty otherwise)."""

    title: str
    date: dt.date
    state: str
    tables: tuple[TableView, ...]
    language: str = "en"
    courses: tuple[tuple[TableView, ...], ...] = ()

    @property
    def seats(self) -> list[SeatView]:
        """Every attendee, alphabetical by name (accents and case ignored)."""
        everyone = [s for t in self.tables for s in t.seats]
        return sorted(everyone, key=lambda s: (sort_key(s.name), s.member))

    @property
    def cards(self) -> list[SeatView]:
        """Every attendee grouped by table (in the plan's order), then by name: the order in
        which the cards are put out on the tables."""
        return [
            s
            for t in self.tables
            for s in sorted(t.seats, key=lambda s: (sort_key(s.name), s.member))
        ]

    @property
    def pages(self) -> list[list[SeatView]]:
        """The place cards, :data:`CARDS_PER_PAGE` per sheet, grouped by table."""
        return _sheets(self.cards, CARDS_PER_PAGE)

    @property
    def num_pages(self) -> int:
        return len(self.pages)

    @property
    def tent_pages(self) -> list[list[SeatView]]:
        """The tent cards, :data:`TENTS_PER_PAGE` per sheet, grouped by table."""
        return _sheets(self.cards, TENTS_PER_PAGE)


def _sheets(seats: list[SeatView], per_sheet: int) -> list[list[SeatView]]:
    """``seats`` cut into sheets of ``per_sheet``; one empty sheet when there are none."""
    return [seats[k : k + per_sheet] for k in range(0, len(seats), per_sheet)] or [[]]


def sort_key(name: str) -> str:
    """Alphabetical order a person expects: accents and case ignored (É sorts with E)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def dinner_view(
    dinner: Draft | RecordedDinner,
    members: Mapping[str, ClubMember],
    *,
    title: str,
    language: str = "en",
) -> DinnerView:
    """The printable view of a draft plan or a recorded dinner, printed in ``language``
    (``nl``, ``fr`` or ``en``; see :mod:`seating.club.report.i18n`)."""
    check_language(language)
    state = "draft plan" if isinstance(dinner, Draft) else "as recorded"
    seated = dinner.course_tables() if isinstance(dinner, Draft) else dinner.courses
    where: dict[str, list[str]] = {}
    for tables in seated:
        for table in tables:
            for member in table.members:
                where.setdefault(member, []).append(table.id)
    courses = []
    for course in seated:
        views = []
        for table in course:
            seats = []
            for member in table.members:
                known = members.get(member)
                seats.append(
                    SeatView(
                        member=member,
                        name=known.display_name if known else member,
                        company=(known.company or "") if known else "",
                        table=table.id,
                        host=member == table.host,
                        guest_of=_inviter(known, members),
                        tables=tuple(where[member]),
                    )
                )
            # The host first, then the others alphabetically: the order people are introduced.
            seats.sort(key=lambda s: (not s.host, sort_key(s.name)))
            views.append(TableView(table.id, table.capacity, tuple(seats)))
        courses.append(tuple(views))
    return DinnerView(
        title=title,
        date=dinner.date,
        state=state,
        tables=courses[0] if courses else (),
        language=language,
        courses=tuple(courses) if len(courses) > 1 else (),
    )


def _inviter(member: ClubMember | None, members: Mapping[str, ClubMember]) -> str:
    """The name of the member who invited ``member``, or nothing."""
    if member is None or member.guest_of is None:
        return ""
    inviter = members.get(member.guest_of)
    return inviter.display_name if inviter else member.guest_of


@cache
def environment(language: str = "en") -> Environment:
    """The Jinja2 environment of ``language``: package templates, the language's catalogue
    (new-style gettext: a translated sentence escapes the names put into it), autoescape
    always on, strict undefined."""
    env = Environment(
        loader=PackageLoader("seating.club.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["longdate"] = lambda d: long_date(d, language)
    env.globals["language"] = language
    return env


def render_plan(view: DinnerView) -> str:
    """The HTML page of a dinner: the tables one by one, then, on a page of its own for the
    guests, "where do I sit" A to Z (without the word draft: the guests see their seat)."""
    return environment(view.language).get_template("plan.html.j2").render(dinner=view)


def render_cards(view: DinnerView) -> str:
    """Place cards on A4, :data:`CARDS_PER_PAGE` per sheet: name, company and table, grouped
    by table."""
    return environment(view.language).get_template("cards.html.j2").render(dinner=view)


def render_tents(view: DinnerView) -> str:
    """Fold-over tent cards on A4, :data:`TENTS_PER_PAGE` per sheet, grouped by table: the
    name on both halves (the upper one upside down, so both sides read once folded)."""
    return environment(view.language).get_template("tents.html.j2").render(dinner=view)


def plan_names(view: DinnerView) -> Sequence[str]:
    """Every attendee's name in the order of the "where do I sit" list."""
    return [s.name for s in view.seats]
