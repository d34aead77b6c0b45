"""``seating club``: the organiser's workflow on the club database.

Before a dinner: ``plan`` it (a draft), ``show`` it, ``pin`` / ``swap`` and re-optimise,
``reseat`` after late changes, ``print`` the plan and place cards. After it: ``record`` what
happened (``--undo`` takes it back). Around it: ``import`` / ``import-history`` / ``export``
CSV files, ``settings`` for the club's policy and rules, ``report`` who met whom, ``status``.

Exit codes: 0 success, 1 no feasible plan (with the reason), 2 bad input (one line naming the
file, row and field, or the offending id; the database is unchanged), 3 the database is busy
(another process kept it locked for longer than ``--busy-timeout``).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from rich.text import Text

from seating import io as csvio
from seating.console import MethodChoice, Seed, fail, write_atomically
from seating.display import print_plan
from seating.errors import InputError
from seating.metrics import dinner_metrics
from seating.models import Dinner, ProblemInput, Table, describe_validation_error
from seating.objective import objective, violations
from seating.problem import check_references, compile_dinner
from seating.report.html import dinner_view, render_cards, render_plan
from seating.report.meetings import MeetingStats, meeting_stats
from seating.reseat import Adjustment, reseat, solve_pinned
from seating.result import DinnerPlan, Result, Status, TablePlan
from seating.store import (
    DEFAULT_DB,
    ClubMember,
    ClubStore,
    Draft,
    DraftTable,
    StoreBusyError,
    parse_settings,
)

club_app = typer.Typer(
    help="The organiser's workflow on the club database (SQLite, seating.db by default).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
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
    str | None, typer.Option("--date", help="The dinner (YYYY-MM-DD); default: the only draft.")
]
TimeLimit = Annotated[float, typer.Option("--time-limit", min=0.05, help="Seconds to solve.")]
LARGEST = 1_000_000
"""Settings above this are typos, not intentions (and overflow the compiled search)."""
DEFAULT_DB_PATH = Path(DEFAULT_DB)


class ExportWhat(StrEnum):
    members = "members"
    history = "history"


@contextmanager
def _handled() -> Iterator[None]:
    """Bad input -> exit 2 with one line; a busy database -> exit 3."""
    try:
        yield
    except StoreBusyError as exc:
        raise fail(str(exc), 3) from None
    except InputError as exc:
        raise fail(str(exc), 2) from None
    except ValidationError as exc:
        raise fail(describe_validation_error(exc), 2) from None


@contextmanager
def progress_after(
    console: Console, label: str, seconds: float, delay: float = 1.0
) -> Iterator[None]:
    """Show a progress bar (elapsed against ``seconds``) once the block runs past ``delay``."""
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
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: expected a date as YYYY-MM-DD (got {value!r})") from None


def _ids(values: Sequence[str] | None) -> list[str]:
    """Member ids from options given as ``a,b c`` and/or repeated."""
    return [m for value in values or () for m in re.split(r"[,\s]+", value) if m]


def _names(store: ClubStore) -> dict[str, ClubMember]:
    return {m.id: m for m in store.members()}


# -- building problems from the database ---------------------------------------------------


def _problem(
    store: ClubStore, date: dt.date, attendees: Sequence[str], tables: Sequence[Table]
) -> ProblemInput:
    """The planning problem of one dinner from the club's members, history, policy, rules."""
    members = store.members()
    by_id = {m.id: m for m in members}
    for member in attendees:
        if member not in by_id:
            raise InputError(f"attendees: unknown member id {member!r}")
        if not by_id[member].active:
            name = by_id[member].display_name
            raise InputError(f"attendees: member {member!r} ({name}) has left the club")
    history = [d for d in store.history() if d.date < date]
    try:
        problem = ProblemInput(
            members=[m.to_member() for m in members],
            history=history,
            dinners=[Dinner(date=date, attendees=list(attendees), tables=list(tables))],
            policy=store.policy(),
            rules=store.rules(),
        )
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc)) from None
    check_references(problem)
    return problem


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
    result: Result, date: dt.date, tables: Sequence[Table], pins: Mapping[str, str]
) -> Draft:
    by_id = {t.id: t for t in tables}
    return Draft(
        date=date,
        tables=[
            DraftTable(
                id=t.id, capacity=by_id[t.id].capacity, host=by_id[t.id].host, members=t.members
            )
            for t in result.dinners[0].tables
        ],
        pins=dict(pins),
        objective=result.objective,
        method=result.method,
    )


def _draft_result(problem: ProblemInput, draft: Draft) -> tuple[Result, list[str]]:
    """A draft as a :class:`Result` (objective and metrics now) and the rules it breaks now."""
    dinner = compile_dinner(problem, 0)
    seating = draft.table_of()
    tables = {t: k for k, t in enumerate(dinner.table_ids)}
    table_of = np.array([tables[seating[m]] for m in dinner.member_ids], dtype=np.int64)
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


# -- import and export ---------------------------------------------------------------------


@club_app.command("import")
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


@club_app.command("import-history")
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


@club_app.command("export")
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


# -- settings and status -------------------------------------------------------------------


def _number(value: str | None, option: str, kind: type, current: Any) -> Any:
    if value is None:
        return current
    if value.strip().lower() in ("none", "off", "null", ""):
        return None
    try:
        number = kind(value)
    except ValueError:
        raise InputError(f"{option}: expected a number or 'none' (got {value!r})") from None
    if abs(number) > LARGEST:
        raise InputError(f"{option}: {value} is too large (at most {LARGEST})")
    return number


@club_app.command()
def settings(
    name: Annotated[str | None, typer.Option("--name", help="The club's name (printed).")] = None,
    repeat_weight: Annotated[
        float | None, typer.Option(help="-1 avoid repeats ... 0 neutral ... 1 favour repeats.")
    ] = None,
    half_life: Annotated[str | None, typer.Option(help="Dinners; 'none' = never fade.")] = None,
    target_meetings: Annotated[str | None, typer.Option(help="k, or 'none'.")] = None,
    fairness: Annotated[float | None, typer.Option(help="Spread repeats over members.")] = None,
    max_per_company: Annotated[str | None, typer.Option(help="Per table, or 'none'.")] = None,
    max_per_industry: Annotated[str | None, typer.Option(help="Per table, or 'none'.")] = None,
    cooldown: Annotated[str | None, typer.Option(help="Dinners apart, or 'none'.")] = None,
    together: Annotated[
        list[str] | None, typer.Option(help="Keep a group together: ids 'a,b,c' (repeatable).")
    ] = None,
    apart: Annotated[
        list[str] | None, typer.Option(help="Keep two apart: 'a,b' (repeatable).")
    ] = None,
    clear_together: Annotated[bool, typer.Option(help="Forget every together group.")] = False,
    clear_apart: Annotated[bool, typer.Option(help="Forget every apart pair.")] = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Show the club's policy and rules; with options, change them first."""
    with _handled(), _open(db, busy_timeout) as store:
        policy = store.policy().model_dump()
        rules = store.rules().model_dump()
        policy["repeat_weight"] = (
            policy["repeat_weight"] if repeat_weight is None else repeat_weight
        )
        policy["fairness"] = policy["fairness"] if fairness is None else fairness
        policy["half_life"] = _number(half_life, "--half-life", float, policy["half_life"])
        policy["target_meetings"] = _number(
            target_meetings, "--target-meetings", int, policy["target_meetings"]
        )
        for key, value in (
            ("max_per_company", max_per_company),
            ("max_per_industry", max_per_industry),
            ("cooldown", cooldown),
        ):
            rules[key] = _number(value, "--" + key.replace("_", "-"), int, rules[key])
        rules["together"] = [] if clear_together else rules["together"]
        rules["apart"] = [] if clear_apart else rules["apart"]
        rules["together"] += [_ids([group]) for group in together or ()]
        for pair in apart or ():
            ids = _ids([pair])
            if len(ids) != 2:
                raise fail(f"--apart: expected two member ids 'a,b' (got {pair!r})")
            rules["apart"].append(ids)
        new_policy, new_rules = parse_settings(policy, rules)
        store.save_settings(policy=new_policy, rules=new_rules, name=name)
        table = RichTable(title=f"{store.club_name()}: policy and rules", show_header=False)
        for key, value in {**new_policy.model_dump(), **new_rules.model_dump()}.items():
            table.add_row(key, "none" if value is None else str(value))
    out.print(table)


@club_app.command()
def status(db: DbPath = DEFAULT_DB_PATH, busy_timeout: BusyTimeout = 10.0) -> None:
    """What the database holds: members, recorded dinners, drafts."""
    with _handled(), _open(db, busy_timeout) as store, store.snapshot():
        members = store.members()
        dates = store.dinner_dates()
        drafts = store.drafts()
        active = sum(m.active for m in members)
        title = Text.assemble(
            (store.club_name(), "bold"), f" ({db}, schema {store.schema_version})"
        )
        out.print(title, highlight=False)
        out.print(f"members: {active} active, {len(members) - active} left")
        span = f" ({dates[0]} to {dates[-1]})" if dates else ""
        out.print(f"recorded dinners: {len(dates)}{span}", highlight=False)
        for draft in drafts:
            out.print(
                f"draft: {draft.date}, {len(draft.attendees)} attendees at "
                f"{len(draft.tables)} tables, {len(draft.pins)} pinned",
                highlight=False,
            )


# -- plan, show, pin, swap, reseat ---------------------------------------------------------


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


@club_app.command()
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
    table_sizes: Annotated[
        str, typer.Option(help="Without --tables: sizes to cycle through, e.g. 10,8.")
    ] = "8",
    auto_hosts: Annotated[
        bool, typer.Option(help="Seat members flagged as hosts at hostless tables.")
    ] = True,
    replace: Annotated[bool, typer.Option(help="Replace an existing draft.")] = False,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    method: Annotated[MethodChoice, typer.Option(help="Solver.")] = MethodChoice.auto,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Plan the next dinner with the club's policy and rules; save it as the draft.

    Attendees come from --attendees FILE and/or --attendee ids (default: every active member).
    """
    with _handled(), _open(db, busy_timeout) as store:
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
        if not replace and any(d.date == day for d in store.drafts()):
            store.save_draft(store.draft(day), replace=False)  # raises the clear message
        result = _solve_with_bar(
            "planning",
            time_limit,
            lambda: solve_pinned(
                problem, {}, method=method.value, time_limit=time_limit, seed=seed
            ),
        )
        if not result.status.has_plan:
            raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
        store.save_draft(_draft_from(result, day, tables, {}), replace=replace)
    _show(problem, result)
    out.print(f"saved as the draft for {day} in {db}", highlight=False)


@club_app.command()
def show(date: DateOpt = None, db: DbPath = DEFAULT_DB_PATH, busy_timeout: BusyTimeout = 10.0):
    """Show a draft plan with its quality, and any rule it breaks now."""
    with _handled(), _open(db, busy_timeout) as store:
        draft = store.draft(_date(date))
        problem = _problem(store, draft.date, draft.attendees, draft.tables_input())
        result, broken = _draft_result(problem, draft)
    _show(problem, result, draft.pins)
    for line in broken:
        err.print(f"warning: the draft breaks a rule now: {line}", highlight=False)


def _adjust(
    store: ClubStore,
    draft: Draft,
    pins: dict[str, str],
    *,
    fewest_moves: bool,
    time_limit: float,
    seed: int,
    method: str,
) -> None:
    """Re-plan a draft around new pins, save it, and say who changed table."""
    problem = _problem(store, draft.date, draft.attendees, draft.tables_input())
    before = draft.table_of()
    adjustment: Adjustment | None = None
    if fewest_moves:
        adjustment = _solve_with_bar(
            "re-seating",
            time_limit,
            lambda: reseat(problem, before, pins, time_limit=time_limit, seed=seed),
        )
        result = adjustment.result
    else:
        result = _solve_with_bar(
            "re-optimising",
            time_limit,
            lambda: solve_pinned(
                problem, pins, method=method, time_limit=time_limit, seed=seed, initial=before
            ),
        )
    if not result.status.has_plan:
        raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
    new = _draft_from(result, draft.date, draft.tables_input(), pins)
    store.save_draft(new, expected=draft)
    _show(problem, result, pins)
    if adjustment is not None:
        _print_moves(adjustment)
    else:
        moved = _changed(before, new.table_of())
        out.print(f"{_people(len(moved))} changed table", highlight=False)


@club_app.command()
def pin(
    member: Annotated[str, typer.Argument(help="Member id.")],
    table: Annotated[str, typer.Argument(help="Table id.")],
    date: DateOpt = None,
    fewest_moves: Annotated[
        bool, typer.Option(help="Move as few others as the rules need, instead of re-optimising.")
    ] = False,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    method: Annotated[MethodChoice, typer.Option(help="Solver.")] = MethodChoice.auto,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Pin MEMBER to TABLE in the draft, then re-optimise the rest."""
    with _handled(), _open(db, busy_timeout) as store:
        draft = store.draft(_date(date))
        if member not in draft.table_of():
            raise InputError(f"pin: member {member!r} is not seated in the draft of {draft.date}")
        pins = {**draft.pins, member: table}
        _adjust(
            store,
            draft,
            pins,
            fewest_moves=fewest_moves,
            time_limit=time_limit,
            seed=seed,
            method=method.value,
        )


@club_app.command()
def unpin(
    member: Annotated[str, typer.Argument(help="Member id.")],
    date: DateOpt = None,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Release a pinned member (the plan itself does not change)."""
    with _handled(), _open(db, busy_timeout) as store:
        draft = store.draft(_date(date))
        if member not in draft.pins:
            raise InputError(f"unpin: member {member!r} is not pinned in the draft")
        pins = {m: t for m, t in draft.pins.items() if m != member}
        store.save_draft(draft.model_copy(update={"pins": pins}), expected=draft)
    out.print(f"{member} is no longer pinned", highlight=False)


@club_app.command()
def swap(
    first: Annotated[str, typer.Argument(help="Member id.")],
    second: Annotated[str, typer.Argument(help="Member id.")],
    date: DateOpt = None,
    fewest_moves: Annotated[
        bool, typer.Option(help="Move as few others as the rules need, instead of re-optimising.")
    ] = False,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    method: Annotated[MethodChoice, typer.Option(help="Solver.")] = MethodChoice.auto,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Swap the tables of two members (both then pinned), and re-optimise the rest."""
    with _handled(), _open(db, busy_timeout) as store:
        draft = store.draft(_date(date))
        seating = draft.table_of()
        for member in (first, second):
            if member not in seating:
                raise InputError(f"swap: member {member!r} is not seated in the draft")
        if seating[first] == seating[second]:
            raise InputError(f"swap: {first!r} and {second!r} already sit at {seating[first]}")
        pins = {**draft.pins, first: seating[second], second: seating[first]}
        _adjust(
            store,
            draft,
            pins,
            fewest_moves=fewest_moves,
            time_limit=time_limit,
            seed=seed,
            method=method.value,
        )


def _print_moves(adjustment: Adjustment) -> None:
    moves = adjustment.moves
    proof = "the fewest the rules allow" if adjustment.minimal else "not proven the fewest"
    out.print(Text.assemble((f"{_people(len(moves))} moved", "bold"), f" ({proof})"))
    if moves or adjustment.seated:
        table = RichTable(show_header=True, header_style="bold")
        for column in ("member", "name", "from", "to", "why"):
            table.add_column(column)
        for move in [*moves, *adjustment.seated]:
            table.add_row(move.member, move.name, move.from_table or "-", move.to_table, move.why)
        out.print(table)


def _parse_table(spec: str) -> Table:
    parts = spec.split(":")
    if (
        len(parts) not in (2, 3)
        or not parts[0]
        or not parts[1].isdigit()
        or not 1 <= int(parts[1]) <= csvio.MAX_CAPACITY
    ):
        raise InputError(
            f"--add-table: expected ID:CAPACITY[:HOST], capacity 1 to {csvio.MAX_CAPACITY} "
            f"(got {spec!r})"
        )
    host = parts[2] if len(parts) == 3 and parts[2] else None
    return Table(id=parts[0], capacity=int(parts[1]), host=host)


@club_app.command("reseat")
def reseat_command(
    date: DateOpt = None,
    cancel: Annotated[
        list[str] | None, typer.Option(help="Cancellations: member ids 'a,b' (repeatable).")
    ] = None,
    walk_in: Annotated[
        list[str] | None, typer.Option(help="Walk-ins: member ids 'a,b' (repeatable).")
    ] = None,
    attendees_file: Annotated[
        Path | None, typer.Option("--attendees", help="The full new list of attendees.")
    ] = None,
    remove_table: Annotated[list[str] | None, typer.Option(help="Table ids to remove.")] = None,
    add_table: Annotated[
        list[str] | None, typer.Option(help="A table to add: ID:CAPACITY[:HOST].")
    ] = None,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Re-seat the draft after late changes, moving as few people as the rules allow."""
    with _handled(), _open(db, busy_timeout) as store:
        draft = store.draft(_date(date))
        before = draft.table_of()
        cancelled, walk_ins = _ids(cancel), _ids(walk_in)
        if attendees_file is not None:
            if cancelled or walk_ins:
                raise InputError("--attendees: give either the full list or --cancel/--walk-in")
            listed = csvio.read_id_list(attendees_file)
            cancelled = [m for m in draft.attendees if m not in listed]
            walk_ins = [m for m in listed if m not in before]
        for member in cancelled:
            if member not in before:
                raise InputError(f"--cancel: member {member!r} is not seated in the draft")
        for member in walk_ins:
            if member in before:
                raise InputError(f"--walk-in: member {member!r} already has a seat")
        removed = _ids(remove_table)
        known_tables = {t.id for t in draft.tables}
        for table_id in removed:
            if table_id not in known_tables:
                raise InputError(f"--remove-table: the draft has no table {table_id!r}")
        if known_tables <= set(removed) and not add_table:
            raise InputError("--remove-table: no table would be left (add one with --add-table)")
        attendees = [m for m in draft.attendees if m not in cancelled] + walk_ins
        tables = [
            Table(id=t.id, capacity=t.capacity, host=None if t.host in cancelled else t.host)
            for t in draft.tables
            if t.id not in removed
        ] + [_parse_table(spec) for spec in add_table or ()]
        pins = {m: t for m, t in draft.pins.items() if m not in cancelled and t not in removed}
        problem = _problem(store, draft.date, attendees, tables)
        reasons = {t: f"table {t} was removed" for t in removed}
        adjustment = _solve_with_bar(
            "re-seating",
            time_limit,
            lambda: reseat(
                problem, before, pins, time_limit=time_limit, seed=seed, removed_tables=reasons
            ),
        )
        result = adjustment.result
        if not result.status.has_plan:
            raise fail(f"no plan ({result.status.value}): {result.reason}", code=1)
        store.save_draft(_draft_from(result, draft.date, tables, pins), expected=draft)
    _show(problem, result, pins)
    names = {m.id: m.display_name for m in problem.members}
    if cancelled:
        out.print("cancelled: " + ", ".join(names[m] for m in cancelled), highlight=False)
    released = [m for m in draft.pins if m not in pins]
    if released:
        out.print("no longer pinned: " + ", ".join(names[m] for m in released), highlight=False)
    _print_moves(adjustment)


# -- record --------------------------------------------------------------------------------


@club_app.command()
def record(
    date: DateOpt = None,
    absent: Annotated[
        list[str] | None, typer.Option(help="No-shows to leave out: member ids 'a,b'.")
    ] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Undo the latest record.")] = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """After the dinner: turn the draft into history (twice changes nothing); --undo reverts."""
    with _handled(), _open(db, busy_timeout) as store:
        day = _date(date)
        if undo:
            undone = store.undo_record(day)
            out.print(
                f"undid the record of the dinner of {undone}; its plan is a draft again",
                highlight=False,
            )
            return
        drafts = {d.date: d for d in store.drafts()}
        if day is None and not drafts:
            day = store.last_recorded()
            if day is None:
                raise InputError("no draft plan to record (make one with `seating club plan`)")
        if day is not None and day not in drafts and store.dinner(day) is not None:
            out.print(f"the dinner of {day} is already recorded; nothing changed", highlight=False)
            return
        draft = store.draft(day)
        gone = _ids(absent)
        seated = draft.table_of()
        for member in gone:
            if member not in seated:
                raise InputError(f"--absent: member {member!r} is not seated in the draft")
        if not store.record(draft, absent=gone):
            out.print(
                f"the dinner of {draft.date} is already recorded; nothing changed",
                highlight=False,
            )
            return
    people = len(draft.attendees) - len(gone)
    tables = sum(1 for t in draft.tables if any(m not in gone for m in t.members))
    out.print(
        f"recorded the dinner of {draft.date}: {people} people at {tables} tables "
        f"(undo: seating club record --undo)",
        highlight=False,
    )


# -- report and print ----------------------------------------------------------------------


@club_app.command()
def report(
    member: Annotated[
        str | None, typer.Option("--member", help="Who this member met, and who not.")
    ] = None,
    top: Annotated[int, typer.Option(min=0, help="Pairs to list, most meetings first.")] = 15,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", help="Also write meetings/not_met/members CSVs here.")
    ] = None,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Who met whom how often, who has not met whom, per-member counts."""
    with _handled(), _open(db, busy_timeout) as store, store.snapshot():
        members = store.members()
        stats = meeting_stats(members, store.dinners())
    by_id = {m.id: m for m in members}
    if member is not None:
        if member not in by_id:
            raise fail(f"--member: unknown member id {member!r}")
        rows = stats.met_with(member)
        table = RichTable(title=f"{by_id[member].display_name} ({member}) met")
        for column in ("member", "name", "times", "last met"):
            table.add_column(column, justify="right" if column == "times" else "left")
        for other, times, last in rows:
            if times or other.active:
                table.add_row(other.id, other.display_name, str(times), str(last or "never"))
        out.print(table)
    else:
        figures = RichTable(title=f"per member, over {len(stats.dates)} dinners")
        for column in ("member", "name", "dinners", "met", "not met yet", "most often with"):
            figures.add_column(column)
        for row in stats.figures():
            if not row.member.active:
                continue
            often = (
                f"{by_id[row.most_met].display_name} ({row.most_met_times}x)"
                if row.most_met
                else "-"
            )
            figures.add_row(
                row.member.id,
                row.member.display_name,
                str(row.dinners),
                str(row.people_met),
                str(row.not_met),
                often,
            )
        out.print(figures)
        pairs = RichTable(title=f"pairs who met most often (top {top})")
        for column in ("member", "member", "times", "last met"):
            pairs.add_column(column)
        for a, b, times, last in stats.pairs()[:top]:
            pairs.add_row(a.display_name, b.display_name, str(times), str(last))
        out.print(pairs)
        out.print(f"{len(stats.not_met())} pairs of active members have not met yet")
    if csv_dir is not None:
        _report_csv(csv_dir, stats)


def _report_csv(folder: Path, stats: MeetingStats) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(f"--csv {folder}: {exc.strerror}") from None
    with _handled():
        csvio.write_csv(
            folder / "meetings.csv",
            ("member_a", "name_a", "member_b", "name_b", "times", "last_met"),
            [(a.id, a.name, b.id, b.name, n, last) for a, b, n, last in stats.pairs()],
        )
        csvio.write_csv(
            folder / "not_met.csv",
            ("member_a", "name_a", "member_b", "name_b"),
            [(a.id, a.name, b.id, b.name) for a, b in stats.not_met()],
        )
        csvio.write_csv(
            folder / "members.csv",
            (
                "member_id",
                "name",
                "active",
                "dinners",
                "people_met",
                "not_met",
                "most_met",
                "most_met_times",
            ),
            [
                (
                    r.member.id,
                    r.member.name,
                    "yes" if r.member.active else "no",
                    r.dinners,
                    r.people_met,
                    r.not_met,
                    r.most_met or "",
                    r.most_met_times,
                )
                for r in stats.figures()
            ],
        )
    out.print(f"wrote meetings.csv, not_met.csv and members.csv to {folder}", highlight=False)


@club_app.command("print")
def print_command(
    date: DateOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the HTML files.")] = Path("."),
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Write the printable plan (tables + "where do I sit") and place cards as HTML."""
    with _handled(), _open(db, busy_timeout) as store, store.snapshot():
        day = _date(date)
        drafts = {d.date: d for d in store.drafts()}
        if day is None and not drafts and store.dinner_dates():
            day = store.dinner_dates()[-1]
        dinner = drafts.get(day) if day is not None else None
        if dinner is None:
            recorded = store.dinner(day) if day is not None else None
            dinner = recorded if recorded is not None else store.draft(day)
        view = dinner_view(dinner, _names(store), title=store.club_name())
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        plan_file = out_dir / f"dinner-{view.date}.html"
        cards_file = out_dir / f"place-cards-{view.date}.html"
        write_atomically(plan_file, render_plan(view))
        write_atomically(cards_file, render_cards(view))
    except OSError as exc:
        raise fail(f"--out {out_dir}: {exc.strerror}") from None
    out.print(
        f"wrote {plan_file} (plan and where-do-I-sit list) and {cards_file} "
        f"({len(view.seats)} place cards on {view.num_pages} A4 "
        f"page{'s' if view.num_pages > 1 else ''})",
        highlight=False,
    )
