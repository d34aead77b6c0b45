"""``import``, ``import-history``, ``export``: the club's members and history as CSV files or
Excel workbooks (:mod:`seating.club.files`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from seating.cli.club._common import (
    DEFAULT_DB_PATH,
    BusyTimeout,
    Columns,
    DbPath,
    Sheet,
    _handled,
    _open,
    _read_options,
    err,
    out,
)
from seating.club import files as csvio
from seating.club import workflow
from seating.club.writing import separator_for
from seating.errors import InputError


class ExportWhat(StrEnum):
    members = "members"
    history = "history"


def import_members(
    members_file: Annotated[Path, typer.Argument(help="Members: CSV or .xlsx (see docs/club.md).")],
    missing_left: Annotated[
        bool, typer.Option("--missing-left", help="Mark members not in the file as left.")
    ] = False,
    column: Columns = None,
    sheet: Sheet = None,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Add or update the club's members from a CSV file or an Excel workbook (creates the
    database if needed). Headers in Dutch, French or English; --column maps others."""
    with _handled():
        options = _read_options(column, sheet)
        known = []
        if db.exists():  # inviters (guest_of) may be members of the club already
            with _open(db, busy_timeout) as store:
                known = store.members()
        members, ignored = csvio.read_members_csv(members_file, options=options, known=known)
        with _open(db, busy_timeout, create=True) as store:
            summary = store.import_members(members, missing_left=missing_left)
    if ignored:
        err.print(f"warning: ignored column(s) {', '.join(ignored)}", highlight=False)
    out.print(
        f"{members_file}: {len(members)} member{'' if len(members) == 1 else 's'}; "
        f"{len(summary.added)} added, "
        f"{len(summary.updated)} updated, {summary.unchanged} unchanged"
        + (f", {len(summary.left)} marked as left" if missing_left else ""),
        highlight=False,
    )


def import_history(
    history_file: Annotated[
        Path, typer.Argument(help="History, CSV or .xlsx: date,table,member_id.")
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Overwrite dinners recorded differently and drop drafts (asks)."
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Replace without asking.")] = False,
    column: Columns = None,
    sheet: Sheet = None,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Add past dinners from a CSV file or workbook with one row per seat; undo with
    `seating club undo`."""
    with _handled(), _open(db, busy_timeout) as store:
        options = _read_options(column, sheet)
        dinners, ignored = csvio.read_history_csv(history_file, store.member_ids(), options=options)
        overwrites = workflow.history_overwrites(store, dinners) if replace else []
        if overwrites and not yes:
            _confirm_replace(history_file, overwrites)
        summary = store.import_history(dinners, replace=replace)
    if ignored:
        err.print(f"warning: ignored column(s) {', '.join(ignored)}", highlight=False)
    seats = sum(len(s) for d in dinners for s in d.seatings())  # every course
    message = (
        f"{history_file}: {len(dinners)} dinners, {seats} seats; {len(summary.added)} added, "
        f"{len(summary.replaced)} replaced, {len(summary.unchanged)} already recorded"
    )
    if dinners and len(summary.unchanged) == len(dinners):
        message += " (nothing changed)"
    out.print(message, highlight=False)


def _confirm_replace(history_file: Path, overwrites: list[workflow.Overwrite]) -> None:
    """Ask before ``--replace`` overwrites a recorded dinner or drops a draft: one line per
    dinner, then the question; no answer (no terminal) is a no."""
    for overwrite in overwrites:
        err.print(f"{history_file}: {overwrite.describe()}", highlight=False)
    try:
        agreed = typer.confirm("replace them? (seating club undo takes it back)", err=True)
    except typer.Abort:  # no answer (no terminal, end of input): a no, on a line of its own
        err.print()
        agreed = False
    if not agreed:
        raise InputError(
            "import-history --replace: not confirmed; nothing changed (--yes replaces without "
            "asking)"
        )


def export(
    what: Annotated[ExportWhat, typer.Argument(help="members or history.")],
    file: Annotated[
        Path, typer.Argument(help="CSV or .xlsx file to write; - for standard output.")
    ],
    separator: Annotated[
        str | None,
        typer.Option(help="CSV separator; default: ';' for a nl or fr club, else ','."),
    ] = None,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Write the members or the history as CSV or an Excel workbook (formulas neutralised)."""
    with _handled(), _open(db, busy_timeout) as store, store.snapshot():
        if separator is not None and separator not in (",", ";", "\t"):
            raise csvio.CsvError(f"--separator: expected ',' or ';' (got {separator!r})")
        members = store.members()
        if what is ExportWhat.members:
            header, rows = csvio.MEMBER_COLUMNS, csvio.member_rows(members)
        else:
            names = {m.id: m.name or "" for m in members}
            header, rows = csvio.history_table(store.dinners(), names)
        csvio.write_rows(
            file,
            header,
            rows,
            separator=separator or separator_for(store.club_language()),
            title=what.value,
        )
    if str(file) != "-":
        row = "member" if what.value == "members" else what.value
        out.print(f"wrote {len(rows)} {row} rows to {file}", highlight=False)
