"""The ``seating`` command line: ``demo``, ``plan``, ``schema``.

Exit codes: 0 success, 1 no feasible plan (with the reason), 2 bad input (one line, no
traceback). With ``--json`` standard output holds the JSON document alone; everything else
goes to standard error.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from seating.club_cli import club_app
from seating.console import MethodChoice, OneLineErrors, Seed, fail, write_atomically
from seating.display import metrics_table, print_plan, summary_line
from seating.errors import InputError
from seating.explain_cli import explain
from seating.metrics import dinner_metrics
from seating.models import ProblemInput, problem_json_schema
from seating.objective import objective
from seating.season.cli import golf
from seating.simulate_cli import simulate
from seating.solve import compiled_dinners, solve
from seating.solvers.baseline import random_plan

app = typer.Typer(
    help="Decide who sits at which table at a business-club dinner.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=OneLineErrors,
)
app.add_typer(club_app, name="club")
out = Console()
err = Console(stderr=True)


TimeLimit = Annotated[float, typer.Option("--time-limit", min=0.01, help="Seconds per dinner.")]


def sample_problem() -> ProblemInput:
    """The bundled sample club: 120 members, 2 years of monthly dinners, the next dinner."""
    text = resources.files("seating.data").joinpath("sample_club.json").read_text("utf-8")
    return ProblemInput.from_json(text)


@app.command()
def plan(
    problem_file: Annotated[Path, typer.Argument(help="Problem JSON (see `seating schema`).")],
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    method: Annotated[MethodChoice, typer.Option(help="Solver.")] = MethodChoice.auto,
    workers: Annotated[int | None, typer.Option(min=1, help="CP-SAT workers (default 8).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Also write the plan JSON.")
    ] = None,
) -> None:
    """Plan the dinners of PROBLEM_FILE and print the plan."""
    try:
        problem = ProblemInput.from_file(problem_file)
        result = solve(
            problem,
            method=method.value,
            time_limit=time_limit,
            seed=seed,
            num_workers=workers,
        )
    except InputError as exc:
        raise fail(str(exc)) from None
    if out_file is not None:
        try:
            write_atomically(out_file, result.to_json() + "\n")
        except OSError as exc:
            raise fail(f"--out {out_file}: {exc.strerror}") from None
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
    elif result.status.has_plan:
        print_plan(out, problem, compiled_dinners(problem, result), result)
    if not result.status.has_plan:
        raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
    err.print(summary_line(result), highlight=False) if as_json else None


@app.command()
def demo(time_limit: TimeLimit = 5.0, seed: Seed = 0) -> None:
    """Plan the next dinner of the bundled sample club and compare it with a random seating."""
    problem = sample_problem()
    dinner = problem.dinners[0]
    history = problem.history
    out.print(
        f"[bold]Sample club[/bold]: {len(problem.members)} members, {len(history)} past dinners "
        f"({history[0].date} to {history[-1].date}); next dinner {dinner.date}: "
        f"{len(dinner.attendees or problem.members)} attendees at {len(dinner.tables)} tables.",
        highlight=False,
    )
    out.print(
        f"Policy: repeat_weight {problem.policy.repeat_weight:+g} (avoid repeats); rules: at most "
        f"{problem.rules.max_per_company} per company per table, hosts at their tables.\n",
        highlight=False,
    )
    with err.status("planning..."):
        result = solve(problem, time_limit=time_limit, seed=seed)
    compiled = compiled_dinners(problem, result)
    print_plan(out, problem, compiled, result)
    baseline = random_plan(compiled[0], seed=seed)
    rows = {
        "this plan": (result.metrics, result.objective),
        "random seating": (dinner_metrics(compiled[0], baseline), objective(compiled[0], baseline)),
    }
    out.print(metrics_table(rows))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the problem file, for club software."""
    sys.stdout.write(json.dumps(problem_json_schema(), indent=2) + "\n")


app.command("explain")(explain)
app.command("simulate")(simulate)
app.command("golf")(golf)


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
