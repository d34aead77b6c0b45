"""``report`` (who met whom) and ``print`` (the printable plan and place cards)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from seating.cli.club._common import (
    DEFAULT_DB_PATH,
    BusyTimeout,
    DateOpt,
    DbPath,
    _date,
    _handled,
    _open,
    out,
)
from seating.cli.console import fail, write_atomically
from seating.club import files as csvio
from seating.club import workflow
from seating.club.report.html import render_cards, render_plan
from seating.club.report.meetings import MeetingStats, meeting_stats


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


def print_command(
    date: DateOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the HTML files.")] = Path("."),
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Write the printable plan (tables + "where do I sit") and place cards as HTML."""
    with _handled(), _open(db, busy_timeout) as store:
        view = workflow.printable(store, _date(date))
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
