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
        list[str] | None,
        typer.Option(help="Keep a group together: ids or names 'a,b,c' (repeatable)."),
    ] = None,
    apart: Annotated[
        list[str] | None, typer.Option(help="Keep two apart: ids or names 'a,b' (repeatable).")
    ] = None,
    clear_together: Annotated[bool, typer.Option(help="Forget every together group.")] = False,
    clear_apart: Annotated[bool, typer.Option(help="Forget every apart pair.")] = False,
    table_language: Annotated[
        str | None,
        typer.Option(
            help="'table': a language everyone at a table speaks; K: each member has K table "
            "mates sharing a language; 'off'."
        ),
    ] = None,
    newcomer_dinners: Annotated[
        str | None,
        typer.Option(help="N: fewer than N dinners (or joined within N) is a newcomer; 'off'."),
    ] = None,
    max_newcomers_per_table: Annotated[
        str | None, typer.Option(help="Most newcomers at a table, or 'off'.")
    ] = None,
    recent_penalty: Annotated[
        float | None, typer.Option(help="Extra cost of recent table mates (soft cooldown).")
    ] = None,
    recent_dinners: Annotated[
        int | None, typer.Option(help="How many dinners count as recent for --recent-penalty.")
    ] = None,
    introduce: Annotated[
        list[str] | None,
        typer.Option(
            help="Seat two members together this time: 'a,b' or 'a,b,STRENGTH' "
            "(ids or names; repeatable)."
        ),
    ] = None,
    clear_introduce: Annotated[bool, typer.Option(help="Forget every pair to introduce.")] = False,
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
        if recent_penalty is not None:
            policy["recent_penalty"] = recent_penalty
        if recent_dinners is not None:
            policy["recent_dinners"] = recent_dinners
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
            ("newcomer_dinners", newcomer_dinners),
            ("max_newcomers_per_table", max_newcomers_per_table),
        ):
            if text is not None:
                rules[key] = workflow.optional_number(text, key, int)
        if table_language is not None:
            rules["language"] = workflow.table_language(table_language)
        people = workflow.directory(store)
        pairs = []
        for pair in apart or ():
            ids = workflow.members_named(people, [pair], "apart")
            if len(ids) != 2:
                raise fail(f"--apart: expected two member ids 'a,b' (got {pair!r})")
            pairs.append(ids)
        new_policy, new_rules = workflow.change_settings(
            store,
            name=name,
            language=language,
            policy=policy,
            rules=rules,
            together=[
                workflow.members_named(people, [group], "together") for group in together or ()
            ],
            apart=pairs,
            clear_together=clear_together,
            clear_apart=clear_apart,
            introduce=[workflow.introduction(people, text) for text in introduce or ()],
            clear_introduce=clear_introduce,
        )
        table = RichTable(title=f"{store.club_name()}: policy and rules", show_header=False)
        table.add_row("language", store.club_language())
        for key, value in {**new_policy.model_dump(), **new_rules.model_dump()}.items():
            table.add_row(*_setting_row(key, value))
    out.print(table)


_SHOWN_AS = {"language": "table_language"}
"""Settings shown under another name (the club's own ``language`` is the print-outs')."""


def _setting_row(key: str, value: Any) -> tuple[str, str]:
    """A setting as the table shows it: ``none`` for no value, pairs to introduce as
    ``a+b`` (with ``x2`` for a strength other than 1)."""
    if value is None:
        return _SHOWN_AS.get(key, key), "none"
    if key == "introduce":
        shown = [
            f"{p[0]}+{p[1]}" + (f" x{p[2]:g}" if len(p) > 2 and p[2] != 1 else "") for p in value
        ]
        return key, ", ".join(shown) or "none"
    return _SHOWN_AS.get(key, key), str(value)


def status(db: DbPath = DEFAULT_DB_PATH, busy_timeout: BusyTimeout = 10.0) -> None:
    """What the database holds: members, recorded dinners, drafts."""
    with _handled(), _open(db, busy_timeout) as store, store.snapshot():
        members = store.members()
        dates = store.dinner_dates()
        drafts = store.drafts()
        active = sum(m.active for m in members)
        guests = sum(m.is_guest for m in members)
        title = Text.assemble(
            (store.club_name(), "bold"), f" ({db}, schema {store.schema_version})"
        )
        out.print(title, highlight=False)
        left = len(members) - active - guests
        out.print(
            f"members: {active} active, {left} left"
            + (f", {guests} guest{'s' if guests > 1 else ''}" if guests else "")
        )
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
