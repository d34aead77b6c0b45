"""Season benchmarks: classic Social Golfer instances and a club season, 5 seeds each.

    .venv/bin/python benchmarks/season/run.py [--seeds 5] [--only 8-4-10] [--out FILE]

Prints a Markdown table: repeats (median, min-max over seeds) beside Good-Enough Golfers'
figures from the issue, the counting lower bound, the best known plan and the median's gap to
it (``best_known.json``, written by ``best_known.py``; the bound where nothing better is
stored), the most meetings of a pair, median time to the returned plan, and how it was found
(construction or search).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seating.season.golf import golf_problem
from seating.season.planner import plan_season

from best_known import load as load_best_known
from instances import Instance, instances


def _span(values: list[float], fmt: str = "{:g}") -> str:
    low, high = min(values), max(values)
    median = fmt.format(statistics.median(values))
    return median if low == high else f"{median} ({fmt.format(low)}-{fmt.format(high)})"


def _gap(median: float, best: float) -> str:
    """Median repeats above the best known, in percent (PyVRP's "gap to best known")."""
    if median == best:
        return "0 %"
    return f"{100 * (median - best) / best:.1f} %" if best > 0 else "-"


def run(instance: Instance, seeds: int, best_known: dict[str, dict]) -> list[str]:
    rows = []
    for seed in range(seeds):
        started = time.perf_counter()
        result = plan_season(instance.problem, time_limit=instance.time_limit, seed=seed)
        elapsed = time.perf_counter() - started
        bounds = result.stats["lower_bounds"]
        rows.append((result.metrics.repeat_pairs, result.metrics.max_meetings, elapsed,
                     bounds, result.method, result.status.value))  # fmt: skip
    repeats = [r[0] for r in rows]
    meets = [r[1] for r in rows]
    times = [r[2] for r in rows]
    bounds = rows[0][3]
    # Where no better plan is stored, the best known is the bound: every Social Golfer
    # instance here has a plan at its bound (published, or found by this planner).
    best = best_known.get(instance.name, {}).get("repeats", bounds["repeats"])
    methods = sorted({r[4].removeprefix("season:") for r in rows})
    return [
        instance.name,
        instance.peer or "-",
        str(bounds["repeats"]),
        _span(repeats),
        str(best),
        _gap(statistics.median(repeats), best),
        f"{_span(meets)} (>= {bounds['max_meetings']})",
        _span(times, "{:.2f}"),
        f"{instance.time_limit:g}",
        ", ".join(methods),
        instance.target,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--only", default=None, help="Run instances whose name contains this.")
    parser.add_argument("--out", type=Path, default=None, help="Also write the table here.")
    args = parser.parse_args()
    # Warm the compiled code so that no instance pays the compilation.
    plan_season(golf_problem(3, 3, 3), time_limit=1.0, seed=0)
    plan_season(golf_problem(3, 2, 4), time_limit=0.2, seed=0)
    header = ["instance", "GEG repeats", "bound", "repeats", "best known", "gap", "max meetings",
              "time s", "limit s", "method", "target"]  # fmt: skip
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; seeds 0-{args.seeds - 1}; medians (min-max).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    print("\n".join(lines), flush=True)
    best_known = load_best_known()
    for instance in instances():
        if args.only and args.only not in instance.name:
            continue
        row = "| " + " | ".join(run(instance, args.seeds, best_known)) + " |"
        lines.append(row)
        print(row, flush=True)
    if args.out is not None:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
