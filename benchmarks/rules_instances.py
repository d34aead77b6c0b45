"""The benchmark dinners of the table rules (issue 12), deterministic per seed.

The club dinner of issue 12: 80 of 160 members, 30 dinners of history seated at random, 10
tables of 8, 6 hosts of different companies, at most one member per company at a table. Its
members speak the languages of a Brussels club: 15 % only French, 25 % only Dutch, the rest
both (40 %) or one of them with English (10 % each). Every variant has a twin without the
rule (:func:`without`) so that a rule's cost is a ratio within one command.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from seating.models import Member, ProblemInput
from seating.policies.synthetic import synthetic_club

SPOKEN = (
    (0.15, ["fr"]),
    (0.25, ["nl"]),
    (0.40, ["nl", "fr"]),
    (0.10, ["nl", "en"]),
    (0.10, ["fr", "en"]),
)
"""Share of members and the languages they speak."""


def _languages(count: int, rng: np.random.Generator) -> list[list[str]]:
    """Exactly the shares of :data:`SPOKEN` (rounded), shuffled."""
    pool: list[list[str]] = []
    for share, spoken in SPOKEN:
        pool += [spoken] * round(share * count)
    pool += [SPOKEN[2][1]] * (count - len(pool))
    order = rng.permutation(len(pool))
    return [pool[k] for k in order[:count]]


def club_dinner(
    seed: int,
    *,
    num_members: int = 160,
    num_history: int = 30,
    attendees: int = 80,
    hosts: int = 6,
) -> ProblemInput:
    """The club dinner with its members' languages; no table rule yet."""
    base = synthetic_club(
        num_members=num_members,
        num_history=num_history,
        next_attendees=attendees,
        table_sizes=(8,),
        num_hosts=hosts,
        seed=seed,
    )
    rng = np.random.default_rng(10_000 + seed)
    spoken = _languages(len(base.members), rng)
    pairs = zip(base.members, spoken, strict=True)
    members = [m.model_copy(update={"languages": s}) for m, s in pairs]
    return base.model_copy(update={"members": members})


def with_newcomers(problem: ProblemInput, count: int, seed: int) -> ProblemInput:
    """Replace ``count`` attendees who host no table by members who joined after the last
    dinner of the history (no dinners yet: newcomers for any ``newcomer_dinners``)."""
    rng = np.random.default_rng(20_000 + seed)
    dinner = problem.dinners[0]
    hosts = {t.host for t in dinner.tables if t.host}
    attending = [m for m in dinner.attendees or [] if m not in hosts]
    leaving = set(rng.choice(attending, size=count, replace=False).tolist())
    joined = max(d.date for d in problem.history) + dt.timedelta(days=1)
    spoken = _languages(count, rng)
    new = [
        Member(
            id=f"n{k + 1:03d}",
            name=f"Newcomer {k + 1}",
            company=f"New company {k + 1}",
            languages=spoken[k],
            joined=joined,
        )
        for k in range(count)
    ]
    attendees = [m for m in dinner.attendees or [] if m not in leaving] + [m.id for m in new]
    dinners = [dinner.model_copy(update={"attendees": attendees})]
    return problem.model_copy(update={"members": [*problem.members, *new], "dinners": dinners})


def with_rules(problem: ProblemInput, **rules) -> ProblemInput:
    """The same problem with ``rules`` changed (validated again)."""
    data = problem.model_dump(mode="json")
    data["rules"].update(rules)
    return ProblemInput.model_validate(data)


def language_dinner(seed: int) -> tuple[ProblemInput, ProblemInput]:
    """(with ``rules.language = "table"``, without it)."""
    base = club_dinner(seed)
    return with_rules(base, language="table"), base


def newcomer_dinner(seed: int) -> tuple[ProblemInput, ProblemInput]:
    """(8 newcomers with ``newcomer_dinners = 3``, ``max_newcomers_per_table = 1``; the same
    8 members without the rule)."""
    base = with_newcomers(club_dinner(seed), 8, seed)
    return with_rules(base, newcomer_dinners=3, max_newcomers_per_table=1), base


def small_dinner(seed: int) -> ProblemInput:
    """24 of 48 members, 12 dinners of history, 3 tables of 8, 2 hosts, the same languages."""
    return club_dinner(seed, num_members=48, num_history=12, attendees=24, hosts=2)


def exact_variants(seed: int) -> dict[str, ProblemInput]:
    """The 24-attendee dinner with 3 newcomers, without and with each rule of issue 12."""
    base = with_newcomers(small_dinner(seed), 3, seed)
    attendees = list(base.dinners[0].attendees or [])
    hosts = {t.host for t in base.dinners[0].tables if t.host}
    free = [m for m in attendees if m not in hosts and not m.startswith("n")]
    rng = np.random.default_rng(30_000 + seed)
    pick = [str(m) for m in rng.choice(free, size=6, replace=False)]
    guests = {"n001": pick[0], "n002": pick[1]}
    members = [m.model_copy(update={"guest_of": guests.get(m.id)}) for m in base.members]
    data = base.model_copy(update={"members": members}).model_dump(mode="json")
    introduce = [[pick[2], pick[3], 2.0], [pick[4], pick[5], 2.0]]
    return {
        "no rule": base,
        'language "table"': with_rules(base, language="table"),
        "language 2": with_rules(base, language=2),
        "newcomers (3, max 1)": with_rules(base, newcomer_dinners=3, max_newcomers_per_table=1),
        "guests (2)": ProblemInput.model_validate(data),
        "introduce (2 pairs)": ProblemInput.model_validate(
            {
                **base.model_dump(mode="json"),
                "policy": {**base.policy.model_dump(mode="json"), "introduce": introduce},
            }
        ),
        "recent_penalty 2, 2 dinners": ProblemInput.model_validate(
            {
                **base.model_dump(mode="json"),
                "policy": {
                    **base.policy.model_dump(mode="json"),
                    "recent_penalty": 2.0,
                    "recent_dinners": 2,
                },
            }
        ),
    }
