"""Best known repeats of the club seasons, for the gap column of ``run.py``.

    .venv/bin/python benchmarks/season/best_known.py [--limit 300] [--seeds 5] [--write]

The club seasons have no useful proven bound (the counting bounds are 0, and so is the LP with
triangle and clique cuts, see docs/season.md), so the benchmark reports the gap to the best
plan known instead, PyVRP's way. Nobody has published plans for these synthetic instances: the
best known is the best of our own long runs, ``--limit`` seconds each (ten times the
benchmark's limit by default) over ``--seeds`` seeds. ``--write`` stores the result in
``best_known.json`` beside this file (only where it is better than the value stored), with
the date, limit, seeds and machine, so ``run.py`` can print the gap. Run it on its own: a run
that shares the machine finds less, which would flatter the gap.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seating.season.planner import plan_season

from instances import instances

STORE = Path(__file__).resolve().parent / "best_known.json"


def load() -> dict[str, dict]:
    """The stored best known values, by instance name (empty if none are stored)."""
    if not STORE.exists():
        return {}
    return json.loads(STORE.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=300.0, help="Seconds per run.")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--only", default="club", help="Instances whose name contains this.")
    parser.add_argument("--write", action="store_true", help=f"Update {STORE.name}.")
    args = parser.parse_args()
    stored = load()
    for instance in instances():
        if args.only not in instance.name:
            continue
        runs = []
        for seed in range(args.seeds):
            started = time.perf_counter()
            result = plan_season(instance.problem, time_limit=args.limit, seed=seed)
            runs.append(result.metrics.repeat_pairs)
            print(f"{instance.name}: seed {seed}: {runs[-1]} repeats "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip
        best = min(runs)
        old = stored.get(instance.name)
        if args.write and (old is None or best < old["repeats"]):
            stored[instance.name] = {
                "repeats": best,
                "runs": runs,
                "limit_s": args.limit,
                "seeds": list(range(args.seeds)),
                "date": dt.date.today().isoformat(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()}",
            }
            STORE.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
        print(f"{instance.name}: best {best} (stored: {old['repeats'] if old else '-'})")


if __name__ == "__main__":
    main()
