"""``plan-season``: plan several dinners jointly and save each as a draft.

The dinners come from ``--date`` options and/or a registrations CSV; they are planned as one
season (:mod:`seating.club.workflow.season`), so a later dinner counts the pairs seated at the
earlier planned ones as meetings. Everything is checked before the search, and the drafts are
saved in one transaction: on bad input or without a plan, nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from seating.cli.club._common import (
    DEFAULT_DB_PATH,
    AutoHosts,
    BusyTimeout,
    Columns,
    DbPath,
    Method,
    Sheet,
    TableSizes,
    TimeLimit,
    Verbose,
    _date,
    _handled,
    _ids,
    _open,
    _read_options,
    _table_sizes,
    note,
    out,
    plan_out,
)
from seating.cli.club.planning import _solve_with_bar
from seating.cli.console import MethodChoice, Seed, command_budget, fail
from seating.cli.display import summary_line
from seating.club import files as csvio
from seating.club import workflow
from seating.club.names import Directory
from seating.errors import InputError


def _dinner_dates(
    dates: Sequence[str] | None,
    registrations: Path | None,
    people: Directory | None = None,
    options: csvio.ReadOptions = csvio.DEFAULT_OPTIONS,
) -> dict[dt.date, list[str] | None]:
    """Date -> attendees: registrations as listed (members by id or name), the other dates
    everybody (None)."""
    resolve = None if people is None else people.resolve
    registered = (
        csvio.read_registrations_csv(registrations, resolve=resolve, options=options)
        if registrations
        else {}
    )
    chosen = {day for value in _ids(dates) if (day := _date(value)) is not None}
    for day in sorted(chosen & set(registered)):
        # Which attendees would it be: everybody (--date) or the registered ones?
        raise InputError(
            f"--date {day}: the date is also in {registrations}, whose registrations say who "
            f"comes; give it once"
        )
    dinners: dict[dt.date, list[str] | None] = {day: None for day in chosen}
    dinners.update(registered)
    if not dinners:
        raise InputError("no dinners to plan: give --date D (repeatable) or --registrations FILE")
    return dinners


def _report(season: workflow.SeasonPlanned, db: Path, *, verbose: bool) -> None:
    grid = RichTable(title="season plan")
    for column in ("dinner", "attendees", "tables", "met before", "new pairs", "most meetings"):
        grid.add_column(column, justify="left" if column == "dinner" else "right")
    for spec, m in zip(season.dinners, season.per_dinner, strict=True):
        row = (spec.date, len(spec.attendees), len(spec.tables), m.repeat_pairs, m.new_pairs)
        row += (m.max_meetings,)
        grid.add_row(*map(str, row))
    result = season.result
    total = result.metrics
    seats = sum(len(spec.attendees) for spec in season.dinners)
    tables = sum(len(spec.tables) for spec in season.dinners)
    grid.add_section()
    row = ("season", seats, tables, total.repeat_pairs, total.new_pairs, total.max_meetings)
    grid.add_row(*map(str, row), style="bold")
    out.print(grid)
    bound = result.stats.get("lower_bounds", {}).get("repeats")
    out.print(
        f"season: {total.repeat_pairs} pairs met before"
        + ("" if bound is None else f" (lower bound {bound})")
        + ", counting the recorded dinners and the earlier dinners of this season",
        highlight=False,
    )
    if verbose:
        plan_out.print(summary_line(result))
    dates = [spec.date for spec in season.dinners]
    listed = ", ".join(map(str, dates))
    drafts = "draft" if len(dates) == 1 else "drafts"
    out.print(f"saved {len(dates)} {drafts} ({listed}) in {db}", highlight=False)
    out.print(
        f"next: seating club show --date {dates[0]} / seating club print --date {dates[0]}; "
        f"after each dinner: seating club record --date D",
        highlight=False,
    )


def plan_season(
    date: Annotated[
        list[str] | None,
        typer.Option(
            "--date",
            help="A dinner (YYYY-MM-DD); all active members unless registered. Repeatable.",
        ),
    ] = None,
    registrations: Annotated[
        Path | None,
        typer.Option(
            help="Registrations, CSV or .xlsx: date,member_id or date,name (a row per member "
            "and dinner)."
        ),
    ] = None,
    tables_file: Annotated[
        Path | None,
        typer.Option(
            "--tables",
            help="Tables CSV or .xlsx: table,capacity[,host][,date]; rows with a date are the "
            "tables of that dinner, rows without one those of every other dinner.",
        ),
    ] = None,
    table_sizes: TableSizes = "8",
    auto_hosts: AutoHosts = True,
    replace: Annotated[bool, typer.Option(help="Replace existing drafts of these dates.")] = False,
    courses: Annotated[
        int,
        typer.Option(
            "--courses", help="Members change tables between courses: one seating per course."
        ),
    ] = 1,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    method: Method = MethodChoice.auto,
    column: Columns = None,
    sheet: Sheet = None,
    verbose: Verbose = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Plan several dinners jointly (a season); save each as a draft.

    Dinners: the --date dates and those of --registrations; each counts the earlier ones.
    """
    with _handled(), _open(db, busy_timeout) as store:
        limit = command_budget(time_limit)
        options = _read_options(column, sheet)
        people = workflow.directory(store)
        dinners = _dinner_dates(date, registrations, people, options)
        # The dates first, before reading the tables file.
        workflow.check_season_dates(store, sorted(dinners), replace=replace)
        if tables_file is None:
            tables, source = _table_sizes(table_sizes), "the tables"
        else:
            tables, source = (
                csvio.read_season_tables_csv(tables_file, resolve=people.resolve, options=options),
                f"the tables of {tables_file}",
            )
        job = workflow.prepare_season(
            store,
            dinners,
            tables=tables,
            tables_source=source,
            auto_hosts=auto_hosts,
            replace=replace,
            courses=courses,
        )
        result = _solve_with_bar(
            "planning the season",
            time_limit,
            lambda: job.search(method=method.value, time_limit=time_limit, seed=seed, stop=limit),
        )
        season = job.save(store, result)
        note(*season.notes)
        if not season.drafts:
            raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
    _report(season, db, verbose=verbose)
