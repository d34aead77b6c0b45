"""``import``, ``import-history``, ``export``: the club's members and history as CSV files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from seating.cli.club._common import DEFAULT_DB_PATH, BusyTimeout, DbPath, _handled, _open, err, out
from seating.club import files as csvio


class ExportWhat(StrEnum):
    members = "members"
    history = "history"


def import_members(
    members_csv: Annotated[Path, typer.Argument(help="Members CSV (see docs/club.md).")],
    missing_left: Annotated[
        bool, typer.Option("--missing-left", help="Mark members not in the file as left.")
    ] = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Add or update the club's members from a CSV file (creates the database if needed)."""
    with _handled():
        members, ignored = csvio.read_members_csv(members_csv)
        with _open(db, busy_timeout, create=True) as store:
            summary = store.import_members(members, missing_left=missing_left)
    if ignored:
        err.print(f"warning: ignored column(s) {', '.join(ignored)}", highlight=False)
    out.print(
        f"{members_csv}: {len(members)} members; {len(summary.added)} added, "
        f"{len(summary.updated)} updated, {summary.unchanged} unchanged"
        + (f", {len(summary.left)} marked as left" if missing_left else ""),
        highlight=False,
    )


def import_history(
    history_csv: Annotated[Path, typer.Argument(help="History CSV: date,table,member_id.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite dinners recorded differently.")
    ] = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Add past dinners from a CSV file with one row per seat."""
    with _handled(), _open(db, busy_timeout) as store:
        dinners, ignored = csvio.read_history_csv(history_csv, store.member_ids())
        summary = store.import_history(dinners, replace=replace)
    if ignored:
        err.print(f"warning: ignored column(s) {', '.join(ignored)}", highlight=False)
    seats = sum(len(d.seating()) for d in dinners)
    message = (
        f"{history_csv}: {len(dinners)} dinners, {seats} seats; {len(summary.added)} added, "
        f"{len(summary.replaced)} replaced, {len(summary.unchanged)} already recorded"
    )
    if dinners and len(summary.unchanged) == len(dinners):
        message += " (nothing changed)"
    out.print(message, highlight=False)


def export(
    what: Annotated[ExportWhat, typer.Argument(help="members or history.")],
    file: Annotated[Path, typer.Argument(help="CSV file to write; - for standard output.")],
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Write the members or the history as CSV (spreadsheet formulas neutralised)."""
    with _handled(), _open(db, busy_timeout) as store, store.snapshot():
        members = store.members()
        if what is ExportWhat.members:
            header, rows = csvio.MEMBER_COLUMNS, csvio.member_rows(members)
        else:
            names = {m.id: m.name or "" for m in members}
            header, rows = csvio.HISTORY_COLUMNS, csvio.history_rows(store.dinners(), names)
        csvio.write_csv(file, header, rows)
    if str(file) != "-":
        out.print(f"wrote {len(rows)} {what.value} rows to {file}", highlight=False)
