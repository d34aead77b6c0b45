"""``plan``, ``show`` and ``explain``: a draft of the next dinner from the club's members,
history and rules (:mod:`seating.club.workflow`), and how it looks to the planner now; the
display helpers the adjusting commands share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from seating.cli.club._common import (
    DEFAULT_DB_PATH,
    AutoHosts,
    BusyTimeout,
    Columns,
    Course,
    DateOpt,
    DbPath,
    Method,
    Sheet,
    TableSizes,
    TimeLimit,
    Verbose,
    _date,
    _handled,
    _open,
    _read_options,
    _table_sizes,
    err,
    note,
    out,
    plan_out,
    progress_after,
)
from seating.cli.console import MethodChoice, Seed, command_budget, fail
from seating.cli.display import print_plan
from seating.club import files as csvio
from seating.club import workflow
from seating.compile.courses import course_rounds, expand_courses, round_titles
from seating.compile.plans import compiled_dinners
from seating.models import ProblemInput
from seating.result import Result, Status


def _show(
    problem: ProblemInput,
    result: Result,
    pins: Mapping[str, str] | Sequence[Mapping[str, str]] | None = None,
    *,
    language: str = "en",
    verbose: bool = False,
) -> None:
    """The tables (of each course, for a dinner with courses, as ``seating plan`` prints
    them), the solver's line with ``verbose``, then the organiser's summary line over the
    whole evening in the club's ``language``; ``pins``: of the dinner, or one per course."""
    rounds, planned = expand_courses(problem), course_rounds(result)
    compiled = compiled_dinners(rounds, planned)
    print_plan(plan_out, rounds, compiled, planned, round_titles(problem), status=verbose)
    out.print(workflow.plain_summary(problem, result, language=language), highlight=False)
    per_course = [pins] if pins is None or isinstance(pins, Mapping) else list(pins)
    names = {m.id: m.display_name for m in problem.members}
    for k, course_pins in enumerate(per_course, start=1):
        if not course_pins:
            continue
        listed = ", ".join(f"{names.get(m, m)} -> {t}" for m, t in sorted(course_pins.items()))
        where = f" (course {k})" if len(per_course) > 1 else ""
        out.print(f"pinned{where}: {listed}", highlight=False)


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _solve_with_bar(label: str, time_limit: float, solve: Any) -> Any:
    with progress_after(err, label, time_limit):
        return solve()


def plan(
    date: Annotated[str, typer.Option("--date", help="The dinner's date (YYYY-MM-DD).")],
    attendees_file: Annotated[
        Path | None,
        typer.Option("--attendees", help="File of members (ids or names, one per line; .xlsx)."),
    ] = None,
    attendee: Annotated[
        list[str] | None,
        typer.Option("--attendee", help="Members by id or name 'a,Ursula Lambert' (repeatable)."),
    ] = None,
    guest: Annotated[
        list[str] | None,
        typer.Option(
            "--guest",
            help="A guest who is not a member: 'NAME:INVITER' (inviter by id or name; repeatable).",
        ),
    ] = None,
    tables_file: Annotated[
        Path | None, typer.Option("--tables", help="Tables CSV or .xlsx: table,capacity[,host].")
    ] = None,
    table_sizes: TableSizes = "8",
    auto_hosts: AutoHosts = True,
    replace: Annotated[bool, typer.Option(help="Replace an existing draft.")] = False,
    allow_past: Annotated[
        bool, typer.Option("--allow-past", help="Plan a dinner before the last recorded one.")
    ] = False,
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
    """Plan the next dinner with the club's policy and rules; save it as the draft.

    Attendees come from --attendees FILE and/or --attendee (default: every active member),
    by id or by name; --guest adds guests who are not members (registered with the draft).
    """
    with _handled(), _open(db, busy_timeout) as store:
        limit = command_budget(time_limit)
        day = _date(date)
        assert day is not None
        workflow.check_plan_date(store, day, allow_past=allow_past)  # before reading the files
        options = _read_options(column, sheet)
        people = workflow.directory(store)
        chosen = (
            csvio.read_id_list(attendees_file, resolve=people.resolve, options=options)
            if attendees_file
            else []
        )
        chosen += [
            m for m in workflow.members_named(people, attendee, "attendee") if m not in chosen
        ]
        tables = (
            csvio.read_tables_csv(tables_file, resolve=people.resolve, options=options)
            if tables_file
            else _table_sizes(table_sizes)
        )
        job = workflow.prepare_plan(
            store,
            day,
            attendees=chosen,
            tables=tables,
            auto_hosts=auto_hosts,
            replace=replace,
            allow_past=allow_past,
            courses=courses,
            guests=guest or (),
        )
        result = _solve_with_bar(
            "planning",
            time_limit,
            lambda: job.search(method=method.value, time_limit=time_limit, seed=seed, stop=limit),
        )
        planned = job.save(store, result)
        note(*planned.notes)
        if planned.draft is None:
            reason = result.reason
            if result.status is Status.UNKNOWN and method != MethodChoice.cpsat:
                # The organiser cannot tell "not found in time" from "cannot be": say how to.
                reason += (
                    " (a longer --time-limit may find one; --method cpsat says which rules "
                    "clash if none exists)"
                )
            raise fail(f"no plan ({result.status.value}): {reason}", code=1)
        language = store.club_language()
    _show(planned.problem, result, language=language, verbose=verbose)
    out.print(f"saved as the draft for {day} in {db}", highlight=False)


def explain(
    table: Annotated[str | None, typer.Option("--table", help="Explain one table.")] = None,
    member: Annotated[str | None, typer.Option("--member", help="Explain one member.")] = None,
    date: DateOpt = None,
    course: Course = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Why people sit together in a draft: met before or not, rules, terms of the objective."""
    from seating.cli.explain import show as show_explanation
    from seating.explain import explain as explain_plan

    with _handled(), _open(db, busy_timeout) as store:
        view = workflow.view_draft(store, _date(date))
        workflow.course_of(view.draft, course)
        note(*view.notes)
        people = workflow.directory(store)
        who = None if member is None else workflow.member_named(people, member, "member")
        show_explanation(
            explain_plan(view.problem, view.result, course=course),
            table=table,
            member=who,
            as_json=as_json,
            named=people.with_names,
        )


def show(
    date: DateOpt = None,
    verbose: Verbose = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
):
    """Show a draft plan with its quality, and any rule it breaks now."""
    with _handled(), _open(db, busy_timeout) as store:
        view = workflow.view_draft(store, _date(date))
        note(*view.notes)
        people = workflow.directory(store)
        language = store.club_language()
    pins = [course.pins for course in map(view.draft.course, range(1, view.draft.num_courses + 1))]
    _show(view.problem, view.result, pins, language=language, verbose=verbose)
    for line in view.broken:
        err.print(
            f"warning: the draft breaks a rule now: {people.with_names(line)}", highlight=False
        )
