"""Policy presets over simulated seasons: the targets of the policies issue, measured.

    .venv/bin/python benchmarks/policies.py [--seeds 5] [--planner-time 60] [--out FILE]

Prints markdown tables (medians over seeds):

1. every preset over two years (24 dinners) of the bundled sample club, starting without
   history ("fresh") and continuing from its two years of random seatings ("continuing");
2. rotate's pair coverage against the explicit upper bound of
   :func:`seating.policies.season_metrics.coverage_bound` and against the season planner
   (:func:`seating.season.planner.plan_season`, all 24 dinners jointly, same attendance and
   chairs, started from rotate's season), where that planner is installed;
3. deepen-to-5's strong ties against random seating, and whether every member meets someone
   new every year;
4. the time to simulate 2 years of a 150-member club under one policy (one process).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import pandas as pd

from seating.models import Dinner, PastDinner, Policy, ProblemInput
from seating.policies.presets import PRESET_NAMES
from seating.policies.season_metrics import HEADLINE_METRICS, barred_pairs, season_metrics
from seating.policies.simulate import SeasonRun, simulate
from seating.policies.synthetic import synthetic_club
from seating.read import sample_problem
from seating.result import Result, Status

# The newcomer column is left out: these seasons have no newcomers.
COLUMNS = [c for c in HEADLINE_METRICS if c != "newcomer_dinners_to_k"]


def markdown(frame: pd.DataFrame, digits: int = 3) -> str:
    """A DataFrame as a GitHub markdown table (no extra dependency)."""
    frame = frame.round(digits)
    head = ["", *map(str, frame.columns)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for index, row in frame.iterrows():
        cells = [f"{v:g}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join([str(index), *cells]) + " |")
    return "\n".join(lines)


def planner_coverage(run: SeasonRun, time_limit: float) -> float | None:
    """Pair coverage of the season planner's schedule on the attendance of ``run``."""
    try:
        from seating.season.planner import plan_season
    except ImportError:
        return None
    calendar = run.calendar
    dinners = [
        Dinner(date=calendar.dates[k], attendees=list(calendar.attendees[k]), tables=run.tables[k])
        for k in range(len(run.plans))
        if calendar.attendees[k]
    ]
    problem = ProblemInput(
        members=list(calendar.members),
        history=run.prior,
        dinners=dinners,
        policy=Policy(repeat_weight=-1.0),
        rules=run.club.rules,
    )
    start = Result(status=Status.FEASIBLE, dinners=[p for p in run.plans if p.tables])
    result = plan_season(problem, time_limit=time_limit, seed=run.seed, initial=start)
    if not result.status.has_plan:
        return None
    season = [
        PastDinner(date=d.date, tables=[t.members for t in d.tables if t.members])
        for d in result.dinners
    ]
    metrics = season_metrics(
        season,
        members=[m.id for m in calendar.members],
        barred=barred_pairs(calendar.members, run.club.rules),
    )
    return metrics["pair_coverage"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--dinners", type=int, default=24)
    parser.add_argument("--planner-time", type=float, default=60.0, help="0: skip the planner")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    club = sample_problem()
    report: list[str] = [
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average at start {os.getloadavg()[0]:.1f}",
        f"club: bundled sample ({len(club.members)} members), {args.dinners} dinners, "
        f"seeds {seeds[0]}..{seeds[-1]}",
    ]

    results = {}
    for label, history in (("fresh", False), ("continuing", True)):
        started = time.perf_counter()
        result = simulate(
            club,
            list(PRESET_NAMES),
            dinners=args.dinners,
            seeds=seeds,
            history=history,
            processes=args.processes,
            progress=True,
        )
        results[label] = result
        report += [
            "",
            f"## {label}: {'the policy sees' if history else 'no'} history "
            f"({time.perf_counter() - started:.0f} s)",
            "",
            markdown(result.summary()[COLUMNS]),
        ]

    fresh = results["fresh"].metrics.set_index(["policy", "seed"])
    rotate = fresh.loc["rotate"]
    share_bound = rotate["pair_coverage"] / rotate["coverage_bound"]
    report += ["", "## targets (fresh season, medians over seeds)", ""]
    report.append(
        f"- rotate coverage / upper bound: median {share_bound.median():.3f} "
        f"(per seed {', '.join(f'{v:.3f}' for v in share_bound)})"
    )
    if args.planner_time > 0:
        shares = []
        for seed in seeds:
            run = results["fresh"].run("rotate", seed)
            planned = planner_coverage(run, args.planner_time)
            if planned is None:
                report.append("- season planner: not available")
                break
            shares.append(run.metrics["pair_coverage"] / planned)
            report.append(
                f"  - seed {seed}: rotate {run.metrics['pair_coverage']:.4f}, season planner "
                f"({args.planner_time:g} s) {planned:.4f}"
            )
        if shares:
            report.append(
                f"- rotate coverage / season planner coverage: median "
                f"{statistics.median(shares):.3f}"
            )
    ties = fresh.loc["deepen-to-5"]["strong_ties"] / fresh.loc["random"]["strong_ties"].clip(1)
    new_each_year = fresh.loc["deepen-to-5"]["met_new_each_year"]
    report.append(
        f"- deepen-to-5 strong ties / random: median {ties.median():.1f}x "
        f"(deepen-to-5 {fresh.loc['deepen-to-5']['strong_ties'].median():g}, "
        f"random {fresh.loc['random']['strong_ties'].median():g})"
    )
    report.append(
        f"- deepen-to-5 member-years with a new contact: median {new_each_year.median():.4f}, "
        f"lowest {new_each_year.min():.4f}"
    )
    going = results["continuing"].metrics.set_index(["policy", "seed"])
    ties = going.loc["deepen-to-5"]["strong_ties"] / going.loc["random"]["strong_ties"].clip(1)
    report.append(
        f"- continuing: deepen-to-5 strong ties / random median {ties.median():.1f}x, "
        f"member-years with a new contact median "
        f"{going.loc['deepen-to-5']['met_new_each_year'].median():.4f}"
    )

    big = synthetic_club(num_members=150, num_history=24, seed=0)
    for policy in ("rotate", "deepen-to-k"):
        wall, cpu = time.perf_counter(), time.process_time()
        result = simulate(big, policy, dinners=24, seeds=1, processes=1, progress=False)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        attendees = statistics.mean(len(a) for a in result.runs[0].calendar.attendees)
        report.append(
            f"- 150 members ({attendees:.0f} attendees per dinner), 24 dinners, {policy}: "
            f"{wall:.1f} s wall, {cpu:.1f} s CPU (one process)"
        )
    report.append(f"- load average at the end {os.getloadavg()[0]:.1f}")

    text = "\n".join(report)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
