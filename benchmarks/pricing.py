"""Where the pricing search of column generation spends its nodes (issue 15), machine-free.

    .venv/bin/python benchmarks/pricing.py [--instances dinner80 dinner80x8] [--seeds 0 1]
        [--rounds 40 50] [--limits 1000 10000 50000 100000 200000]

Per instance and seed: the local search's plan (a fixed number of cycles, so the plan and
everything after it are the same on every machine), then column generation for ``--rounds``
rounds; at the duals of its best bound, each table type is priced

- from scratch (the search as column generation runs it: threshold 0), its nodes and minimum;
- with ``--limits`` nodes: the least value found by then (how soon the cheapest table is found);
- with the minimum itself as the threshold (a perfect incumbent): the nodes the proof alone
  takes.

When the proof alone takes nearly all the nodes, a better start (heuristics, incumbents) cannot
speed pricing up; only a tighter completion bound can. Node counts do not depend on the load.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seating.compile.problem import check_references, compile_dinner
from seating.solvers.colgen.bound import column_generation
from seating.solvers.colgen.tables import Pricing
from seating.solvers.local.search import LocalSearchSettings, solve_local
from seating.stop import Stop

from instances import INSTANCES

ALL_NODES = 50_000_000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", nargs="+", default=["dinner80", "dinner80x8"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--rounds", type=int, nargs="+", default=[40, 50])
    parser.add_argument(
        "--limits", type=int, nargs="+", default=[1_000, 10_000, 50_000, 100_000, 200_000]
    )
    args = parser.parse_args(argv)
    print(
        "| instance | seed | rounds | type (seats x count, host) | nodes | minimum "
        + " ".join(f"| least in {n:,} nodes" for n in args.limits)
        + " | nodes of the proof alone |"
    )
    print("|---|---|---|---|---|---" + "|---" * len(args.limits) + "|---|")
    for name in args.instances:
        for seed in args.seeds:
            problem = INSTANCES[name].problem(seed)
            check_references(problem)
            dinner = compile_dinner(problem)
            local = solve_local(
                dinner, seed=seed, settings=LocalSearchSettings(max_cycles=20, patience=5)
            )
            pricing = Pricing(dinner)
            for rounds in args.rounds:
                found = column_generation(
                    dinner,
                    local.table_of,
                    Stop(),
                    upper=local.objective,
                    max_rounds=rounds,
                    pricing=pricing,
                )
                if found.pi is None:
                    continue
                for kind in pricing.types:
                    _, _, best, nodes = pricing.search(kind, found.pi, 0.0, node_limit=ALL_NODES)
                    early = [
                        pricing.search(kind, found.pi, 0.0, node_limit=n)[2] for n in args.limits
                    ]
                    proof = pricing.search(kind, found.pi, best + 1e-6, node_limit=ALL_NODES)[3]
                    host = "host" if kind.fixed else "free"
                    print(
                        f"| {name} | {seed} | {found.rounds} "
                        f"| {kind.capacity} x {kind.count}, {host} | {nodes:,} | {best:.2f} "
                        + " ".join(f"| {v:.2f}" for v in early)
                        + f" | {proof:,} |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
