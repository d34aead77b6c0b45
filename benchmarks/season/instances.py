"""The season benchmark instances: classic Social Golfer ones and a club season.

Peer figures are Good-Enough Golfers' repeats as measured in the issue ("Plan a season"), on a
2-core machine; ``None`` where the issue gives none.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from seating.models import Dinner, ProblemInput, Table
from seating.policies.synthetic import synthetic_club
from seating.season.golf import golf_problem


@dataclass(frozen=True)
class Instance:
    name: str
    problem: ProblemInput
    time_limit: float
    peer: str | None = None
    target: str = ""


def golf(g: int, s: int, w: int, time_limit: float, peer: str | None, target: str,
         players: int | None = None) -> Instance:  # fmt: skip
    name = f"{g}-{s}-{w}" + (f" ({players} players)" if players else "")
    return Instance(name, golf_problem(g, s, w, players=players), time_limit, peer, target)


def club_season(
    members: int = 150,
    dinners: int = 12,
    attendance: float = 0.6,
    history: int = 12,
    table_size: int = 8,
    seed: int = 0,
) -> ProblemInput:
    """A club of ``members`` with ``history`` random past dinners and ``dinners`` to plan, each
    attended by a random ``attendance`` share, at tables of ``table_size`` (one per company)."""
    base = synthetic_club(
        members, num_history=history, attendance=attendance, table_sizes=(table_size,),
        num_hosts=0, seed=seed,
    )  # fmt: skip
    rng = np.random.default_rng(seed + 1)
    ids = [m.id for m in base.members]
    first = base.dinners[0].date
    planned = []
    for k in range(dinners):
        count = round(attendance * members)
        present = sorted(rng.choice(ids, size=count, replace=False).tolist())
        tables = [
            Table(id=f"T{t + 1}", capacity=table_size) for t in range(math.ceil(count / table_size))
        ]
        date = first + dt.timedelta(days=28 * k)
        planned.append(Dinner(date=date, attendees=present, tables=tables))
    return base.model_copy(update={"dinners": planned})


def instances() -> list[Instance]:
    """Every benchmark instance with its time limit, peer figure and target."""
    return [
        golf(5, 3, 7, 1.0, "6-8", "0 in < 1 s"),
        golf(4, 4, 5, 1.0, "8", "0 in < 1 s"),
        golf(6, 3, 8, 1.0, "7-8", "0 in < 1 s"),
        golf(8, 4, 9, 10.0, "15-22", "0 in < 10 s"),
        golf(8, 4, 10, 10.0, "29-36", "0 in < 10 s"),
        golf(7, 7, 8, 10.0, "154-177", "0 in < 10 s"),
        golf(10, 10, 4, 10.0, "19-24", "0 in < 10 s"),
        golf(10, 4, 13, 10.0, "60-61", "0 in < 10 s"),
        golf(8, 4, 12, 10.0, "85-87", "<= 81"),
        golf(7, 7, 10, 10.0, "400-414, a pair 3x", "<= 325, no pair 3x", players=50),
        Instance("club 150, 12 dinners, 60 %", club_season(), 30.0, None, "<= 1.05 x bound"),
        Instance(
            "club 150, 12 dinners, no history",
            club_season(history=0),
            30.0,
            None,
            "<= 1.05 x bound",
        ),
    ]
