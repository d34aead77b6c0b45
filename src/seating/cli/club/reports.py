"""``report`` (who met whom) and ``print`` (the printable plan, place cards and tent cards, in
the club's language; PDF too)."""

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
    err,
    out,
)
from seating.cli.console import fail, write_atomically
from seating.club import files as csvio
from seating.club import workflow
from seating.club.report.html import render_cards, render_plan, render_tents
from seating.club.report.meetings import MeetingStats, meeting_stats
from seating.club.report.pdf import to_pdf
from seating.club.writing import write_bytes_atomically


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
        figures = RichTable(title=f"per member, over {len(set(stats.dates))} dinners")
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
    language: Annotated[
        str | None,
        typer.Option("--language", help="nl, fr or en; default: the club's language setting."),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write each page as PDF (headless Chromium).")
    ] = False,
    db: DbPath = DEFAULT_DB_PATH,
    busy_timeout: BusyTimeout = 10.0,
) -> None:
    """Write the printable plan (tables + "where do I sit" for the guests), place cards and
    fold-over tent cards as HTML for A4 (--pdf: as PDF too), in the club's language."""
    with _handled(), _open(db, busy_timeout) as store:
        view = workflow.printable(store, _date(date), language=language)
        warnings = workflow.draft_warnings(store, view)
    pages = {
        f"dinner-{view.date}": render_plan(view),
        f"place-cards-{view.date}": render_cards(view),
        f"tent-cards-{view.date}": render_tents(view),
    }
    printed: dict[str, bytes] = {}
    if pdf:  # before anything is written: no Chromium leaves no half set of files
        with _handled():
            printed = {f"{name}.pdf": to_pdf(html) for name, html in pages.items()}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, html in pages.items():
            write_atomically(out_dir / f"{name}.html", html)
        for name, data in printed.items():
            write_bytes_atomically(out_dir / name, lambda tmp, data=data: tmp.write_bytes(data))
    except OSError as exc:
        raise fail(f"--out {out_dir}: {exc.strerror}") from None
    files = [out_dir / f"{name}.html" for name in pages]
    cards, tents = len(view.cards), len(view.tent_pages)
    out.print(
        f"wrote {files[0]} (plan and where-do-I-sit list), {files[1]} ({cards} place cards on "
        f"{_pages(view.num_pages)}) and {files[2]} ({cards} tent cards on {_pages(tents)})"
        + (", and each as .pdf" if pdf else ""),
        highlight=False,
    )
    for line in warnings:  # the pages are written: the organiser decides what to do
        err.print(f"warning: the draft breaks a rule now: {line}", highlight=False)


def _pages(num: int) -> str:
    return f"{num} A4 page{'s' if num != 1 else ''}"
