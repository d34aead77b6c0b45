"""Benchmarks of column generation (issue 15): bounds on the 80-attendee dinners, proofs at 24
and 40 attendees.

    .venv/bin/python benchmarks/bounds.py [--seeds 0 1 2 3 4] [--bound-limit 60]
        [--short 5] [--exact-limit 60] [--auto-limit 20] [--plan-limit 10]
        [--only bound cost exact exact80] [--exact80-limit 60] [--json FILE] [--out FILE]

Per instance and seed, in one command:

- ``bound``: the local search's plan (its own stop), then column generation from that plan
  with ``--short`` seconds (what ``solve(method="auto")`` gives it at the default time limit)
  and with ``--bound-limit`` seconds; beside it the cheap degree bound, the baseline (what
  every compact model gave before: 0 on these dinners).
- ``cost``: what the bound costs ``solve(method="auto")`` at ``--plan-limit`` seconds (the
  default time limit of ``seating plan``): the wall time and bound of ``auto`` as it is (column
  generation stops once its bound cannot rise or has stopped rising), of ``auto`` with those
  early stops switched off (column generation runs to convergence or its share of the time,
  as before), and of ``method="local"`` (no bound), each from scratch after one unmeasured
  call (the compiled code's cache is warm).
- ``exact``: ``solve(method="exact")`` and ``solve(method="auto")`` (which now tries the same
  proof first on these sizes) against ``solve(method="cpsat")`` (CP-SAT alone, the exact
  solver before column generation), each from scratch: proven or not, time, and the time ratio
  against CP-SAT.

- ``exact80`` (not run by default): the proof on the 80-attendee dinners,
  ``solve(method="exact")`` with ``--exact80-limit`` seconds: the LP bound, the bound proven,
  the best plan, whether it is proven optimal, the time, the enumeration steps, the tables
  listed and the partition search's table checks (counts that do not depend on the load);
  beside it the local search's plan with a 2 s limit and its gap to the optimum.

Prints markdown tables of medians over the seeds and the per-seed rows; raw records go to
``--json`` (one JSON object a line). No assertion is made here.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import machine
from seating import solve
from seating.compile.bounds import degree_bound
from seating.compile.objective import violations
from seating.compile.problem import check_references, compile_dinner
from seating.solvers.colgen import run as colgen_run
from seating.solvers.colgen.bound import column_generation
from seating.solvers.local.search import solve_local
from seating.stop import TimeBudget

from instances import INSTANCES

Record = dict[str, Any]


def run_bound(name: str, seed: int, short: float, limit: float) -> Record:
    problem = INSTANCES[name].problem(seed)
    check_references(problem)
    dinner = compile_dinner(problem)
    started = time.perf_counter()
    local = solve_local(dinner, seed=seed, time_limit=10.0)
    local_s = time.perf_counter() - started
    assert local.status.has_plan and not violations(dinner, local.table_of)
    quick = column_generation(dinner, local.table_of, TimeBudget(short), upper=local.objective)
    full = column_generation(dinner, local.table_of, TimeBudget(limit), upper=local.objective)
    return {
        "section": "bound",
        "instance": name,
        "seed": seed,
        "attendees": dinner.num_attendees,
        "plan": local.objective,
        "local_s": local_s,
        "degree": degree_bound(dinner),
        "short_bound": quick.bound,
        "short_s": quick.seconds,
        "bound": full.bound,
        "bound_s": full.seconds,
        "converged": full.converged,
        "rounds": full.rounds,
        "tables": full.columns,
        "stopped": full.reason,
    }


def run_exact(name: str, seed: int, method: str, limit: float) -> Record:
    problem = INSTANCES[name].problem(seed)
    started = time.perf_counter()
    result = solve(problem, method=method, time_limit=limit, seed=seed)
    return {
        "section": "exact",
        "instance": name,
        "seed": seed,
        "method": method,
        "limit": limit,
        "wall": time.perf_counter() - started,
        "objective": result.objective,
        "bound": result.bound,
        "status": result.status.value,
        "exact": result.stats.get("exact"),
    }


def run_cost(name: str, seed: int, variant: str, limit: float) -> Record:
    problem = INSTANCES[name].problem(seed)
    method = "local" if variant == "local" else "auto"
    settle = colgen_run.Settle
    if variant == "auto, no early stop":
        colgen_run.Settle = lambda: None  # type: ignore[assignment,misc]  # the code before
    try:
        started = time.perf_counter()
        result = solve(problem, method=method, time_limit=limit, seed=seed)
        wall = time.perf_counter() - started
    finally:
        colgen_run.Settle = settle  # type: ignore[misc]
    colgen = result.stats.get("colgen") or {}
    return {
        "section": "cost",
        "instance": name,
        "seed": seed,
        "variant": variant,
        "limit": limit,
        "wall": wall,
        "objective": result.objective,
        "bound": result.bound,
        "colgen_s": colgen.get("seconds"),
        "rounds": colgen.get("rounds"),
        "stopped": colgen.get("stopped"),
    }


def cost_table(records: list[Record]) -> str:
    lines = [
        "| instance | variant | seeds | median wall s | wall s per seed | median colgen s "
        "| median bound | median gap | gap per seed | why column generation stopped |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, str], list[Record]] = {}
    for r in records:
        groups.setdefault((r["instance"], r["variant"]), []).append(r)
    for (name, variant), rows in groups.items():
        gaps = [_gap(r["objective"], r["bound"]) for r in rows]
        why = sorted({str(r["stopped"]) for r in rows if r["stopped"]})
        lines.append(
            f"| {name} | {variant} | {', '.join(str(r['seed']) for r in rows)} "
            f"| {_fmt(_median([r['wall'] for r in rows]))} "
            f"| {', '.join(format(r['wall'], '.2f') for r in rows)} "
            f"| {_fmt(_median([r['colgen_s'] for r in rows]))} "
            f"| {_fmt(_median([r['bound'] for r in rows]))} | {_pct(_median(gaps))} "
            f"| {', '.join(_pct(g) for g in gaps)} | {'; '.join(why) or '-'} |"
        )
    return "\n".join(lines)


def run_exact80(name: str, seed: int, limit: float, local_limit: float = 2.0) -> Record:
    problem = INSTANCES[name].problem(seed)
    dinner = compile_dinner(problem)
    started = time.perf_counter()
    local = solve_local(dinner, seed=seed, time_limit=local_limit)
    local_s = time.perf_counter() - started
    assert local.status.has_plan and not violations(dinner, local.table_of)
    started = time.perf_counter()
    result = solve(problem, method="exact", time_limit=limit, seed=seed)
    wall = time.perf_counter() - started
    proof = result.stats.get("exact") or {}
    log = proof.get("log", [])
    return {
        "section": "exact80",
        "instance": name,
        "seed": seed,
        "limit": limit,
        "local2": local.objective,
        "local2_s": local_s,
        "lp_bound": (result.stats.get("colgen") or {}).get("bound"),
        "colgen_s": (result.stats.get("colgen") or {}).get("seconds"),
        "objective": result.objective,
        "bound": result.bound,
        "status": result.status.value,
        "wall": wall,
        "steps": len(log),
        "tables": max((s["tables"] for s in log), default=0),
        "checks": sum(s.get("checks", 0) for s in log),
        "stopped": proof.get("stopped"),
        # Peak memory of the whole benchmark process so far (Linux: kilobytes).
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "log": log,
    }


def exact80_table(records: list[Record]) -> str:
    lines = [
        "| instance | seed | LP bound | bound proven | best plan | optimal | time s "
        "| steps started | tables (largest step) | table checks (all steps) | local 2 s plan "
        "| its gap to the optimum |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    by: dict[str, list[Record]] = {}
    for r in records:
        by.setdefault(r["instance"], []).append(r)
    for name, rows in by.items():
        for r in rows:
            lines.append(
                f"| {name} | {r['seed']} | {_fmt(r['lp_bound'])} | {_fmt(r['bound'])} "
                f"| {r['objective']:g} | {'yes' if r['status'] == 'optimal' else 'no'} "
                f"| {r['wall']:.1f} | {r['steps']} | {r['tables']:,} | {r['checks']:,} "
                f"| {r['local2']:g} | {_pct2(r)} |"
            )
        lines.append(
            f"| **{name} median** | {len(rows)} seeds "
            f"| {_fmt(_median([r['lp_bound'] for r in rows]))} "
            f"| {_fmt(_median([r['bound'] for r in rows]))} "
            f"| {_fmt(_median([r['objective'] for r in rows]))} "
            f"| {sum(r['status'] == 'optimal' for r in rows)} of {len(rows)} "
            f"| {_fmt(_median([r['wall'] for r in rows]))} | | | "
            f"| {_fmt(_median([r['local2'] for r in rows]))} "
            f"| {'' if all(r['status'] == 'optimal' for r in rows) else 'at most '}"
            f"{_pct(_median([_gap2(r) for r in rows]))} |"
        )
    return "\n".join(lines)


def _gap2(r: Record) -> float:
    """The 2 s plan's excess over the optimum (over the bound when none is proven)."""
    return (r["local2"] - r["bound"]) / max(1.0, abs(r["bound"]))


def _pct2(r: Record) -> str:
    text = _pct(_gap2(r))
    return text if r["status"] == "optimal" else f"at most {text} (no proof)"


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _fmt(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}g}"


def _gap(plan: float, bound: float | None) -> float | None:
    return None if bound is None else (plan - bound) / max(1.0, abs(plan))


def bound_table(records: list[Record], short: float, limit: float) -> str:
    lines = [
        f"| instance | seed | plan (local search) | local s | degree bound (baseline) "
        f"| bound in {short:g} s | gap | bound (limit {limit:g} s) | gap | time s | converged "
        "| rounds | tables |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    by: dict[str, list[Record]] = {}
    for r in records:
        by.setdefault(r["instance"], []).append(r)
    for name, rows in by.items():
        for r in rows:
            g1, g2 = _gap(r["plan"], r["short_bound"]), _gap(r["plan"], r["bound"])
            lines.append(
                f"| {name} | {r['seed']} | {r['plan']:g} | {r['local_s']:.2f} | {r['degree']:g} "
                f"| {_fmt(r['short_bound'])} | {_pct(g1)} | {_fmt(r['bound'])} | {_pct(g2)} "
                f"| {r['bound_s']:.2f} | {'yes' if r['converged'] else 'no'} | {r['rounds']} "
                f"| {r['tables']} |"
            )
        g1 = _median([_gap(r["plan"], r["short_bound"]) for r in rows])
        g2 = _median([_gap(r["plan"], r["bound"]) for r in rows])
        lines.append(
            f"| **{name} median** | {len(rows)} seeds | {_fmt(_median([r['plan'] for r in rows]))} "
            f"| {_fmt(_median([r['local_s'] for r in rows]))} "
            f"| {_fmt(_median([r['degree'] for r in rows]))} "
            f"| {_fmt(_median([r['short_bound'] for r in rows]))} | {_pct(g1)} "
            f"| {_fmt(_median([r['bound'] for r in rows]))} | {_pct(g2)} "
            f"| {_fmt(_median([r['bound_s'] for r in rows]))} "
            f"| {sum(r['converged'] for r in rows)} of {len(rows)} | | |"
        )
    return "\n".join(lines)


def _pct(g: float | None) -> str:
    return "-" if g is None else f"{100 * g:.1f} %"


def exact_table(records: list[Record]) -> str:
    lines = [
        "| instance | method | limit s | seeds | proven | median time s | slowest s "
        "| median objective | median bound | time / cpsat |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, str], list[Record]] = {}
    for r in records:
        groups.setdefault((r["instance"], r["method"]), []).append(r)
    for (name, method), rows in groups.items():
        base = groups.get((name, "cpsat"))
        ratio = (
            "1"
            if method == "cpsat" or not base
            else _fmt(_median([r["wall"] for r in rows]) / _median([r["wall"] for r in base]))
        )
        lines.append(
            f"| {name} | {method} | {rows[0]['limit']:g} | "
            f"{', '.join(str(r['seed']) for r in rows)} "
            f"| {sum(r['status'] == 'optimal' for r in rows)} of {len(rows)} "
            f"| {_fmt(_median([r['wall'] for r in rows]))} | {max(r['wall'] for r in rows):.3g} "
            f"| {_fmt(_median([r['objective'] for r in rows]))} "
            f"| {_fmt(_median([r['bound'] for r in rows]))} | {ratio} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--only", nargs="+", default=["bound", "cost", "exact"])
    parser.add_argument("--bound-instances", nargs="+", default=["dinner80", "dinner80x8"])
    parser.add_argument("--exact-instances", nargs="+", default=["dinner24", "dinner40"])
    parser.add_argument("--short", type=float, default=5.0)
    parser.add_argument("--bound-limit", type=float, default=60.0)
    parser.add_argument("--plan-limit", type=float, default=10.0, help="cost: auto's limit")
    parser.add_argument("--exact-limit", type=float, default=60.0)
    parser.add_argument("--auto-limit", type=float, default=20.0, help="auto and cpsat")
    parser.add_argument("--exact80-instances", nargs="+", default=["dinner80x8", "dinner80"])
    parser.add_argument("--exact80-limit", type=float, default=60.0)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--load", type=Path, help="print the tables of an earlier --json")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    info = machine()
    records: list[Record] = []
    if args.load:
        records = [json.loads(line) for line in args.load.read_text().splitlines() if line]
        args.only = []
    if "bound" in args.only:
        for name in args.bound_instances:
            for seed in args.seeds:
                records.append(run_bound(name, seed, args.short, args.bound_limit))
                print(json.dumps(records[-1]), file=sys.stderr)
    if "cost" in args.only:
        # One unmeasured call first: the compiled code's disk cache is read (or written).
        solve(INSTANCES[args.bound_instances[0]].problem(0), time_limit=2.0)
        for name in args.bound_instances:
            for seed in args.seeds:
                for variant in ("auto", "auto, no early stop", "local"):
                    records.append(run_cost(name, seed, variant, args.plan_limit))
                    print(json.dumps(records[-1], default=str), file=sys.stderr)
    if "exact" in args.only:
        for name in args.exact_instances:
            for seed in args.seeds:
                for method, limit in (
                    ("exact", args.exact_limit),
                    ("auto", args.auto_limit),
                    ("cpsat", args.auto_limit),
                ):
                    records.append(run_exact(name, seed, method, limit))
                    print(json.dumps(records[-1], default=str), file=sys.stderr)
    if "exact80" in args.only:
        for name in args.exact80_instances:
            for seed in args.seeds:
                records.append(run_exact80(name, seed, args.exact80_limit))
                print(json.dumps(records[-1], default=str), file=sys.stderr)
    if args.json:
        args.json.write_text("".join(json.dumps(r, default=str) + "\n" for r in records))
    text = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; load average "
        f"{info['load']} at the end. Python {info['python']}, numpy {info['numpy']}, numba "
        f"{info['numba']}, OR-Tools {info['ortools']}.",
        "",
        "Command: `python benchmarks/bounds.py "
        + " ".join(sys.argv[1:] if argv is None else argv)
        + "`",
        "",
    ]
    bound = [r for r in records if r["section"] == "bound"]
    if bound:
        text += [bound_table(bound, args.short, args.bound_limit), ""]
    cost = [r for r in records if r["section"] == "cost"]
    if cost:
        text += [cost_table(cost), ""]
    exact = [r for r in records if r["section"] == "exact"]
    if exact:
        text += [exact_table(exact), ""]
    exact80 = [r for r in records if r["section"] == "exact80"]
    if exact80:
        text += [exact80_table(exact80), ""]
    out = "\n".join(text)
    print(out)
    if args.out:
        args.out.write_text(out)


if __name__ == "__main__":
    main()
