"""Benchmarks of the table rules of issue 12: what each rule costs, against the same dinner
without it, run in the same command.

    PYTHONPATH=src .venv/bin/python benchmarks/rules.py
        [--only language newcomers both courses exact] [--seeds 0 1 2 3 4] [--short 2]
        [--long 30] [--season 10] [--exact 10] [--exact-rules no lang ...] [--workers 2]
        [--out FILE] [--json FILE]

Sections (instances in ``benchmarks/rules_instances.py``):

- ``language``: the 80-attendee club dinner (10 tables of 8, 6 hosts, 15 % French only, 25 %
  Dutch only) with ``rules.language = "table"``; rows: the dinner without the rule (the
  baseline of the ratios), the rule as the library seats it (pair form, fast path), the rule on
  the general path (``pair_form=False``, how it was seated before), and a *relaxation*: the
  dinner without the rule but with every pair that shares no language kept apart. Every plan
  holding the language rule holds the relaxation, so the relaxation's cost, searched by the
  same fast search, says what the languages cost whatever the search;
- ``newcomers``: the same dinner with 8 of its attendees replaced by members who joined after
  the last dinner, ``newcomer_dinners = 3``, ``max_newcomers_per_table = 1``;
- ``both``: the language rule and the newcomers together;
- ``courses``: the club dinner (no table rule) with ``courses = 2`` against the same two
  seatings planned as a season of two dinners, both through ``seating.solve`` with ``--season``
  seconds; the pairs seated together at both seatings are counted from the plans;
- ``exact``: 24-attendee dinners (3 tables of 8, 2 hosts, 3 newcomers, the same languages);
  CP-SAT alone with each rule of issue 12, does it prove optimality and how fast.

The local search runs until its own stopping rule or ``--short`` seconds, single-threaded; CP-SAT
with ``--workers``. No assertion is made here: the targets are read off the tables.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import itertools
import json
import shlex
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rules_instances import (
    club_dinner,
    exact_variants,
    language_dinner,
    newcomer_dinner,
    with_rules,
)
from run import _timed, machine, table, warm_up
from seating.compile.objective import violations
from seating.compile.problem import DinnerProblem, check_references, compile_dinner
from seating.compile.table_rules import TableRules
from seating.models import ProblemInput
from seating.solve import solve
from seating.solvers.cpsat import solve_cpsat
from seating.solvers.local.search import solve_local

SECTIONS = ("language", "newcomers", "both", "courses", "exact")
Record = dict[str, Any]


def compiled(problem: ProblemInput) -> DinnerProblem:
    check_references(problem)
    return compile_dinner(problem, 0)


def relaxed(dinner: DinnerProblem) -> DinnerProblem:
    """The dinner without its table rules, with each pair sharing no language kept apart."""
    apart = ~dinner.table_rules.shares()
    np.fill_diagonal(apart, False)
    return dataclasses.replace(dinner, forbidden=dinner.forbidden | apart, table_rules=TableRules())


def run_local(
    instance: str,
    seed: int,
    method: str,
    dinner: DinnerProblem,
    limit: float,
    *,
    check: DinnerProblem | None = None,
    pair_form: bool = True,
) -> Record:
    outcome, wall, cpu = _timed(
        solve_local, dinner, seed=seed, time_limit=limit, pair_form=pair_form
    )
    plan = outcome.table_of
    broken = None if plan is None else len(violations(check or dinner, plan))
    return {
        "instance": instance,
        "seed": seed,
        "method": method,
        "limit": limit,
        "wall": wall,
        "cpu": cpu,
        "objective": outcome.objective,
        "bound": None,
        "status": outcome.status.value if not broken else "breaks rules",
        "labels": outcome.stats.get("labels"),
    }


def run_cpsat(
    instance: str, seed: int, method: str, dinner: DinnerProblem, limit: float, workers: int
) -> Record:
    outcome, wall, cpu = _timed(
        solve_cpsat, dinner, time_limit=limit, seed=seed, num_workers=workers
    )
    return {
        "instance": instance,
        "seed": seed,
        "method": method,
        "limit": limit,
        "wall": wall,
        "cpu": cpu,
        "objective": outcome.objective,
        "bound": outcome.bound,
        "status": outcome.status.value,
    }


def _progress(records: list[Record]) -> None:
    for r in records:
        print(
            f"  {r['instance']} seed {r['seed']} {r['method']}: {r['objective']} "
            f"({r['status']}, {r['wall']:.2f} s)",
            file=sys.stderr,
            flush=True,
        )


def section_language(args: argparse.Namespace) -> list[Record]:
    records = []
    for seed in args.seeds:
        ruled, plain = (compiled(p) for p in language_dinner(seed))
        name, s = "language", args.short
        rows = [
            run_local(name, seed, "no language rule", plain, s),
            run_local(name, seed, f"language rule, {s:g} s", ruled, s),
            run_local(
                name, seed, f"language rule, general path, {s:g} s", ruled, s, pair_form=False
            ),
            run_local(
                name,
                seed,
                "relaxation: pairs sharing no language apart",
                relaxed(ruled),
                s,
                check=relaxed(ruled),
            ),
        ]
        if args.long > 0:
            rows.append(run_local(name, seed, f"language rule, {args.long:g} s", ruled, args.long))
        _progress(rows)
        records += rows
    return records


def section_newcomers(args: argparse.Namespace) -> list[Record]:
    records = []
    for seed in args.seeds:
        ruled, plain = (compiled(p) for p in newcomer_dinner(seed))
        name, s = "newcomers", args.short
        rows = [
            run_local(name, seed, "no newcomer rule", plain, s),
            run_local(name, seed, f"newcomer rule, {s:g} s", ruled, s),
            run_local(
                name, seed, f"newcomer rule, general path, {s:g} s", ruled, s, pair_form=False
            ),
        ]
        _progress(rows)
        records += rows
    return records


def section_both(args: argparse.Namespace) -> list[Record]:
    records = []
    for seed in args.seeds:
        ruled, plain = newcomer_dinner(seed)
        both = with_rules(ruled, language="table")
        name, s = "both", args.short
        rows = [
            run_local(name, seed, "no table rule", compiled(plain), s),
            run_local(name, seed, f"language and newcomer rules, {s:g} s", compiled(both), s),
            run_local(
                name,
                seed,
                f"language and newcomer rules, general path, {s:g} s",
                compiled(both),
                s,
                pair_form=False,
            ),
        ]
        _progress(rows)
        records += rows
    return records


def _both_dinners(plans) -> int:
    """Pairs seated together at both of two seatings (each a list of tables of ids)."""
    first = {frozenset(p) for t in plans[0] for p in itertools.combinations(t, 2)}
    return sum(frozenset(p) in first for t in plans[1] for p in itertools.combinations(t, 2))


def run_plan(instance: str, seed: int, method: str, problem: ProblemInput, limit: float) -> Record:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result, wall, cpu = _timed(solve, problem, time_limit=limit, seed=seed)
    seatings = []
    for dinner in result.dinners:
        for course in dinner.courses or [dinner]:
            seatings.append([t.members for t in course.tables])
    return {
        "instance": instance,
        "seed": seed,
        "method": method,
        "limit": limit,
        "wall": wall,
        "cpu": cpu,
        "objective": result.objective,
        "bound": None,
        "status": result.status.value,
        "twice": _both_dinners(seatings) if len(seatings) == 2 else None,
        "repeat_pairs": result.metrics.repeat_pairs,
    }


def section_courses(args: argparse.Namespace) -> list[Record]:
    """The club dinner with 2 courses against the same two seatings planned as a season of
    two dinners (the second a day later), both through ``seating.solve``."""
    records = []
    for seed in args.seeds:
        base = club_dinner(seed)
        dinner = base.dinners[0]
        two = base.model_copy(update={"dinners": [dinner.model_copy(update={"courses": 2})]})
        later = dinner.model_copy(update={"date": dinner.date + dt.timedelta(days=1)})
        season = base.model_copy(update={"dinners": [dinner, later]})
        limit = args.season
        rows = [
            run_plan("courses", seed, f"2-dinner season, {limit:g} s", season, limit),
            run_plan("courses", seed, f"2 courses, {limit:g} s", two, limit),
        ]
        _progress(rows)
        records += rows
    return records


def courses_table(records: list[Record]) -> str:
    """The course rows beside the season: objective, pairs twice in the evening, ratios."""
    rows: dict[str, list[Record]] = {}
    for r in records:
        if r["instance"] == "courses":
            rows.setdefault(r["method"], []).append(r)
    base = {r["seed"]: r for m, rs in rows.items() if m.startswith("2-dinner") for r in rs}
    head = [
        "method",
        "seeds",
        "median time (s)",
        "median objective",
        "median repeat pairs",
        "pairs together at both seatings",
        "objective / season",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for method, rs in rows.items():
        ratios = [
            r["objective"] / base[r["seed"]]["objective"]
            for r in rs
            if r["objective"] is not None and base.get(r["seed"], {}).get("objective")
        ]
        cells = [
            method,
            ", ".join(str(r["seed"]) for r in rs),
            f"{np.median([r['wall'] for r in rs]):.3g}",
            f"{np.median([r['objective'] for r in rs]):g}",
            f"{np.median([r['repeat_pairs'] for r in rs]):g}",
            ", ".join(str(r["twice"]) for r in rs),
            f"{np.median(ratios):.4f}" if ratios else "",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def section_exact(args: argparse.Namespace) -> list[Record]:
    records = []
    for seed in args.seeds:
        rows = []
        for label, problem in exact_variants(seed).items():
            if args.exact_rules and not any(label.startswith(r) for r in args.exact_rules):
                continue
            rows.append(
                run_cpsat(
                    "exact",
                    seed,
                    f"cpsat {args.exact:g} s, {label}",
                    compiled(problem),
                    args.exact,
                    args.workers,
                )
            )
        _progress(rows)
        records += rows
    return records


TITLES = {
    "language": 'The 80-attendee club dinner with `rules.language = "table"`',
    "newcomers": "The same dinner with 8 newcomers (`newcomer_dinners = 3`, "
    "`max_newcomers_per_table = 1`)",
    "both": "The same dinner with 8 newcomers and the language rule",
    "courses": "The club dinner with 2 courses against a 2-dinner season",
    "exact": "24 attendees, CP-SAT alone with each rule",
}
BASELINES = {
    "language": "no language rule",
    "newcomers": "no newcomer rule",
    "both": "no table rule",
    "courses": None,
    "exact": None,
}


def exact_table(records: list[Record]) -> str:
    """One row per rule: each row is its own problem, so bounds are not shared between rows."""
    rows: dict[str, list[Record]] = {}
    for r in records:
        if r["instance"] == "exact":
            rows.setdefault(r["method"], []).append(r)
    head = [
        "CP-SAT alone",
        "seeds",
        "proven optimal",
        "median time (s)",
        "median CPU (s)",
        "slowest (s)",
        "median objective",
        "median bound",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for method, rs in rows.items():
        proven = sum(r["status"] == "optimal" for r in rs)
        none = sum(r["status"] == "infeasible" for r in rs)
        values = [r["objective"] for r in rs if r["objective"] is not None]
        bounds = [r["bound"] for r in rs if r["bound"] is not None]
        cells = [
            method,
            ", ".join(str(r["seed"]) for r in rs),
            f"{proven} of {len(rs)}" + (f" (and {none} proven infeasible)" if none else ""),
            f"{np.median([r['wall'] for r in rs]):.3g}",
            f"{np.median([r['cpu'] for r in rs]):.3g}",
            f"{max(r['wall'] for r in rs):.3g}",
            f"{np.median(values):g}" if values else "",
            f"{np.median(bounds):g}" if bounds else "",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(records: list[Record], info: dict[str, str]) -> str:
    command = "python benchmarks/rules.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    parts = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; load average "
        f"{info['load']} at the start. Python {info['python']}, numpy {info['numpy']}, "
        f"numba {info['numba']}, OR-Tools {info['ortools']}.",
        f"Command: `{command.strip()}`",
    ]
    for name in SECTIONS:
        if not any(r["instance"] == name for r in records):
            continue
        if name == "exact":
            shown = exact_table(records)
        elif name == "courses":
            shown = courses_table(records)
        else:
            shown = table(records, name, BASELINES[name])
        parts.append(f"#### {TITLES[name]}\n\n" + shown)
    return "\n\n".join(parts) + "\n"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--short", type=float, default=2.0, help="local search limit (s)")
    parser.add_argument(
        "--long", type=float, default=30.0, help="a longer run of the language rule, 0 to skip (s)"
    )
    parser.add_argument(
        "--season",
        type=float,
        default=10.0,
        help="time limit of the 2-course dinner and the 2-dinner season (s)",
    )
    parser.add_argument("--exact", type=float, default=10.0, help="CP-SAT limit, 24 seats (s)")
    parser.add_argument(
        "--exact-rules",
        nargs="*",
        default=None,
        help="only the 24-attendee rows whose rule starts with one of these",
    )
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers")
    parser.add_argument("--json", type=Path, default=None, help="append raw records here")
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    info = machine()
    warm_up()
    runners = {
        "language": section_language,
        "newcomers": section_newcomers,
        "both": section_both,
        "courses": section_courses,
        "exact": section_exact,
    }
    records: list[Record] = []
    for name in SECTIONS:
        if name in args.only:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            records += runners[name](args)
    if args.json is not None:
        with args.json.open("a", encoding="utf-8") as handle:
            for r in records:
                handle.write(json.dumps(r) + "\n")
    text = report(records, info)
    print(text)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
