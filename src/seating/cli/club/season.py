"""``plan-season``: plan several dinners jointly and save each as a draft.

The dinners come from ``--date`` options and/or a registrations CSV; they are planned as one
season (:func:`seating.solve` with several dinners), so a later dinner counts the pairs seated
at the earlier planned ones as meetings. Everything is checked before the search, and the drafts
are saved in one transaction: on bad input or without a plan, nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from seating.cli.club._common import (
    DEFAULT_DB_PATH,
    AutoHosts,
    BusyTimeout,
    DbPath,
    Method,
    TableSizes,
    TimeLimit,
    _date,
    _handled,
    _ids,
    _names,
    _open,
    note,
    out,
    plan_out,
)
from seating.cli.club.planning import (
    DinnerSpec,
    _auto_hosts,
    _draft_from,
    _season_problem,
    _solve_with_bar,
    _table_sizes,
)
from seating.cli.console import MethodChoice, Seed, command_budget, fail
from seating.cli.display import summary_line
from seating.club import files as csvio
from seating.club.store import ClubStore
from seating.compile.metrics import dinner_metrics
from seating.compile.plans import table_index
from seating.errors import InputError
from seating.models import ProblemInput, Table
from seating.result import DinnerPlan, Metrics, Result
from seating.season.evaluate import SeasonHistory
from seating.solve import solve


def _dinner_dates(
    store: ClubStore, dates: Sequence[str] | None, registrations: Path | None
) -> dict[dt.date, list[str]]:
    """Date -> attendees, in date order: registrations as listed, other dates everybody."""
    registered = csvio.read_registrations_csv(registrations) if registrations else {}
    chosen = {day for value in _ids(dates) if (day := _date(value)) is not None}
    for day in sorted(chosen & set(registered)):
        # Which attendees would it be: everybody (--date) or the registered ones?
        raise InputError(
            f"--date {day}: the date is also in {registrations}, whose registrations say who "
            f"comes; give it once"
        )
    everybody = [m.id for m in store.members(active_only=True)]
    dinners = {day: list(registered.get(day, everybody)) for day in chosen | set(registered)}
    if not dinners:
        raise InputError("no dinners to plan: give --date D (repeatable) or --registrations FILE")
    return dict(sorted(dinners.items()))


def _check_dates(store: ClubStore, dates: Sequence[dt.date], *, replace: bool) -> None:
    """The season must come after the recorded history, and not overwrite drafts unasked."""
    store.check_dates(dates, replace=replace)
    later = [day for day in store.dinner_dates() if day > dates[0]]
    if later:
        # Planned dinners count as history for the ones after them only in date order: a
        # recorded dinner in the middle of the season would be counted in the wrong place.
        raise InputError(
            f"the dinner of {later[-1]} is recorded but comes after {dates[0]}, the first "
            f"dinner to plan: a season must come after the recorded dinners"
        )
    planned = set(dates)
    for draft in store.drafts():
        if dates[0] < draft.date < dates[-1] and draft.date not in planned:
            # It would count for the dinners after it, but the season is planned without it.
            raise InputError(
                f"a draft plan for {draft.date} lies between the dinners to plan: add its date "
                f"(with --replace) or discard it first "
                f"(`seating club discard --date {draft.date}`)"
            )


def _tables_of(
    dinners: Mapping[dt.date, list[str]], tables_file: Path | None, table_sizes: str
) -> list[DinnerSpec]:
    """Each dinner with its tables: the same tables file every time, or sizes per dinner."""
    if tables_file is None:
        return [(day, ppl, _table_sizes(table_sizes, len(ppl))) for day, ppl in dinners.items()]
    tables = csvio.read_tables_csv(tables_file)
    seats = sum(t.capacity for t in tables)
    specs: list[DinnerSpec] = []
    for day, people in dinners.items():
        if len(people) > seats:
            raise InputError(
                f"dinner {day}: {len(people)} attendees but the tables of {tables_file} "
                f"seat {seats}"
            )
        # A host who does not come that night leaves the table without a fixed host (auto
        # hosts may give it another one) rather than making the whole season impossible.
        coming = set(people)
        that_night = []
        for table in tables:
            if table.host is not None and table.host not in coming:
                note(
                    f"{day}: {table.host!r}, host of table {table.id}, is not coming; "
                    f"the table has no fixed host that night"
                )
                table = Table(id=table.id, capacity=table.capacity)
            that_night.append(table)
        specs.append((day, people, that_night))
    return specs


def _per_dinner_metrics(problem: ProblemInput, plans: Sequence[DinnerPlan]) -> list[Metrics]:
    """Plan quality of each dinner of a season, each counting the earlier ones as history.

    Parameters
    ----------
    problem
        The season's problem (recorded history, dinners in date order).
    plans
        One plan per dinner of ``problem``, in the same order.

    Returns
    -------
    list of Metrics
        Per dinner: pairs who met before (at a recorded dinner or an earlier planned one), new
        pairs, most meetings of a pair, ...
    """
    season = SeasonHistory(problem)
    metrics = []
    for k, plan in enumerate(plans):
        dinner = season.compile(k)
        table_of = table_index(dinner, plan, strict=True)
        metrics.append(dinner_metrics(dinner, table_of))
        season.add(dinner, table_of)
    return metrics


def _report(problem: ProblemInput, result: Result, specs: Sequence[DinnerSpec], db: Path) -> None:
    grid = RichTable(title="season plan")
    for column in ("dinner", "attendees", "tables", "met before", "new pairs", "most meetings"):
        grid.add_column(column, justify="left" if column == "dinner" else "right")
    per_dinner = _per_dinner_metrics(problem, result.dinners)
    for (day, people, tables), m in zip(specs, per_dinner, strict=True):
        row = (day, len(people), len(tables), m.repeat_pairs, m.new_pairs, m.max_meetings)
        grid.add_row(*map(str, row))
    total = result.metrics
    seats = sum(len(people) for _, people, _ in specs)
    tables = sum(len(t) for _, _, t in specs)
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
    plan_out.print(summary_line(result))
    dates = [day for day, _, _ in specs]
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
        typer.Option(help="Registrations CSV: date,member_id (one row per member and dinner)."),
    ] = None,
    tables_file: Annotated[
        Path | None,
        typer.Option("--tables", help="Tables CSV for every dinner: table,capacity[,host]."),
    ] = None,
    table_sizes: TableSizes = "8",
    auto_hosts: AutoHosts = True,
    replace: Annotated[bool, typer.Option(help="Replace existing drafts of these dates.")] = False,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    method: Method = MethodChoice.auto,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Plan several dinners jointly (a season); save each as a draft.

    Dinners: the --date dates and those of --registrations; each counts the earlier ones.
    """
    with _handled(), _open(db, busy_timeout) as store:
        limit = command_budget(time_limit)
        dinners = _dinner_dates(store, date, registrations)
        _check_dates(store, list(dinners), replace=replace)
        specs = _tables_of(dinners, tables_file, table_sizes)
        problem = _season_problem(store, specs)  # checks ids before auto hosts
        if auto_hosts:
            members = _names(store)
            specs = [(day, ppl, _auto_hosts(list(ts), ppl, members)) for day, ppl, ts in specs]
            problem = _season_problem(store, specs)
        result = _solve_with_bar(
            "planning the season",
            time_limit,
            lambda: solve(
                problem, method=method.value, time_limit=time_limit, seed=seed, stop=limit
            ),
        )
        if not result.status.has_plan:
            raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
        drafts = [
            _draft_from(result, day, tables, {}, dinner=k)
            for k, (day, _, tables) in enumerate(specs)
        ]
        store.save_drafts(drafts, replace=replace)
    _report(problem, result, specs, db)
