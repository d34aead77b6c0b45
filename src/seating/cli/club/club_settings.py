"""``settings`` and ``status``: the club's policy and rules, and what the database holds."""

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
from seating.club.store import parse_settings
from seating.errors import InputError

LARGEST = 1_000_000
"""Settings above this are typos, not intentions (and overflow the compiled search)."""


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
