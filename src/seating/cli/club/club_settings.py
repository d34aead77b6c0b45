"""``settings`` and ``status``: the club's policy and rules (changed through
:mod:`seating.club.workflow.settings`), and what the database holds."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table as RichTable
from rich.text import Text

from seating.cli.club._common import (
    DEFAULT_DB_PATH,
    BusyTimeout,
    DbPath,
    _handled,
    _ids,
    _open,
    out,
)
from seating.cli.console import fail
from seating.club import workflow


def settings(
    name: Annotated[str | None, typer.Option("--name", help="The club's name (printed).")] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="nl, fr or en: print-outs, summaries, CSV.")
    ] = None,
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
        policy: dict[str, Any] = {}
        if repeat_weight is not None:
            policy["repeat_weight"] = repeat_weight
        if fairness is not None:
            policy["fairness"] = fairness
        for key, text, kind in (
            ("half_life", half_life, float),
            ("target_meetings", target_meetings, int),
        ):
            if text is not None:
                policy[key] = workflow.optional_number(text, key, kind)
        rules: dict[str, Any] = {}
        for key, text in (
            ("max_per_company", max_per_company),
            ("max_per_industry", max_per_industry),
            ("cooldown", cooldown),
        ):
            if text is not None:
                rules[key] = workflow.optional_number(text, key, int)
        pairs = []
        for pair in apart or ():
            ids = _ids([pair])
            if len(ids) != 2:
                raise fail(f"--apart: expected two member ids 'a,b' (got {pair!r})")
            pairs.append(ids)
        new_policy, new_rules = workflow.change_settings(
            store,
            name=name,
            language=language,
            policy=policy,
            rules=rules,
            together=[_ids([group]) for group in together or ()],
            apart=pairs,
            clear_together=clear_together,
            clear_apart=clear_apart,
        )
        table = RichTable(title=f"{store.club_name()}: policy and rules", show_header=False)
        table.add_row("language", store.club_language())
        for key, value in {**new_policy.model_dump(), **new_rules.model_dump()}.items():
            table.add_row(key, "none" if value is None else str(value))
    out.print(table)


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
            courses = f", {draft.num_courses} courses" if draft.num_courses > 1 else ""
            pins = sum(len(draft.course(k).pins) for k in range(1, draft.num_courses + 1))
            out.print(
                f"draft: {draft.date}, {len(draft.attendees)} attendees at "
                f"{len(draft.tables)} tables{courses}, {pins} pinned",
                highlight=False,
            )
