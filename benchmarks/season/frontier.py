"""Classic Social Golfer instances beyond the issue's list: where the planner stands.

    .venv/bin/python benchmarks/season/frontier.py [--seeds 3] [--limit 5]

For each g-s-w: the most rounds a repeat-free schedule can have by counting, whether one is
known to exist (from the design-theory literature, as noted), and the planner's repeats
(median, min-max over seeds) at ``--limit`` seconds with how the start was found. A row with
"known: yes" and repeats above 0 is a gap to close.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from seating.season.constructions.designs import max_rounds
from seating.season.golf import golf_problem
from seating.season.planner import plan_season

# (g, s, w, whether a repeat-free schedule exists, as far as we can vouch for it)
CASES = [
    (5, 5, 6, "yes: affine plane AG(2,5)"),
    (6, 6, 3, "yes: a Latin square of order 6"),
    (6, 6, 4, "no: no two orthogonal Latin squares of order 6 (Tarry)"),
    (4, 3, 5, "no: no Kirkman or nearly Kirkman system on 12 points"),
    (6, 4, 7, "yes (found here)"),
    (7, 3, 10, "yes: KTS(21) (Kirkman systems exist for v = 3 mod 6)"),
    (7, 4, 9, "yes (found here)"),
    (8, 3, 11, "yes: nearly Kirkman system NKTS(24)"),
    (9, 3, 13, "yes: KTS(27)"),
    (10, 3, 14, "yes: NKTS(30)"),
    (11, 3, 16, "yes: KTS(33)"),
    (9, 4, 11, "not known to us"),
    (12, 4, 15, "not known to us"),
    (10, 5, 12, "not known to us"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--limit", type=float, default=5.0, help="Seconds per run.")
    args = parser.parse_args()
    plan_season(golf_problem(3, 3, 3), time_limit=0.5, seed=0)  # warm the compiled code
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"Machine: {machine}; seeds 0-{args.seeds - 1}; {args.limit:g} s per run.\n")
    print("| instance | counting bound on rounds | repeat-free known | repeats | time s | start |")
    print("|---|---|---|---|---|---|")
    for g, s, w, known in CASES:
        repeats, times, starts = [], [], set()
        for seed in range(args.seeds):
            started = time.perf_counter()
            result = plan_season(golf_problem(g, s, w), time_limit=args.limit, seed=seed)
            times.append(time.perf_counter() - started)
            repeats.append(result.metrics.repeat_pairs)
            starts.add(str(result.stats.get("start", "")).removeprefix("construction: "))
        low, high = min(repeats), max(repeats)
        span = f"{statistics.median(repeats):g}" + ("" if low == high else f" ({low}-{high})")
        how = "; ".join(sorted(starts))
        seconds = statistics.median(times)
        row = f"| {g}-{s}-{w} | {max_rounds(g, s)} | {known} | {span} | {seconds:.2f} | {how} |"
        print(row, flush=True)


if __name__ == "__main__":
    main()
