"""What the LP relaxation says about the club season's repeats: nothing (it stays at 0).

    .venv/bin/python benchmarks/season/lp_bound.py [--limit 30] [--seed 0] [--dinners 12 8 4]

The club season with history ("club 150, 12 dinners, 60 %") has a lower bound of 0 repeats
while every plan found has about 100. This script checks whether the strongest bound we have
for a single dinner could close that gap: it plans the season (``--limit`` seconds), then for
some dinner k takes the history plus the planned dinners before k as given and solves the LP
of dinner k alone with triangle and pigeonhole-clique cuts (``seating.solvers.cpsat.cuts``, the cuts
that let CP-SAT prove 24-attendee dinners optimal), with a repeat costing 1 and a new pair 0.

That LP is a lower bound on the repeats dinner k must have *given the dinners before it*, the
easiest case for a bound; a bound on the whole season can only be weaker. The script prints,
per dinner, the share of attendee pairs that have not met, the repeats the plan has there,
and the LP bound.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seating.compile.problem import compile_dinner
from seating.models import PastDinner
from seating.season.planner import plan_season
from seating.solvers.cpsat.cuts import separate

from instances import club_season


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dinners", type=int, nargs="+", default=[12, 8, 4],
                        help="Dinners to bound, 1-based.")  # fmt: skip
    parser.add_argument("--lp-limit", type=float, default=120.0, help="Seconds per LP.")
    args = parser.parse_args()
    problem = club_season(seed=args.seed)
    result = plan_season(problem, time_limit=args.limit, seed=args.seed)
    print(f"season plan: {result.metrics.repeat_pairs} repeats ({args.limit:g} s, seed "
          f"{args.seed})", flush=True)  # fmt: skip
    planned = [PastDinner(date=d.date, tables=[t.members for t in d.tables])
               for d in result.dinners]  # fmt: skip
    print("| dinner | attendees | pairs not met | plan's repeats there | LP bound | LP s |")
    print("|---|---|---|---|---|---|")
    for k in args.dinners:
        dinner = compile_dinner(problem, k - 1, planned[: k - 1])
        # A pair that met before costs 1, a new pair 0: the repeats the benchmark counts.
        dinner = dataclasses.replace(dinner, weights=(dinner.met_before > 0).astype(np.float64))
        n = dinner.num_attendees
        upper = np.triu_indices(n, 1)
        fresh = float((dinner.met_before[upper] == 0).mean())
        table_of = np.array(
            [next(t for t, table in enumerate(result.dinners[k - 1].tables) if m in table.members)
             for m in dinner.member_ids]
        )  # fmt: skip
        together = table_of[:, None] == table_of[None, :]
        repeats = int((together & (dinner.met_before > 0))[upper].sum())
        started = time.perf_counter()
        cuts = separate(dinner, time_limit=args.lp_limit)
        seconds = time.perf_counter() - started
        bound = "no optimum" if cuts.lp_bound is None else f"{cuts.lp_bound:.2f}"
        print(f"| {k} | {n} | {fresh:.0%} | {repeats} | {bound} | {seconds:.0f} |", flush=True)


if __name__ == "__main__":
    main()
