"""What every command shares: the one-line error exit, atomic file writes, common options."""

from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from seating.club.writing import write_text_atomically
from seating.errors import InputError
from seating.stop import TimeBudget, first_plan_grace

err = Console(stderr=True, soft_wrap=True)


class MethodChoice(StrEnum):
    """The ``--method`` choices (see :func:`seating.solve`)."""

    auto = "auto"
    cpsat = "cpsat"
    local = "local"
    exact = "exact"


Seed = Annotated[
    int,
    typer.Option(
        "--seed",
        min=0,
        help="Random seed (same seed, one worker: same plan unless a time limit cuts the search).",
    ),
]


WHOLE_COMMAND = "Seconds for the whole command (reading, every dinner, every phase)."
"""Help of every ``--time-limit`` that budgets a whole command."""

_COUNT_START_UP = False
"""Whether :func:`command_budget` charges the time since the process started (set by
:func:`count_start_up`, i.e. only in the ``seating`` program itself)."""


def count_start_up() -> None:
    """Charge the interpreter's start-up and imports to the budget of every command.

    The console entry point calls it: a ``--time-limit`` of S seconds then ends S seconds
    after the process started, as the user's clock counts. Commands run in-process (tests,
    notebooks) start their budget when the command starts.
    """
    global _COUNT_START_UP
    _COUNT_START_UP = True


def _process_age() -> float:
    """Seconds since this process started: Linux's /proc, else 0 (nothing charged)."""
    try:
        # Field 22 of /proc/self/stat, the start in clock ticks after boot; the fields after
        # the command name (in parentheses, which may hold spaces) start at field 3.
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return max(0.0, uptime - started)


def command_budget(time_limit: float) -> TimeBudget:
    """The ``--time-limit`` budget of a whole command: reading the input and the checks before
    the search count against it, and in the ``seating`` program the start-up too
    (:func:`count_start_up`).

    Raises
    ------
    InputError
        The time limit is not a positive, finite number of seconds.
    """
    if not (math.isfinite(time_limit) and time_limit > 0):
        raise InputError(f"--time-limit: must be a positive number of seconds (got {time_limit})")
    spent = _process_age() if _COUNT_START_UP else 0.0
    # The grace of the first plan is counted from the command's deadline, start-up included.
    return TimeBudget(max(0.0, time_limit - spent), grace=first_plan_grace(time_limit))


def escaped(text: str) -> str:
    """``text`` with every control character (C0, DEL, C1) written as a Python escape."""
    return "".join(repr(c)[1:-1] if unicodedata.category(c) == "Cc" else c for c in text)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` as one line on standard error; return the exit to raise.

    The message names user-supplied ids, which print as they are, never as rich markup, and
    with their control characters escaped (``\\x85``): a line break or a terminal escape in
    an echoed header or name would split the one line or reach the terminal.
    """
    err.print(Text.assemble(("error:", "red"), " ", escaped(message)), highlight=False)
    return typer.Exit(code)


# Click's exception base, found from typer's public BadParameter: recent typer vendors click
# (typer._click), older typer uses the click package, so no one import path holds for both.
_ClickException: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


def usage_error_line(exc: Exception) -> str:
    """A click usage error (bad value, unknown option, missing argument) as one sentence.

    ``Invalid value for '--seed': ...`` becomes ``invalid value for '--seed': ...``: lower case
    and no final full stop, like every other ``error:`` line.
    """
    text = " ".join(line.strip() for line in exc.format_message().splitlines() if line.strip())
    text = text.removesuffix(".")
    return text[:1].lower() + text[1:]


@contextmanager
def _one_line_usage_errors() -> Iterator[None]:
    try:
        yield
    except _ClickException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            raise  # a bare command group prints its help, as before
        raise fail(usage_error_line(exc), code=exc.exit_code) from None


class OneLineErrors(TyperGroup):
    """A typer command group whose usage errors print as one ``error:`` line (see :func:`fail`).

    Typer draws its own usage errors as a boxed panel of several lines; the product rule for
    bad input is one line naming the problem, exit code 2, no traceback. Parsing the group's
    own options (``make_context``) and everything below it (``invoke``: sub-commands and
    sub-groups) go through here, so one ``cls=OneLineErrors`` on the top group covers every
    command. Use it as ``typer.Typer(cls=OneLineErrors)``.
    """

    def make_context(self, info_name: str | None, args: list[str], *a: Any, **kw: Any) -> Any:
        with _one_line_usage_errors():
            return super().make_context(info_name, args, *a, **kw)

    def invoke(self, ctx: Any) -> Any:
        with _one_line_usage_errors():
            return super().invoke(ctx)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old file or the new one
    (with the permissions the umask gives, as any new file)."""
    write_text_atomically(path, text)
