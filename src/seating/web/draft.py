"""The plan of a dinner as table cards, and what the organiser does with it: move a member
(drag and drop, or the select next to each name), see the move checked against every hard
rule, pin it and re-seat the rest with fewest moves; release a pin; explain a member;
cancellations and walk-ins; print."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from seating.club import workflow
from seating.club.names import Directory
from seating.club.records import ClubMember
from seating.club.report.html import render_cards, render_plan, render_tents, sort_key
from seating.club.report.pdf import to_pdf
from seating.club.store import ClubStore
from seating.explain import explain
from seating.web.common import (
    BAD_REQUEST,
    check_csrf,
    date_of,
    language_of,
    one_line,
    open_store,
    redirect,
    render,
    state,
    words,
)
from seating.web.jobs import JobBusyError

router = APIRouter(include_in_schema=False)  # pages: not part of the API

ADJUST_SECONDS = 10.0
"""Time limit of a re-seat (fewest moves: CP-SAT proves the fewest; small dinners in well
under a second)."""


def _plan_url(date: dt.date, course: int = 1) -> str:
    return f"/plan?date={date.isoformat()}" + (f"&course={course}" if course != 1 else "")


def _cards(view: workflow.DraftView, store: ClubStore, course: int = 1) -> list[dict[str, Any]]:
    """The tables of course ``course`` as cards: each member with name, company, host and pin
    marks, and for each table mate how often they met before (from the explanation of the
    plan: for a later course, the earlier courses of the evening count)."""
    members = {m.id: m for m in store.members()}
    one = view.draft.course(course)
    why = explain(view.problem, view.result, course=course)
    cards = []
    for table, told in zip(one.tables, why.tables, strict=True):
        met: dict[str, list[tuple[str, int]]] = {m: [] for m in table.members}
        for pair in told.pairs:
            if pair.meetings:
                met[pair.a].append((pair.b, pair.meetings))
                met[pair.b].append((pair.a, pair.meetings))
        seats = []
        for member in table.members:
            known = members.get(member)
            seats.append(
                {
                    "id": member,
                    "name": known.display_name if known else member,
                    "company": (known.company or "") if known else "",
                    "host": member == table.host,
                    "guest_of": _inviter(known, members),
                    "pinned": one.pins.get(member) == table.id,
                    "met": [
                        (members[o].display_name if o in members else o, n)
                        for o, n in sorted(met[member], key=lambda x: -x[1])
                    ],
                }
            )
        seats.sort(key=lambda s: (not s["host"], sort_key(s["name"])))
        cards.append(
            {
                "id": table.id,
                "capacity": table.capacity,
                "seats": seats,
                "new_pairs": told.new_pairs,
                "repeat_pairs": told.repeat_pairs,
            }
        )
    return cards


def _inviter(member: ClubMember | None, members: dict[str, ClubMember]) -> str:
    """The name of who invited ``member`` (a guest, ``guest_of``), empty for anyone else."""
    if member is None or member.guest_of is None:
        return ""
    inviter = members.get(member.guest_of)
    return inviter.display_name if inviter else member.guest_of


@router.get("/plan")
def plan_page(request: Request, date: str | None = None, course: int = 1):
    try:
        with open_store(request) as store, store.snapshot():
            day = date_of(date)
            drafts = [d.date for d in store.drafts()]
            if day is None and len(drafts) != 1:
                return render(request, "no_plan.html.j2", drafts=drafts, status_code=200)
            view = workflow.view_draft(store, day)
            workflow.course_of(view.draft, course)
            cards = _cards(view, store, course)
            summary = workflow.plain_summary(
                view.problem, view.result, language=language_of(request)
            )
            seated = set(view.draft.attendees)
            walk_ins = [m for m in store.members(active_only=True) if m.id not in seated]
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return render(request, "no_plan.html.j2", drafts=[], error=message, status_code=422)
    return render(
        request,
        "plan.html.j2",
        view=view,
        cards=cards,
        summary=summary,
        walk_ins=walk_ins,
        drafts=drafts,
        course=course,
    )


@router.post("/plan/check", dependencies=[Depends(check_csrf)])
def check(
    request: Request,
    date: Annotated[str, Form()],
    member: Annotated[str, Form()],
    table: Annotated[str, Form()],
    course: Annotated[int, Form()] = 1,
):
    """The rules broken if ``member`` moved to ``table`` (in course ``course``) and nobody
    else: JSON for the page."""
    try:
        with open_store(request) as store:
            draft = store.draft(date_of(date))
            broken = workflow.check_move(store, draft, member, table, course)
            people = workflow.directory(store)
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return JSONResponse({"detail": message}, status_code=422)
    return JSONResponse(
        {
            "member": member,
            "name": people.name(member),
            "table": table,
            "ok": not broken,
            "broken": [people.with_names(line) for line in broken],
        }
    )


def _adjust(
    request: Request, date: str, prepare: Any, done: Callable[[Directory], str], course: int = 1
) -> Any:
    """Run a prepared change of the draft (off the event loop: FastAPI runs this route in a
    worker thread), refusing it while another search of the same dinner runs; back to the
    plan's page of ``course``. ``done`` words the change with the members' names."""
    web = state(request)
    t = words(request)
    try:
        with open_store(request) as store:
            day = date_of(date)
            draft = store.draft(day)
            job = prepare(store, draft)
            busy = web.jobs.touching(draft.date)
            if busy is not None:
                raise JobBusyError(f"{busy.key} is running: wait for it or cancel it")
            found = job.search(time_limit=ADJUST_SECONDS, seed=0)
            adjusted = job.save(store, found)
            people = workflow.directory(store)
    except JobBusyError as exc:
        return redirect(request, _plan_url(date_of(date) or dt.date.today()), str(exc), "error")
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, f"/plan?date={date}&course={course}", message, "error")
    if adjusted.draft is None:
        result = adjusted.result
        reason = people.with_names(result.reason or "")
        text = t.gettext("no plan holds every rule (%(status)s): %(reason)s") % {
            "status": result.status.value,
            "reason": reason,
        }
        return redirect(request, _plan_url(draft.date, course), text, "error")
    lines = [done(people)]
    found = adjusted.adjustment  # of the course shown (every course may have been re-seated)
    if found is not None:
        count = len(found.moves)
        if found.minimal:
            moved = t.ngettext(
                "%(num)d person moved (the fewest the rules allow)",
                "%(num)d people moved (the fewest the rules allow)",
                count,
            )
        else:
            moved = t.ngettext("%(num)d person moved", "%(num)d people moved", count)
        lines.append(moved % {"num": count})
        lines += [
            f"{m.name}: {m.from_table or '-'} -> {m.to_table} ({people.with_names(m.why)})"
            for m in [*found.moves, *found.seated]
        ]
    lines += [people.with_names(n) for n in adjusted.notes]
    return redirect(request, _plan_url(draft.date, course), "\n".join(lines))


@router.post("/plan/move", dependencies=[Depends(check_csrf)])
def move(
    request: Request,
    date: Annotated[str, Form()],
    member: Annotated[str, Form()],
    table: Annotated[str, Form()],
    course: Annotated[int, Form()] = 1,
):
    """Pin ``member`` to ``table`` (in course ``course``) and re-seat the rest of that course
    with fewest moves."""

    def prepare(store: ClubStore, draft: Any) -> workflow.AdjustJob:
        pins = workflow.pinned(workflow.course_of(draft, course), member, table)
        return workflow.prepare_repin(store, draft, pins, fewest_moves=True, course=course)

    said = words(request).gettext("pinned %(member)s to %(table)s")

    def done(people: Directory) -> str:
        return said % {"member": people.name(member), "table": table}

    return _adjust(request, date, prepare, done, course)


@router.post("/plan/reseat", dependencies=[Depends(check_csrf)])
def reseat(
    request: Request,
    date: Annotated[str, Form()],
    cancel: Annotated[list[str] | None, Form()] = None,
    walk_in: Annotated[list[str] | None, Form()] = None,
    course: Annotated[int, Form()] = 1,
):
    """Late changes: cancellations and walk-ins, re-seated with fewest moves (in course
    ``course``; who cancels leaves every course)."""
    cancel = [c for c in cancel or () if c]
    walk_in = [w for w in walk_in or () if w]

    def prepare(store: ClubStore, draft: Any) -> workflow.AdjustJob:
        people = workflow.directory(store)
        changes = workflow.LateChanges(
            cancel=[workflow.member_named(people, c, "cancel") for c in cancel],
            walk_in=[workflow.member_named(people, w, "walk_in") for w in walk_in],
        )
        return workflow.prepare_reseat(store, draft, changes, course=course)

    t = words(request)

    def done(people: Directory) -> str:
        # What was typed may be an id or a name: said with the name the club knows.
        def name(typed: str) -> str:
            try:
                return people.name(people.resolve(typed))
            except ValueError:
                return typed

        what = [
            *(t.gettext("cancelled %(member)s") % {"member": name(c)} for c in cancel),
            *(t.gettext("walk-in %(member)s") % {"member": name(w)} for w in walk_in),
        ]
        return ", ".join(what) or t.gettext("re-seated")

    return _adjust(request, date, prepare, done, course)


@router.post("/plan/unpin", dependencies=[Depends(check_csrf)])
def unpin(
    request: Request,
    date: Annotated[str, Form()],
    member: Annotated[str, Form()],
    course: Annotated[int, Form()] = 1,
):
    try:
        with open_store(request) as store:
            draft = store.draft(date_of(date))
            workflow.unpin(store, draft, member, course)
            name = workflow.directory(store).name(member)
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, f"/plan?date={date}", message, "error")
    done = words(request).gettext("released the pin of %(member)s") % {"member": name}
    return redirect(request, _plan_url(draft.date, course), done)


@router.post("/plan/discard", dependencies=[Depends(check_csrf)])
def discard(request: Request, date: Annotated[str, Form()]):
    """Delete the draft: the dinner is cancelled, or will be planned afresh."""
    try:
        with open_store(request) as store:
            draft = store.discard_draft(date_of(date))
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, f"/plan?date={date}", message, "error")
    said = words(request).gettext(
        "discarded the draft of %(date)s (%(people)d people at %(tables)d tables)"
    )
    people, tables = len(draft.attendees), len(draft.tables)
    return redirect(
        request, "/dinner", said % {"date": draft.date, "people": people, "tables": tables}
    )


@router.get("/plan/explain")
def explain_member(request: Request, date: str, member: str, course: int = 1):
    """Why ``member`` sits where they sit (in course ``course``): each table mate, met before
    or not, the rules."""
    try:
        with open_store(request) as store:
            view = workflow.view_draft(store, date_of(date))
            workflow.course_of(view.draft, course)
            told = explain(view.problem, view.result, course=course).member(member)
            people = workflow.directory(store)
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return render(request, "no_plan.html.j2", drafts=[], error=message, status_code=422)
    return render(request, "explain.html.j2", told=told, people=people, date=view.draft.date)


PRINT_OUTS = {"plan": render_plan, "cards": render_cards, "tents": render_tents}
"""The print-outs of ``seating club print``: the plan with "where do I sit", place cards,
fold-over tent cards."""


@router.get("/print/{what}")
def print_out(
    request: Request,
    what: str,
    date: str | None = None,
    lang: str | None = None,
    pdf: bool = False,
):
    """A print-out of ``seating club print`` in the club's language (or ``lang``), as HTML to
    print from the browser, or with ``pdf=1`` as PDF (headless Chromium, as ``--pdf``)."""
    if what not in PRINT_OUTS:
        return render(
            request, "no_plan.html.j2", drafts=[], error=f"no print-out {what!r}", status_code=404
        )
    try:
        with open_store(request) as store:
            view = workflow.printable(store, date_of(date), language=lang or None)
        html = PRINT_OUTS[what](view)
        if pdf:
            name = f"{what}-{view.date}.pdf"
            headers = {"Content-Disposition": f'inline; filename="{name}"'}
            return Response(to_pdf(html), media_type="application/pdf", headers=headers)
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return render(request, "no_plan.html.j2", drafts=[], error=message, status_code=422)
    return HTMLResponse(html)
