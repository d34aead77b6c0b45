"""The ``seating`` command line: ``demo``, ``plan``, ``schema``.

Exit codes: 0 success, 1 no feasible plan (with the reason), 2 bad input (one line, no
traceback). With ``--json`` standard output holds the JSON document alone; everything else
goes to standard error.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from seating.cli import interrupt
from seating.cli.console import (
    WHOLE_COMMAND,
    MethodChoice,
    OneLineErrors,
    Seed,
    command_budget,
    count_start_up,
    escaped,
    fail,
    write_atomically,
)
from seating.cli.display import metrics_table, print_plan, summary_line
from seating.compile.courses import course_rounds, expand_courses, round_titles
from seating.compile.metrics import dinner_metrics
from seating.compile.objective import objective
from seating.compile.plans import compiled_dinners
from seating.errors import InputError
from seating.read import problem_json_schema, read_problem, sample_problem
from seating.solve import solve
from seating.solvers.baseline import random_plan

LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "explain": ("seating.cli.explain", "explain"),
    "simulate": ("seating.cli.simulate", "simulate"),
    "golf": ("seating.cli.golf", "golf"),
    "club": ("seating.cli.club", "club_app"),
    "serve": ("seating.cli.serve", "serve"),
}
"""Commands imported only when they run or the help lists them: ``name: (module, attribute)``,
a command function or a typer app (a command group). ``seating plan`` needs none of them, and
importing them all (club database, reports, season planner) cost a sixth of a second
(``python -X importtime``)."""


def _lazy_command(name: str) -> Any:
    """The click command ``name`` of :data:`LAZY_COMMANDS`, built as typer builds it."""
    module, attribute = LAZY_COMMANDS[name]
    target = getattr(importlib.import_module(module), attribute)
    holder = typer.Typer(add_completion=False)
    holder.callback()(lambda: None)  # a group, so that even a lone command keeps its name
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]


class LazyCommands(OneLineErrors):
    """:class:`~seating.cli.console.OneLineErrors` that imports :data:`LAZY_COMMANDS` on use."""

    def list_commands(self, ctx: Any) -> list[str]:
        eager = [n for n in super().list_commands(ctx) if n not in LAZY_COMMANDS]
        return [*eager, *LAZY_COMMANDS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            self.commands[cmd_name] = _lazy_command(cmd_name)
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    help="Decide who sits at which table at a business-club dinner.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyCommands,
)
out = Console()
err = Console(stderr=True)


TimeLimit = Annotated[float, typer.Option("--time-limit", min=0.01, help=WHOLE_COMMAND)]


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
        limit = command_budget(time_limit)
        problem = read_problem(problem_file)
        result = solve(
            problem,
            method=method.value,
            time_limit=time_limit,
            seed=seed,
            num_workers=workers,
            stop=limit,
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
        # Dinners with courses print one seating per course (each course a round).
        rounds, planned = expand_courses(problem), course_rounds(result)
        compiled = compiled_dinners(rounds, planned)
        print_plan(out, rounds, compiled, planned, titles=round_titles(problem))
    if not result.status.has_plan:
        raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
    err.print(summary_line(result), highlight=False) if as_json else None


@app.command()
def demo(time_limit: TimeLimit = 5.0, seed: Seed = 0) -> None:
    """Plan the next dinner of the bundled sample club and compare it with a random seating."""
    try:
        limit = command_budget(time_limit)
    except InputError as exc:
        raise fail(str(exc)) from None
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
        result = solve(problem, time_limit=time_limit, seed=seed, stop=limit)
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


def main() -> None:
    """Console entry point.

    Leaves through :func:`os._exit` once the output is flushed: Python's own teardown of the
    700-odd modules a command loads (numba and llvmlite among them) took 0.15 s at load 1 and
    up to 0.9 s on a loaded machine, after the command's work and outside its time limit.
    Nothing is left to do by then: every file is written atomically and every database
    transaction has committed or rolled back before ``app`` returns.
    """
    interrupt.install()
    count_start_up()
    # The library's warnings (a guest without their inviter, pairs meeting twice in an
    # evening) are for people: one line each, without the source line that raised them.
    warnings.formatwarning = _one_line
    try:
        app()
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`seating ... | head`)
            code = code or 1
    os._exit(code)


def _exit_code(code: object) -> int:
    """The process exit code :exc:`SystemExit` stands for (a message: printed, then 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _one_line(message: Warning | str, *_: object, **__: object) -> str:
    # A warning can quote a name or a header from the input: its control characters are
    # escaped, as in error lines, so the warning stays one line and cannot reach the terminal.
    return f"warning: {escaped(str(message))}\n"


if __name__ == "__main__":
    main()
