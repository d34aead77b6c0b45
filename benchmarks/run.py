"""Benchmarks of the dinner solvers: the performance targets of issue 2, measured.

    .venv/bin/python benchmarks/run.py [--only quality exact scale cli] [--seeds 0 1 2 3 4]
        [--short 2] [--long 60] [--cpsat 60] [--cpsat-long 600] [--out docs/benchmarks.md]

Prints markdown tables: instance, method, seeds, median wall time (and CPU time), median and
best objective, bound, gap, and ratios of time and objective against a baseline method run in
the same command (timings on a shared 2-core machine are noisy; ratios and CPU times less so).

Sections (``--only``):

- ``quality``: the 80-attendee dinner; the local search at a short budget and at 60 s, CP-SAT
  alone at ``--cpsat`` seconds, a random seating; ratios against the 60 s local search.
- ``cpsat-long``: CP-SAT alone for ``--cpsat-long`` seconds (600) on the first seed, once.
  Slow: run it on its own in the background with ``--json FILE`` and merge it into the main
  run with ``--load FILE``.
- ``exact``: 24-attendee dinners; does CP-SAT alone prove optimality, and how fast; beside
  it ``method="auto"`` (local search, then CP-SAT from its plan) and the local search alone.
- ``scale``: 1,000 attendees at 100 tables; time, peak memory (each run in its own process,
  peak resident set size), and a check that no feasible move or swap improves the plan.
- ``cli``: ``seating plan`` on the 80-attendee dinner, end to end, once caches are warm.

Raw results go to ``--json`` (one JSON object a line). No assertion is made here: the
targets are read off the tables (``docs/benchmarks.md``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seating.compile.bounds import degree_bound
from seating.compile.objective import objective, violations
from seating.compile.problem import DinnerProblem, check_references, compile_dinner
from seating.solvers.baseline import random_plan
from seating.solvers.cpsat import solve_cpsat
from seating.solvers.local.search import LocalSearchSettings, solve_local

from instances import INSTANCES

SECTIONS = ("quality", "cpsat-long", "exact", "scale", "cli")
UNLIMITED = LocalSearchSettings(max_cycles=10**9, patience=10**9)
"""The local search that only the time limit stops (the '60 s' reference)."""

Record = dict[str, Any]


# --- machine -----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, load, versions: the context every timing needs."""
    cpu = "unknown"
    ram = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    except OSError:
        pass
    import numba
    import ortools

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "ortools": ortools.__version__,
    }


# --- one run -----------------------------------------------------------------------------------


def compiled(name: str, seed: int) -> DinnerProblem:
    problem = INSTANCES[name].problem(seed)
    check_references(problem)
    return compile_dinner(problem)


def _timed(fn, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - wall, time.process_time() - cpu


def run_local(
    name: str, seed: int, method: str, limit: float, settings: LocalSearchSettings | None
) -> Record:
    dinner = compiled(name, seed)
    outcome, wall, cpu = _timed(solve_local, dinner, seed=seed, time_limit=limit, settings=settings)
    assert outcome.status.has_plan, outcome.stats
    assert not violations(dinner, outcome.table_of)
    return {
        "instance": name,
        "seed": seed,
        "method": method,
        "limit": limit,
        "wall": wall,
        "cpu": cpu,
        "objective": outcome.objective,
        "bound": degree_bound(dinner),
        "status": outcome.status.value,
        "cycles": outcome.stats.get("cycles"),
    }


def run_cpsat(name: str, seed: int, method: str, limit: float, workers: int) -> Record:
    dinner = compiled(name, seed)
    outcome, wall, cpu = _timed(
        solve_cpsat, dinner, time_limit=limit, seed=seed, num_workers=workers
    )
    bound = outcome.bound if outcome.bound is not None else degree_bound(dinner)
    return {
        "instance": name,
        "seed": seed,
        "method": method,
        "limit": limit,
        "wall": wall,
        "cpu": cpu,
        "objective": outcome.objective,
        "bound": max(bound, degree_bound(dinner)),
        "status": outcome.status.value,
        "workers": workers,
    }


def run_auto(name: str, seed: int, limit: float, workers: int) -> Record:
    """``method="auto"`` as the library runs it (local search, then CP-SAT to prove)."""
    from seating.solvers.dinner import solve_dinner

    dinner = compiled(name, seed)
    outcome, wall, cpu = _timed(
        solve_dinner, dinner, method="auto", time_limit=limit, seed=seed, num_workers=workers
    )
    return {
        "instance": name,
        "seed": seed,
        "method": f"auto {limit:g} s",
        "limit": limit,
        "wall": wall,
        "cpu": cpu,
        "objective": outcome.objective,
        "bound": outcome.bound,
        "status": outcome.status.value,
        "workers": workers,
    }


def run_random(name: str, seed: int) -> Record:
    dinner = compiled(name, seed)
    plan, wall, cpu = _timed(random_plan, dinner, seed)
    return {
        "instance": name,
        "seed": seed,
        "method": "random seating (rules not enforced)",
        "limit": None,
        "wall": wall,
        "cpu": cpu,
        "objective": objective(dinner, plan),
        "bound": degree_bound(dinner),
        "status": "feasible" if not violations(dinner, plan) else "breaks rules",
    }


def warm_up() -> None:
    """Load the compiled kernel from the on-disk cache (or compile it) before any timing."""
    tiny = {"max_cycles": 1, "iterations_per_unit": 10, "tabu_steps": 2}
    known = {f.name for f in dataclasses.fields(LocalSearchSettings)}
    settings = LocalSearchSettings(**{k: v for k, v in tiny.items() if k in known})
    solve_local(compiled("dinner24", 0), seed=0, settings=settings)


# --- local optimality check (independent of the kernel) -----------------------------------------


def improving_steps(problem: DinnerProblem, table_of: np.ndarray) -> int:
    """How many feasible single moves or pair swaps would lower the objective.

    Written with numpy, independently of the solver's kernel. Covers the instances here:
    no keep-together groups, no fairness, company / industry limits, forbidden pairs, hosts.
    """
    assert not problem.groups and problem.fairness == 0
    n, T = problem.num_attendees, problem.num_tables
    w = problem.weights
    onehot = np.zeros((n, T))
    onehot[np.arange(n), table_of] = 1.0
    G = w @ onehot  # (n, T): cost of i with the people at table t
    own = G[np.arange(n), table_of]
    load = np.bincount(table_of, minlength=T)
    free = problem.host_table < 0

    def feasible(plan: np.ndarray, movers: Iterable[int]) -> bool:
        for i in movers:
            mates = np.nonzero(plan == plan[i])[0]
            if problem.forbidden[i, mates].any():
                return False
            for codes, limit in (
                (problem.company, problem.max_per_company),
                (problem.industry, problem.max_per_industry),
            ):
                if limit and codes[i] >= 0 and (codes[mates] == codes[i]).sum() > limit:
                    return False
        return True

    count = 0
    move = G - own[:, None]  # (n, T)
    for i, t in zip(*np.nonzero(move < -1e-9), strict=True):
        if free[i] and load[t] < problem.capacity[t]:
            plan = table_of.copy()
            plan[i] = t
            count += feasible(plan, [i])
    # swap i (at a) with j (at b): G[i, b] - own_i + G[j, a] - own_j - 2 w[i, j]
    swap = (
        G[:, table_of] - own[:, None] + (G[:, table_of] - own[:, None]).T - 2.0 * w
    )  # [i, j] with a = table_of[i], b = table_of[j]
    swap[table_of[:, None] == table_of[None, :]] = 0.0
    ii, jj = np.nonzero(np.triu(swap < -1e-9, 1))
    for i, j in zip(ii, jj, strict=True):
        if free[i] and free[j]:
            plan = table_of.copy()
            plan[i], plan[j] = table_of[j], table_of[i]
            count += feasible(plan, [i, j])
    return count


def scale_child(seed: int, limit: float) -> None:
    """One 1,000-attendee run in this (fresh) process; prints one JSON record."""
    warm_up()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dinner = compiled("dinner1000", seed)
    outcome, wall, cpu = _timed(solve_local, dinner, seed=seed, time_limit=limit)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    plan = outcome.table_of
    record = {
        "instance": "dinner1000",
        "seed": seed,
        "method": "local",
        "limit": limit,
        "wall": wall,
        "cpu": cpu,
        "objective": outcome.objective,
        "bound": degree_bound(dinner),
        "status": outcome.status.value,
        "cycles": outcome.stats.get("cycles"),
        "peak_rss_mib": peak,
        "rss_before_mib": rss_before,
        "rules_broken": len(violations(dinner, plan)) if plan is not None else None,
        "improving_steps": improving_steps(dinner, plan) if plan is not None else None,
    }
    print(json.dumps(record))


# --- sections ----------------------------------------------------------------------------------


def section_quality(args: argparse.Namespace) -> list[Record]:
    records: list[Record] = []
    for seed in args.seeds:
        done = len(records)
        records.append(run_random("dinner80", seed))
        records.append(run_local("dinner80", seed, f"local {args.short:g} s", args.short, None))
        if args.long > 0:
            records.append(
                run_local("dinner80", seed, f"local {args.long:g} s", args.long, UNLIMITED)
            )
        if args.cpsat > 0:
            records.append(
                run_cpsat("dinner80", seed, f"cpsat {args.cpsat:g} s", args.cpsat, args.workers)
            )
        _progress(records[done:])
    return records


def section_cpsat_long(args: argparse.Namespace) -> list[Record]:
    seed = args.seeds[0]
    record = run_cpsat(
        "dinner80", seed, f"cpsat {args.cpsat_long:g} s", args.cpsat_long, args.workers
    )
    _progress([record])
    return [record]


def section_exact(args: argparse.Namespace) -> list[Record]:
    records = []
    for seed in args.seeds:
        records.append(run_cpsat("dinner24", seed, f"cpsat {args.exact:g} s", args.exact,
                                 args.workers))  # fmt: skip
        records.append(run_auto("dinner24", seed, args.exact, args.workers))
        records.append(run_local("dinner24", seed, f"local {args.short:g} s", args.short, None))
        _progress(records[-3:])
    return records


def section_scale(args: argparse.Namespace) -> list[Record]:
    records = []
    for seed in args.seeds[: args.scale_seeds]:
        proc = subprocess.run(
            [sys.executable, __file__, "--child-scale", str(seed), str(args.scale_limit)],
            capture_output=True,
            text=True,
            check=True,
        )
        records.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        _progress(records[-1:])
    return records


def section_cli(args: argparse.Namespace) -> list[Record]:
    seed = args.seeds[0]
    problem = INSTANCES["dinner80"].problem(seed)
    exe = Path(sys.executable).with_name("seating")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "seating.cli"]
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dinner80.json"
        path.write_text(problem.model_dump_json(), encoding="utf-8")
        argv = [*command, "plan", str(path), "--json"]
        for k in range(args.cli_runs + 1):
            started = time.perf_counter()
            proc = subprocess.run(argv, capture_output=True, text=True, check=True)
            wall = time.perf_counter() - started
            if k == 0:
                continue  # warms the numba cache and the OS file cache
            plan = json.loads(proc.stdout)
            records.append({
                "instance": "cli",
                "seed": seed,
                "method": "`seating plan FILE --json`",
                "limit": 10.0,
                "wall": wall,
                "cpu": None,
                "objective": plan["objective"],
                "bound": plan.get("bound"),
                "status": plan["status"],
                "solver_s": plan.get("runtime_s"),
            })  # fmt: skip
        _progress(records[-1:])
    return records


def _progress(records: list[Record]) -> None:
    for r in records:
        print(
            f"  {r['instance']} seed {r['seed']} {r['method']}: objective {r['objective']} "
            f"in {r['wall']:.2f} s",
            file=sys.stderr,
            flush=True,
        )


# --- tables ------------------------------------------------------------------------------------


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _fmt(value: float | None, spec: str = ".3g") -> str:
    return "" if value is None else format(value, spec)


def table(records: list[Record], instance: str, baseline: str | None) -> str:
    """One markdown table of an instance: a row per method, medians over seeds.

    The bound of a seed is the best one any method of the command proved for it (CP-SAT's
    bound, or the degree bound of :func:`seating.compile.bounds.degree_bound`); the gap is
    ``(objective - bound) / objective``.
    """
    rows = [r for r in records if r["instance"] == instance]
    by_method: dict[str, list[Record]] = defaultdict(list)
    best_bound: dict[int, float] = {}
    for r in rows:
        by_method[r["method"]].append(r)
        if r.get("bound") is not None:
            best_bound[r["seed"]] = max(best_bound.get(r["seed"], -np.inf), r["bound"])
    base = {r["seed"]: r for r in by_method.get(baseline or "", [])}
    extra = instance == "dinner1000"
    head = [
        "method",
        "seeds",
        "median time (s)",
        "median CPU (s)",
        "median objective",
        "best objective",
        "bound",
        "gap",
        "status",
    ]
    if base:
        head += [f"time / {baseline}", f"objective / {baseline}"]
    if extra:
        head += ["peak RSS (MiB)", "improving steps left"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for method, rs in by_method.items():
        objectives = [r["objective"] for r in rs if r["objective"] is not None]
        bounds = [best_bound[r["seed"]] for r in rs if r["seed"] in best_bound]
        gaps = [
            (r["objective"] - best_bound[r["seed"]]) / abs(r["objective"])
            for r in rs
            if r["objective"] and r["seed"] in best_bound
        ]
        statuses: dict[str, int] = defaultdict(int)
        for r in rs:
            statuses[r["status"]] += 1
        seeds = sorted({r["seed"] for r in rs})
        runs = "" if len(rs) == len(seeds) else f" ({len(rs)} runs)"
        cells = [
            method,
            ", ".join(map(str, seeds)) + runs,
            _fmt(_median([r["wall"] for r in rs])),
            _fmt(_median([r.get("cpu") for r in rs])),
            _fmt(_median(objectives), "g"),
            _fmt(min(objectives, default=None), "g"),
            _fmt(_median(bounds), "g"),
            "" if not gaps else f"{100 * statistics.median(gaps):.1f} %",
            ", ".join(f"{k} {v}" for k, v in statuses.items()),
        ]
        if base:
            paired = [(r, base[r["seed"]]) for r in rs if r["seed"] in base]
            times = [r["wall"] / b["wall"] for r, b in paired if b["wall"]]
            objs = [
                r["objective"] / b["objective"]
                for r, b in paired
                if r["objective"] is not None and b["objective"]
            ]
            cells += [_fmt(_median(times)), _fmt(_median(objs), ".4f")]
        if extra:
            cells += [
                _fmt(_median([r.get("peak_rss_mib") for r in rs]), ".0f"),
                ", ".join(str(r.get("improving_steps")) for r in rs),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(records: list[Record], args: argparse.Namespace, info: dict[str, str]) -> str:
    command = "python benchmarks/run.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    parts = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; load average "
        f"{info['load']} at the start. Python {info['python']}, numpy {info['numpy']}, "
        f"numba {info['numba']}, OR-Tools {info['ortools']}.",
        f"Command: `{command.strip()}`",
    ]
    titles = {
        "dinner80": "80 attendees (of 160 members, 30 dinners of history, 4 hosts)",
        "dinner24": "24 attendees (of 48 members, 12 dinners of history, 2 hosts)",
        "dinner1000": "1,000 attendees at 100 tables (100 dinners of history, 10 hosts)",
        "cli": "`seating plan` on the 80-attendee dinner, end to end (warm caches)",
    }
    baselines = {"dinner80": f"local {args.long:g} s" if args.long > 0 else None}
    seen = []
    for r in records:
        if r["instance"] not in seen:
            seen.append(r["instance"])
    for instance in seen:
        parts.append(f"### {titles.get(instance, instance)}\n\n" +
                     table(records, instance, baselines.get(instance)))  # fmt: skip
    return "\n\n".join(parts) + "\n"


# --- main --------------------------------------------------------------------------------------


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the dinner solvers; print markdown tables.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=None,
                        help="sections to run (default: all but cpsat-long)")  # fmt: skip
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4],
                        help="instance and solver seeds")  # fmt: skip
    parser.add_argument("--short", type=float, default=2.0,
                        help="time limit of the short local search (s)")  # fmt: skip
    parser.add_argument("--long", type=float, default=60.0,
                        help="time of the reference local search, 0 to skip (s)")  # fmt: skip
    parser.add_argument("--cpsat", type=float, default=60.0,
                        help="CP-SAT alone, 80 attendees, per seed; 0 to skip (s)")  # fmt: skip
    parser.add_argument("--cpsat-long", type=float, default=600.0,
                        help="CP-SAT alone, once (section cpsat-long) (s)")  # fmt: skip
    parser.add_argument("--exact", type=float, default=10.0,
                        help="CP-SAT time limit on the 24-attendee dinners (s)")  # fmt: skip
    parser.add_argument("--scale-limit", type=float, default=25.0,
                        help="time limit of the 1,000-attendee local search (s)")  # fmt: skip
    parser.add_argument("--scale-seeds", type=int, default=3,
                        help="how many of --seeds the 1,000-attendee dinner runs")  # fmt: skip
    parser.add_argument("--cli-runs", type=int, default=5,
                        help="timed `seating plan` runs after one warm-up run")  # fmt: skip
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="CP-SAT workers")  # fmt: skip
    parser.add_argument("--json", type=Path, default=None,
                        help="append raw records to this file (JSON lines)")  # fmt: skip
    parser.add_argument("--load", type=Path, nargs="*", default=[],
                        help="merge records of earlier runs (a background cpsat-long)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=None,
                        help="also write the report (machine, command, tables) here")  # fmt: skip
    parser.add_argument("--no-run", action="store_true",
                        help="run nothing; print the tables of the --load files")  # fmt: skip
    parser.add_argument("--child-scale", nargs=2, default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    if args.child_scale is not None:
        scale_child(int(args.child_scale[0]), float(args.child_scale[1]))
        return
    info = machine()
    sections = [] if args.no_run else args.only or [s for s in SECTIONS if s != "cpsat-long"]
    if sections:
        warm_up()
    records: list[Record] = []
    for path in args.load:
        records += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    runners = {
        "quality": section_quality,
        "cpsat-long": section_cpsat_long,
        "exact": section_exact,
        "scale": section_scale,
        "cli": section_cli,
    }
    fresh: list[Record] = []
    for name in SECTIONS:
        if name in sections:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            fresh += runners[name](args)
    if args.json is not None:
        with args.json.open("a", encoding="utf-8") as handle:
            for r in fresh:
                handle.write(json.dumps(r) + "\n")
    text = report(records + fresh, args, info)
    print(text)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
