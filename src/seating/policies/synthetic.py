"""Synthetic clubs for the demo, the benchmarks and the tests (deterministic per seed)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from seating.models import Dinner, Member, PastDinner, Policy, ProblemInput, Rules, Table

_FIRST = (
    "An",
    "Bart",
    "Carla",
    "Dirk",
    "Els",
    "Filip",
    "Greet",
    "Hans",
    "Ilse",
    "Jan",
    "Katrien",
    "Luc",
    "Marie",
    "Nico",
    "Olga",
    "Pieter",
    "Quinten",
    "Rita",
    "Sofie",
    "Tom",
    "Ursula",
    "Vincent",
    "Wendy",
    "Xavier",
    "Yasmine",
    "Zeno",
    "Amira",
    "Bram",
    "Chloe",
    "Daan",
    "Emma",
    "Femke",
    "Gert",
    "Hilde",
    "Ines",
    "Joris",
    "Karel",
    "Lotte",
    "Mathias",
    "Nina",
)
_LAST = (
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De_Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martens",
    "Hermans",
    "Michiels",
    "Leclercq",
    "Desmet",
    "Vermeulen",
    "Van_Damme",
    "Segers",
    "Aerts",
    "Bogaert",
    "Coppens",
    "Declercq",
    "Engels",
    "Fontaine",
    "Geerts",
    "Hendrickx",
    "Lemmens",
)
_INDUSTRIES = (
    "Legal",
    "Finance",
    "IT",
    "Construction",
    "Health",
    "Retail",
    "Logistics",
    "Consulting",
    "Energy",
    "Marketing",
    "Manufacturing",
    "Hospitality",
)
_LANGUAGES = ("nl", "fr", "en", "de")


def synthetic_members(num_members: int, rng: np.random.Generator) -> list[Member]:
    """Members with names, companies (a few shared by 2-3 members), industries, languages."""
    members = []
    num_companies = max(1, int(num_members * 0.8))
    for k in range(num_members):
        company = int(rng.integers(num_companies)) if rng.random() < 0.35 else k % num_companies
        first, last = rng.choice(_FIRST), rng.choice(_LAST).replace("_", " ")
        spoken = [lang for lang in _LANGUAGES if rng.random() < 0.5] or ["en"]
        members.append(
            Member(
                id=f"m{k + 1:03d}",
                name=f"{first} {last}",
                company=f"Company {company + 1:03d}",
                industry=_INDUSTRIES[company % len(_INDUSTRIES)],
                languages=spoken,
            )
        )
    return members


def tables_for(num_attendees: int, sizes: tuple[int, ...] = (10, 8)) -> list[int]:
    """Table capacities, cycling through ``sizes``, until every attendee has a seat."""
    capacities: list[int] = []
    while sum(capacities) < num_attendees:
        capacities.append(sizes[len(capacities) % len(sizes)])
    return capacities


def synthetic_club(
    num_members: int = 120,
    num_history: int = 24,
    attendance: float = 0.65,
    *,
    next_attendees: int | None = None,
    table_sizes: tuple[int, ...] = (10, 8),
    num_hosts: int = 3,
    first_date: dt.date = dt.date(2024, 12, 5),
    seed: int = 0,
) -> ProblemInput:
    """A club with monthly dinners of history and the next dinner to seat.

    Past dinners were seated at random (a club without software), each member attending with
    probability ``attendance``. The next dinner has ``next_attendees`` attendees (default:
    ``attendance`` of the members), tables cycling through ``table_sizes``, and the first
    ``num_hosts`` tables hosted by attending members of different companies.
    """
    rng = np.random.default_rng(seed)
    members = synthetic_members(num_members, rng)
    ids = np.array([m.id for m in members])
    history = []
    for k in range(num_history):
        present = ids[rng.random(num_members) < attendance]
        rng.shuffle(present)
        capacities = tables_for(len(present), table_sizes)
        cuts = np.cumsum(capacities)[:-1]
        seated = [list(map(str, table)) for table in np.split(present, cuts) if len(table)]
        history.append(PastDinner(date=_month(first_date, k), tables=seated))

    count = next_attendees if next_attendees is not None else round(attendance * num_members)
    attendees = sorted(map(str, rng.choice(ids, size=min(count, num_members), replace=False)))
    by_id = {m.id: m for m in members}
    hosts: list[str] = []
    for member in attendees:
        if len(hosts) == num_hosts:
            break
        if all(by_id[h].company != by_id[member].company for h in hosts):
            hosts.append(member)
    tables = [
        Table(id=f"T{t + 1}", capacity=cap, host=hosts[t] if t < len(hosts) else None)
        for t, cap in enumerate(tables_for(len(attendees), table_sizes))
    ]
    dinner = Dinner(date=_month(first_date, num_history), attendees=attendees, tables=tables)
    return ProblemInput(
        members=members,
        history=history,
        dinners=[dinner],
        policy=Policy(repeat_weight=-1.0),
        rules=Rules(max_per_company=1),
    )


def _month(first: dt.date, k: int) -> dt.date:
    month = first.month - 1 + k
    return dt.date(first.year + month // 12, month % 12 + 1, min(first.day, 28))
