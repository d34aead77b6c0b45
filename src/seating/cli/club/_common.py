"""What the ``seating club`` commands share: the command group, consoles, options, the
one-line error handling (a workflow's field named as its option), the workflow's notes, and
reading ids, dates and table sizes from options."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from seating.cli.console import WHOLE_COMMAND, MethodChoice, OneLineErrors, fail
from seating.club import files as csvio
from seating.club import workflow
from seating.club.database import remove_created_if_empty
from seating.club.headers import parse_mapping
from seating.club.store import DEFAULT_DB, ClubStore, StoreBusyError
from seating.club.values import TypedValueError, parse_date
from seating.errors import InputError
from seating.models import describe_validation_error

club_app = typer.Typer(
    help="The organiser's workflow on the club database (SQLite, seating.db by default).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=OneLineErrors,
)
# Names, companies and ids are data: never read as rich markup ("[/b]" must not crash a
# command, "[red]Bob" must print as typed). The core's plan display escapes its own data.
out = Console(soft_wrap=True, markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False)
plan_out = Console(soft_wrap=True)

DbPath = Annotated[Path, typer.Option("--db", envvar="SEATING_DB", help="The club database file.")]
BusyTimeout = Annotated[
    float,
    typer.Option("--busy-timeout", min=0.0, help="Seconds to wait while another process writes."),
]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="The dinner (YYYY-MM-DD or DD/MM/YYYY); default: the only draft."),
]
Course = Annotated[
    int,
    typer.Option(
        "--course", help="Of a dinner with several courses: the course to change (from 1)."
    ),
]
Columns = Annotated[
    list[str] | None,
    typer.Option(
        "--column", help="Map a header of your file: HEADER=COLUMN, e.g. lidnummer=id (repeatable)."
    ),
]
Sheet = Annotated[
    str | None, typer.Option("--sheet", help="The sheet to read of an Excel workbook.")
]
TimeLimit = Annotated[float, typer.Option("--time-limit", min=0.05, help=WHOLE_COMMAND)]
Method = Annotated[MethodChoice, typer.Option(help="Solver.")]
TableSizes = Annotated[
    str, typer.Option(help="Without --tables: sizes to cycle through, e.g. 10,8.")
]
AutoHosts = Annotated[bool, typer.Option(help="Seat members flagged as hosts at hostless tables.")]
FewestMoves = Annotated[
    bool,
    typer.Option(
        "--fewest-moves/--reoptimise",
        help="Move only the people named and as few others as the rules need (default), or "
        "re-optimise the whole dinner around them.",
    ),
]
Verbose = Annotated[
    bool,
    typer.Option(
        "--verbose", "-v", help="Also the solver's line: status, objective, bound, gap, time."
    ),
]
DEFAULT_DB_PATH = Path(DEFAULT_DB)


_OPTIONS = {
    "remove_tables": "--remove-table",
    "add_tables": "--add-table",
    # Arguments, not options: the command's name says which.
    "pin": "pin",
    "swap": "swap",
    "unpin": "unpin",
    "member_argument": "member",
}
"""A workflow's field -> the option that gives it, where it is not ``--`` + the field dashed."""


def _option(field: str) -> str:
    return _OPTIONS.get(field, "--" + field.replace("_", "-"))


_NOTES: list[str] = []
"""Notes of the running command, printed by :func:`_handled` when it succeeds."""


def note(*messages: str) -> None:
    """``note:`` lines for standard error once the command has passed its checks, so that an
    error stays the only line a failing command prints (the workflow returns its notes)."""
    for message in messages:
        if message not in _NOTES:
            _NOTES.append(message)


@contextmanager
def _handled() -> Iterator[None]:
    """Bad input -> exit 2 with one line; a busy database -> exit 3; the notes on success.

    A command that fails leaves no new, empty club database behind
    (:func:`~seating.club.database.remove_created_if_empty`).
    """
    _NOTES.clear()
    try:
        with _errors_as_exits():
            yield
    except BaseException as exc:
        if not (isinstance(exc, typer.Exit) and exc.exit_code == 0):
            remove_created_if_empty()
        raise


@contextmanager
def _errors_as_exits() -> Iterator[None]:
    try:
        yield
    except StoreBusyError as exc:
        raise fail(str(exc), 3) from None
    except workflow.FieldError as exc:
        raise fail(f"{_option(exc.field)}: {exc.problem}", 2) from None
    except InputError as exc:
        raise fail(str(exc), 2) from None
    except ValidationError as exc:
        raise fail(describe_validation_error(exc), 2) from None
    except sqlite3.DatabaseError as exc:
        # A read outside the store's transactions met a damaged or unwritable file.
        raise fail(f"the club database cannot be used ({exc}); restore it from a backup") from None
    except typer.Exit as exc:
        if exc.exit_code == 1:
            _print_notes()  # no plan: the notes may say why (earlier drafts counted)
        raise
    _print_notes()


def _print_notes() -> None:
    for message in _NOTES:
        err.print(f"note: {message}", highlight=False)
    _NOTES.clear()


@contextmanager
def progress_after(
    console: Console, label: str, seconds: float, delay: float = 1.0
) -> Iterator[None]:
    """Show a progress bar (elapsed against ``seconds``) once the block runs past ``delay``.

    Only on a terminal: in a pipe or a log the bar would leave an empty line behind.
    """
    if not console.is_terminal:
        yield
        return
    done = threading.Event()

    def run() -> None:
        if done.wait(delay):
            return
        columns = (SpinnerColumn(), TextColumn(label), BarColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task(label, total=seconds, completed=delay)
            started = time.monotonic() - delay
            while not done.wait(0.1):
                progress.update(task, completed=min(seconds, time.monotonic() - started))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _open(db: Path, busy_timeout: float, *, create: bool = False) -> ClubStore:
    return ClubStore(db, create=create, busy_timeout=busy_timeout)


def _date(value: str | None, option: str = "--date") -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except TypedValueError as exc:
        raise InputError(f"{option}: {exc}") from None


def _read_options(columns: Sequence[str] | None, sheet: str | None) -> csvio.ReadOptions:
    """``--column`` and ``--sheet``: how to read the organiser's files."""
    return csvio.ReadOptions(columns=parse_mapping(columns or ()), sheet=sheet)


def _ids(values: Sequence[str] | None) -> list[str]:
    """Member ids from options given as ``a,b c`` and/or repeated."""
    return [m for value in values or () for m in re.split(r"[,\s]+", value) if m]


def _table_sizes(value: str) -> workflow.TableSizes:
    """``--table-sizes``: sizes to cycle through, e.g. ``10,8``."""
    return workflow.TableSizes.parse(value)
