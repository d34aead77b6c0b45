"""``plan`` and ``show``: a draft of the next dinner from the club's members, history and rules;
the helpers that build problems from the database and save plans as drafts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from seating.adjust import solve_pinned
from seating.cli.club._common import (
    DEFAULT_DB_PATH,
    AutoHosts,
    BusyTimeout,
    DateOpt,
    DbPath,
    Method,
    TableSizes,
    TimeLimit,
    _date,
    _handled,
    _ids,
    _names,
    _open,
    err,
    note,
    out,
    plan_out,
    progress_after,
)
from seating.cli.console import MethodChoice, Seed, command_budget, fail
from seating.cli.display import print_plan
from seating.club import files as csvio
from seating.club.store import ClubMember, ClubStore, Draft, DraftTable
from seating.compile.metrics import dinner_metrics
from seating.compile.objective import objective, violations
from seating.compile.plans import table_index
from seating.compile.problem import check_references, compile_dinner
from seating.errors import InputError
from seating.models import Dinner, ProblemInput, Table, describe_validation_error
from seating.result import DinnerPlan, Result, Status, TablePlan

# -- building problems from the database ---------------------------------------------------


DinnerSpec = tuple[dt.date, Sequence[str], Sequence[Table]]
"""A dinner to plan as the club commands gather it: date, attendee ids, tables."""


def _season_problem(
    store: ClubStore,
    dinners: Sequence[DinnerSpec],
    *,
    where: str | None = None,
    announce: bool = True,
) -> ProblemInput:
    """The planning problem of one or more dinners from the club's members, history, policy
    and rules.

    Attendees must be active members; an error names the id and ``where`` (default: the
    dinner's date). The history is every recorded dinner before the first of ``dinners`` and
    every draft before it, as if it took place: after ``plan-season`` the later dinners are
    shown and re-optimised with the earlier ones in view, as they were planned. With
    ``announce`` a note says which drafts count that way (once per command, however often the
    problem is built).
    """
    members = store.members()
    by_id = {m.id: m for m in members}
    for date, attendees, _ in dinners:
        label = where or f"dinner {date}"
        for member in attendees:
            if member not in by_id:
                raise InputError(f"{label}: unknown member id {member!r}")
            if not by_id[member].active:
                name = by_id[member].display_name
                raise InputError(f"{label}: member {member!r} ({name}) has left the club")
    first = min(date for date, _, _ in dinners)
    recorded = [d for d in store.history() if d.date < first]
    # A draft whose date is recorded meanwhile (e.g. by import-history) is not counted twice.
    done = {d.date for d in recorded}
    drafted = [d.as_past() for d in store.drafts() if d.date < first and d.date not in done]
    history = sorted([*recorded, *drafted], key=lambda d: d.date)
    if announce and drafted:
        dates = ", ".join(str(d.date) for d in drafted)
        what, they = ("draft", "it") if len(drafted) == 1 else ("drafts", "they")
        note(f"counting the {what} of {dates} as if {they} took place (not recorded yet)")
    try:
        problem = ProblemInput(
            members=[m.to_member() for m in members],
            history=history,
            dinners=[
                Dinner(date=date, attendees=list(attendees), tables=list(tables))
                for date, attendees, tables in dinners
            ],
            policy=store.policy(),
            rules=store.rules(),
        )
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc)) from None
    check_references(problem)
    return problem


def _problem(
    store: ClubStore,
    date: dt.date,
    attendees: Sequence[str],
    tables: Sequence[Table],
    *,
    announce: bool = True,
) -> ProblemInput:
    """The planning problem of one dinner from the club's members, history, policy, rules."""
    return _season_problem(store, [(date, attendees, tables)], where="attendees", announce=announce)


def _auto_hosts(
    tables: list[Table], attendees: Sequence[str], members: Mapping[str, ClubMember]
) -> list[Table]:
    """Give tables without a host one of the attending members flagged as hosts."""
    taken = {t.host for t in tables if t.host}
    candidates = sorted(
        (m for m in attendees if members[m].host and m not in taken),
        key=lambda m: (members[m].display_name.casefold(), m),
    )
    result = []
    for table in tables:
        if table.host is None and candidates:
            table = Table(id=table.id, capacity=table.capacity, host=candidates.pop(0))
        result.append(table)
    return result


def _draft_from(
    result: Result,
    date: dt.date,
    tables: Sequence[Table],
    pins: Mapping[str, str],
    *,
    dinner: int = 0,
) -> Draft:
    """Dinner ``dinner`` of ``result`` as a draft, with its tables' capacities and hosts."""
    plan = result.dinners[dinner]
    assert plan.date == date
    by_id = {t.id: t for t in tables}
    return Draft(
        date=date,
        tables=[
            DraftTable(
                id=t.id, capacity=by_id[t.id].capacity, host=by_id[t.id].host, members=t.members
            )
            for t in plan.tables
        ],
        pins=dict(pins),
        # Of a season, the dinner's own share of the objective (it counts the earlier planned
        # dinners as history, as the search did); a lone dinner's plan carries no share.
        objective=result.objective if len(result.dinners) == 1 else plan.objective,
        method=result.method,
    )


def _draft_result(problem: ProblemInput, draft: Draft) -> tuple[Result, list[str]]:
    """A draft as a :class:`Result` (objective and metrics now) and the rules it breaks now."""
    dinner = compile_dinner(problem, 0)
    table_of = table_index(dinner, draft.table_of(), strict=True)
    plan = DinnerPlan(
        date=draft.date, tables=[TablePlan(id=t.id, members=t.members) for t in draft.tables]
    )
    value = objective(dinner, table_of)
    result = Result(
        status=Status.FEASIBLE,
        objective=value,
        dinners=[plan],
        metrics=dinner_metrics(dinner, table_of),
        method=draft.method or "draft",
    )
    return result, violations(dinner, table_of)


def _check_later_drafts(store: ClubStore, date: dt.date) -> None:
    """After the draft of ``date`` changed: a note for each later draft that now breaks a rule
    (later drafts count this one as if it took place, so e.g. its cooldown reaches them)."""
    for later in store.drafts():
        if later.date <= date:
            continue
        try:
            problem = _problem(
                store, later.date, later.attendees, later.tables_input(), announce=False
            )
        except InputError:
            continue  # e.g. a member of that draft has left: its own `show` says so
        _, broken = _draft_result(problem, later)
        if broken:
            note(
                f"the draft of {later.date} now breaks a rule: {broken[0]} (plan it again with "
                f"--replace, or reseat it)"
            )


def _show(problem: ProblemInput, result: Result, pins: Mapping[str, str] | None = None) -> None:
    print_plan(plan_out, problem, [compile_dinner(problem, 0)], result)
    if pins:
        names = {m.id: m.display_name for m in problem.members}
        listed = ", ".join(f"{names.get(m, m)} -> {t}" for m, t in sorted(pins.items()))
        out.print(f"pinned: {listed}", highlight=False)


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _changed(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    return sorted(m for m in after if m in before and before[m] != after[m])


def _solve_with_bar(label: str, time_limit: float, solve: Any) -> Any:
    with progress_after(err, label, time_limit):
        return solve()


# -- plan and show -------------------------------------------------------------------------


def _table_sizes(value: str, attendees: int) -> list[Table]:
    try:
        sizes = [int(s) for s in re.split(r"[,\s]+", value.strip()) if s]
    except ValueError:
        raise InputError(f"--table-sizes: expected numbers like 10,8 (got {value!r})") from None
    if not sizes or min(sizes) < 1 or max(sizes) > csvio.MAX_CAPACITY:
        raise InputError(
            f"--table-sizes: expected numbers from 1 to {csvio.MAX_CAPACITY} (got {value!r})"
        )
    capacities: list[int] = []
    while sum(capacities) < attendees:
        capacities.append(sizes[len(capacities) % len(sizes)])
    return [Table(id=f"T{k + 1}", capacity=c) for k, c in enumerate(capacities)]


def plan(
    date: Annotated[str, typer.Option("--date", help="The dinner's date (YYYY-MM-DD).")],
    attendees_file: Annotated[
        Path | None, typer.Option("--attendees", help="File of member ids (one per line).")
    ] = None,
    attendee: Annotated[
        list[str] | None, typer.Option("--attendee", help="Member ids 'a,b' (repeatable).")
    ] = None,
    tables_file: Annotated[
        Path | None, typer.Option("--tables", help="Tables CSV: table,capacity[,host].")
    ] = None,
    table_sizes: TableSizes = "8",
    auto_hosts: AutoHosts = True,
    replace: Annotated[bool, typer.Option(help="Replace an existing draft.")] = False,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    method: Method = MethodChoice.auto,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Plan the next dinner with the club's policy and rules; save it as the draft.

    Attendees come from --attendees FILE and/or --attendee ids (default: every active member).
    """
    with _handled(), _open(db, busy_timeout) as store:
        limit = command_budget(time_limit)
        day = _date(date)
        assert day is not None
        if store.dinner(day) is not None:
            raise InputError(f"--date: the dinner of {day} is already recorded")
        members = _names(store)
        chosen = csvio.read_id_list(attendees_file) if attendees_file else []
        chosen += [m for m in _ids(attendee) if m not in chosen]
        if not chosen:
            chosen = [m.id for m in members.values() if m.active]
        tables = (
            csvio.read_tables_csv(tables_file)
            if tables_file
            else _table_sizes(table_sizes, len(chosen))
        )
        problem = _problem(store, day, chosen, tables)  # checks ids before auto hosts
        if auto_hosts:
            tables = _auto_hosts(tables, chosen, members)
            problem = _problem(store, day, chosen, tables)
        store.check_dates([day], replace=replace)
        result = _solve_with_bar(
            "planning",
            time_limit,
            lambda: solve_pinned(
                problem, {}, method=method.value, time_limit=limit.remaining(), seed=seed
            ),
        )
        if not result.status.has_plan:
            raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
        store.save_draft(_draft_from(result, day, tables, {}), replace=replace)
        _check_later_drafts(store, day)
    _show(problem, result)
    out.print(f"saved as the draft for {day} in {db}", highlight=False)


def explain(
    table: Annotated[str | None, typer.Option("--table", help="Explain one table.")] = None,
    member: Annotated[str | None, typer.Option("--member", help="Explain one member.")] = None,
    date: DateOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Why people sit together in a draft: met before or not, rules, terms of the objective."""
    from seating.cli.explain import show as show_explanation
    from seating.explain import explain as explain_plan

    with _handled(), _open(db, busy_timeout) as store:
        draft = store.draft(_date(date))
        problem = _problem(store, draft.date, draft.attendees, draft.tables_input())
        result, _ = _draft_result(problem, draft)
        show_explanation(explain_plan(problem, result), table=table, member=member, as_json=as_json)


def show(date: DateOpt = None, db: DbPath = DEFAULT_DB_PATH, busy_timeout: BusyTimeout = 10.0):
    """Show a draft plan with its quality, and any rule it breaks now."""
    with _handled(), _open(db, busy_timeout) as store:
        draft = store.draft(_date(date))
        problem = _problem(store, draft.date, draft.attendees, draft.tables_input())
        result, broken = _draft_result(problem, draft)
    _show(problem, result, draft.pins)
    for line in broken:
        err.print(f"warning: the draft breaks a rule now: {line}", highlight=False)
