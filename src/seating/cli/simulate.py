"""``seating simulate [PROBLEM.json] --preset NAME ...``: compare policies over simulated seasons.

Registered in :mod:`seating.cli`. Exit codes as everywhere: 0 success, 2 bad input (one line).
With ``--json`` standard output holds the metrics (one record per policy and seed) alone.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from seating.cli.console import fail, write_atomically
from seating.errors import InputError
from seating.policies.presets import PRESET_NAMES
from seating.read import read_problem, sample_problem

if TYPE_CHECKING:
    import pandas as pd

out = Console()
err = Console(stderr=True)


def _shown(summary: pd.DataFrame) -> list[str]:
    from seating.policies.season_metrics import HEADLINE_METRICS  # pandas: only when simulating

    return [c for c in HEADLINE_METRICS if c in summary.columns and not summary[c].isna().all()]


def _summary_table(summary: pd.DataFrame, title: str) -> Table:
    table = Table(title=title)
    table.add_column("metric (median over seeds)")
    for policy in summary.index:
        table.add_column(str(policy), justify="right")
    for column in _shown(summary):
        table.add_row(column, *(_fmt(v) for v in summary[column]))
    return table


def _fmt(value: float) -> str:
    if math.isnan(value):
        return "-"
    if value == int(value) and abs(value) >= 1:
        return f"{int(value)}"
    return f"{value:.3g}"


def simulate(
    problem_file: Annotated[
        Path | None,
        typer.Argument(help="Club as a problem JSON (default: the bundled sample club)."),
    ] = None,
    preset: Annotated[
        list[str] | None,
        typer.Option(
            "--preset",
            "-p",
            help=f"Preset, repeatable: {', '.join(PRESET_NAMES)} "
            "(default: rotate, deepen-to-k, random).",
        ),
    ] = None,
    dinners: Annotated[int, typer.Option(help="Dinners per season.")] = 24,
    seeds: Annotated[int, typer.Option(help="Seasons per preset (seeds 0..N-1).")] = 3,
    k: Annotated[int, typer.Option("-k", help="Target meetings of deepen-to-k.")] = 5,
    attendance: Annotated[
        float | None,
        typer.Option(help="Attendance probability for everyone (default: from history)."),
    ] = None,
    join_rate: Annotated[float, typer.Option(help="New members per dinner (mean).")] = 0.0,
    leave_rate: Annotated[float, typer.Option(help="Chance a member leaves per dinner.")] = 0.0,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Start the season without the club's past.")
    ] = False,
    processes: Annotated[int, typer.Option(help="Worker processes (0: one per core).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="Also write the metrics, one row per season.")
    ] = None,
) -> None:
    """Simulate seasons under policy presets and compare them (coverage, strong ties, ...).

    Each planned dinner's search stops on iteration counts, so a seed gives the same seasons
    on any machine; its time limit (60 s) is per planned dinner, a backstop, not a budget for
    the whole command.
    """
    try:
        club = sample_problem() if problem_file is None else read_problem(problem_file)
        if processes < 0:
            raise InputError(f"processes: must be at least 0 (got {processes})")
        if csv_file is not None and not csv_file.resolve().parent.is_dir():
            # Said before the simulation, not after minutes of it.
            raise InputError(f"--csv {csv_file}: no folder {csv_file.parent}")
        # Imported here: pandas and the simulator cost every other command half a second.
        from seating.policies.simulate import simulate as run_simulation

        result = run_simulation(
            club,
            preset or ["rotate", "deepen-to-k", "random"],
            dinners=dinners,
            seeds=seeds,
            k=k,
            attendance=attendance,
            join_rate=join_rate,
            leave_rate=leave_rate,
            history=not no_history,
            processes=processes or None,
            progress=True,
        )
    except InputError as exc:
        raise fail(str(exc)) from None
    metrics = result.metrics
    if csv_file is not None:
        try:
            write_atomically(csv_file, metrics.to_csv(index=False))
        except OSError as exc:
            raise fail(f"--csv {csv_file}: {exc.strerror or exc}") from None
    if as_json:
        sys.stdout.write(metrics.to_json(orient="records", indent=2) + "\n")
        return
    title = (
        f"{dinners} dinners, {seeds} seed{'s' if seeds > 1 else ''}, "
        f"{int(metrics['members'].max()) if len(metrics) else 0} members"
    )
    from seating.policies.season_metrics import METRIC_COLUMNS

    summary = result.summary()
    out.print(_summary_table(summary, title))
    for column in _shown(summary):
        out.print(f"[dim]{column}: {METRIC_COLUMNS[column]}[/dim]", highlight=False)
    err.print(f"simulated in {result.seconds:.1f} s", highlight=False)
