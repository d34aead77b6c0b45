"""HTML for one dinner: the table-by-table plan with a "where do I sit" list, and place cards.

Rendered with Jinja2 templates shipped in ``seating/report/templates``. Autoescaping is on for
every template, so any name, company or table id is printed as text (a member called
``<script>`` shows up as exactly that). Undefined variables are errors, not blanks.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from seating.club.records import ClubMember, Draft, RecordedDinner

CARDS_PER_PAGE = 8
"""Place cards per A4 sheet: two columns of four cards of 105 x 74 mm."""


@dataclass(frozen=True)
class SeatView:
    """One attendee as printed."""

    member: str
    name: str
    company: str
    table: str
    host: bool = False


@dataclass(frozen=True)
class TableView:
    """One table as printed."""

    id: str
    capacity: int | None
    seats: tuple[SeatView, ...]


@dataclass(frozen=True)
class DinnerView:
    """Everything the templates print about one dinner."""

    title: str
    date: dt.date
    state: str
    tables: tuple[TableView, ...]

    @property
    def seats(self) -> list[SeatView]:
        """Every attendee, alphabetical by name (accents and case ignored)."""
        everyone = [s for t in self.tables for s in t.seats]
        return sorted(everyone, key=lambda s: (sort_key(s.name), s.member))

    @property
    def pages(self) -> list[list[SeatView]]:
        """The place cards, :data:`CARDS_PER_PAGE` per sheet, in alphabetical order."""
        seats = self.seats
        return [seats[k : k + CARDS_PER_PAGE] for k in range(0, len(seats), CARDS_PER_PAGE)] or [[]]

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(len(self.seats) / CARDS_PER_PAGE))


def sort_key(name: str) -> str:
    """Alphabetical order a person expects: accents and case ignored (É sorts with E)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def dinner_view(
    dinner: Draft | RecordedDinner,
    members: Mapping[str, ClubMember],
    *,
    title: str,
) -> DinnerView:
    """The printable view of a draft plan or a recorded dinner."""
    state = "draft plan" if isinstance(dinner, Draft) else "as recorded"
    tables = []
    for table in dinner.tables:
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
                )
            )
        # The host first, then the others alphabetically: the order people are introduced.
        seats.sort(key=lambda s: (not s.host, sort_key(s.name)))
        tables.append(TableView(table.id, table.capacity, tuple(seats)))
    return DinnerView(title=title, date=dinner.date, state=state, tables=tuple(tables))


@cache
def environment() -> Environment:
    """The Jinja2 environment: package templates, autoescape always on, strict undefined."""
    env = Environment(
        loader=PackageLoader("seating.club.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["longdate"] = lambda d: f"{d:%A} {d.day} {d:%B %Y}"
    return env


def render_plan(view: DinnerView) -> str:
    """The HTML page of a dinner: the tables one by one, then "where do I sit" A to Z."""
    return environment().get_template("plan.html.j2").render(dinner=view)


def render_cards(view: DinnerView) -> str:
    """Place cards on A4, :data:`CARDS_PER_PAGE` per sheet: name, company and table."""
    return environment().get_template("cards.html.j2").render(dinner=view)


def plan_names(view: DinnerView) -> Sequence[str]:
    """Every attendee's name in the order of the "where do I sit" list."""
    return [s.name for s in view.seats]
