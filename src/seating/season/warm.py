"""Compile the season planner's kernels into numba's disk cache, at install time.

``make demo`` and ``make test`` warmed only the dinner search, so the first ``seating golf``
or ``seating club plan-season`` after installing paid 13-21 s of compiling, whatever its time
limit. :func:`warm_up` runs each compiled piece of the season planner once on a tiny input:
the greedy start, the tabu search (its ``rebuild`` and ``run``) and the cyclic construction.
"""

from __future__ import annotations

import numpy as np

from seating.season.constructions.designs import cyclic_schedule
from seating.season.planner import SeasonSettings, plan_season


def warm_up() -> None:
    """Compile (or load from the cache) every kernel of the season planner."""
    people = [f"p{k}" for k in range(12)]
    tables = [{"id": f"T{t}", "capacity": 4} for t in range(3)]
    dinners = [{"date": f"2027-0{k + 1}-01", "tables": tables} for k in range(3)]
    season = {
        "members": [{"id": p, "company": f"c{k % 5}"} for k, p in enumerate(people)],
        "history": [{"date": "2026-12-01", "tables": [people[:4], people[4:8], people[8:]]}],
        "dinners": dinners,
        "rules": {"max_per_company": 1, "cooldown": 1},
    }
    # Sequential start, then the compiled tabu search for a few iterations.
    plan_season(season, time_limit=60, settings=SeasonSettings(max_iterations=50))
    # A golf shape: the greedy start (with the compiled greedy) and the tabu search.
    golf = {"members": [{"id": p} for p in people], "dinners": dinners}
    plan_season(golf, time_limit=60, settings=SeasonSettings(max_iterations=50))
    cyclic_schedule(3, 3, 3, iterations=10, seed=int(np.int64(0)))
