"""After the dinner: record it (no-shows left out), undo the record; the history with who met
whom and the plots of the notebook as PNG images."""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from seating.club import workflow
from seating.club.report.meetings import meeting_stats
from seating.models import PastDinner
from seating.web.common import (
    BAD_REQUEST,
    check_csrf,
    date_of,
    one_line,
    open_store,
    redirect,
    render,
    words,
)

router = APIRouter(include_in_schema=False)  # pages: not part of the API


@router.post("/record", dependencies=[Depends(check_csrf)])
def record(
    request: Request,
    date: Annotated[str, Form()],
    absent: Annotated[list[str] | None, Form()] = None,
    allow_future: Annotated[bool, Form()] = False,
):
    """Turn the draft into history; recording twice changes nothing."""
    try:
        with open_store(request) as store:
            no_shows = workflow.members_named(store, [a for a in absent or () if a], "absent")
            recorded = workflow.record_dinner(
                store, date_of(date), absent=no_shows, allow_future=allow_future
            )
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, f"/plan?date={date}", message, "error")
    t = words(request)
    blanks = {"date": recorded.date, "people": recorded.people, "tables": recorded.tables}
    if not recorded.changed:
        said = t.gettext("the dinner of %(date)s is already recorded; nothing changed")
        return redirect(request, "/history", said % blanks)
    said = t.gettext("recorded the dinner of %(date)s: %(people)d people at %(tables)d tables")
    said %= blanks
    if recorded.courses > 1:  # as the command line says it
        said += t.gettext(", %(courses)d courses") % {"courses": recorded.courses}
    text = "\n".join([said, *recorded.notes])
    return redirect(request, "/history", text)


@router.post("/record/undo", dependencies=[Depends(check_csrf)])
def undo_record(request: Request, date: Annotated[str, Form()] = ""):
    """Take the latest record (or that of ``date``) back: its plan is a draft again."""
    try:
        with open_store(request) as store:
            undone = store.undo_record(date_of(date))
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, "/history", message, "error")
    said = words(request).gettext("undid the record of %(date)s; its plan is a draft again")
    return redirect(request, f"/plan?date={undone}", said % {"date": undone})


@router.post("/undo", dependencies=[Depends(check_csrf)])
def undo(request: Request, back: Annotated[str, Form()] = "/history"):
    """Take back the last change to the database, of any kind (``seating club undo``);
    again for the change before it."""
    try:
        with open_store(request) as store:
            undone = workflow.undo_change(store)
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, "/history", message, "error")
    if not back.startswith("/") or back.startswith("//"):
        back = "/history"  # only pages of this app: no open redirect
    t = words(request)
    if undone is None:
        return redirect(
            request, back, t.gettext("nothing to undo: no change is left in the undo log")
        )
    said = t.gettext("undid %(what)s (made %(when)s)")
    return redirect(request, back, said % {"what": undone.what, "when": undone.made_at})


@router.get("/history")
def history_page(request: Request, member: str | None = None):
    with open_store(request, create=True) as store, store.snapshot():
        members = store.members()
        dinners = store.dinners()
    stats = meeting_stats(members, dinners)
    by_id = {m.id: m for m in members}
    return render(
        request,
        "history.html.j2",
        dinners=list(reversed(dinners)),
        figures=[f for f in stats.figures() if f.member.active],
        pairs=stats.pairs()[:15],
        by_id=by_id,
        member=member if member in by_id else None,
        members=[m for m in members if m.active],
    )


def _png(figure) -> Response:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return Response(buffer.getvalue(), media_type="image/png")


Seating = tuple[tuple[dt.date, tuple[tuple[str, ...], ...]], ...]
"""The recorded dinners as a hashable value: (date, tables of member ids) each."""


@lru_cache(maxsize=8)
def _pairs_png(dinners: Seating) -> bytes:
    """The pair matrix of ``dinners`` as PNG bytes; drawn once per history (the image is the
    slowest answer of the app, and the history changes only when a dinner is recorded)."""
    from matplotlib.figure import Figure

    from seating.plotting import plot_pair_matrix

    figure = Figure(figsize=(7, 6))
    ax = figure.add_subplot()
    if dinners:
        history = [
            PastDinner(date=day, tables=[list(t) for t in tables]) for day, tables in dinners
        ]
        plot_pair_matrix(history, ax=ax, title="who met whom (times)")
    else:
        ax.text(0.5, 0.5, "no recorded dinners yet", ha="center", va="center")
        ax.set_axis_off()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


@router.get("/plots/pairs.png")
def pairs_plot(request: Request):
    """Who met whom how often (the notebook's pair matrix), over the recorded dinners."""
    with open_store(request) as store:
        history = store.history()
    key = tuple((d.date, tuple(tuple(t) for t in d.tables)) for d in history)
    return Response(_pairs_png(key), media_type="image/png")


@router.get("/plots/member.png")
def member_plot(request: Request, member: str):
    """One member's meeting network (the notebook's plot)."""
    from matplotlib.figure import Figure

    from seating.plotting import plot_member_network

    figure = Figure(figsize=(6, 6))
    ax = figure.add_subplot()
    try:
        with open_store(request) as store:
            history = store.history()
            names = {m.id: m.display_name for m in store.members()}
        plot_member_network(history, member, names=names, ax=ax)
    except BAD_REQUEST as exc:
        message = one_line(exc)
        ax.clear()
        ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True)
        ax.set_axis_off()
    return _png(figure)
