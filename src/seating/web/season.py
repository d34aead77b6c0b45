"""A season: several dinners planned together (each later one counting the earlier ones as
meetings), from dates where every active member comes and/or an uploaded registrations file;
the search runs as a job, like planning one dinner; then each draft is adjusted on its plan
page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from seating.club import files, workflow
from seating.club.store import ClubStore
from seating.web.common import (
    BAD_REQUEST,
    WebState,
    check_csrf,
    date_of,
    language_of,
    one_line,
    open_store,
    redirect,
    render,
    state,
)
from seating.web.dinner import MAX_PLAN_SECONDS, TABLES_HEADER, finished, tables_from
from seating.web.jobs import Job, JobBusyError

router = APIRouter(include_in_schema=False)  # pages: not part of the API


@router.get("/season")
def season_page(request: Request):
    with open_store(request, create=True) as store:
        drafts = [d.date for d in store.drafts()]
    return render(
        request, "season.html.j2", drafts=drafts, plan_seconds=30.0, tables_header=TABLES_HEADER
    )


def _dates(text: str) -> list[dt.date]:
    days = []
    for number, line in enumerate(text.splitlines(), start=1):
        for piece in (p for p in line.replace(",", " ").split() if p):
            try:
                day = date_of(piece)
            except workflow.FieldError as exc:
                raise workflow.FieldError("dates", f"line {number}: {exc.problem}") from None
            if day is not None:
                days.append(day)
    return days


def _prepare(request: Request, form: Any, upload: tuple[str, bytes] | None):
    try:
        seconds = float(str(form.get("time_limit", "")) or 30.0)
    except ValueError:
        raise workflow.FieldError("time_limit", "expected seconds") from None
    if not 0.1 <= seconds <= MAX_PLAN_SECONDS:
        raise workflow.FieldError(
            "time_limit", f"from 0.1 to {MAX_PLAN_SECONDS:g} seconds (got {seconds:g})"
        )
    with open_store(request) as store:
        dinners: dict[dt.date, list[str] | None] = {}
        if upload is not None:
            people = workflow.directory(store)
            registered = files.read_registrations_csv(
                upload[0], resolve=people.resolve, data=upload[1]
            )
            dinners.update(registered)
        for day in _dates(str(form.get("dates", ""))):
            if day in dinners:
                raise workflow.FieldError(
                    "dates", f"{day} is also in the registrations, which say who comes"
                )
            dinners[day] = None
        tables = tables_from(form, store)
        job = workflow.prepare_season(
            store, dinners, tables=tables, replace=bool(form.get("replace"))
        )
    return job, seconds


def _season_work(web: WebState, job_season: workflow.SeasonJob, seconds: float, language: str):
    def work(job: Job) -> dict[str, Any]:
        result = job_season.search(time_limit=seconds, seed=0, stop=job.cancel)
        with ClubStore(web.db, busy_timeout=10.0) as store:
            planned = job_season.save(store, result)
        dates = ", ".join(d.date.isoformat() for d in planned.drafts)
        notes = [f"drafts saved: {dates}", *planned.notes] if planned.drafts else planned.notes
        first = job_season.dinners[0].date.isoformat()
        return finished(web, job, result, bool(planned.drafts), notes, first, language)

    return work


@router.post("/season/plan", dependencies=[Depends(check_csrf)])
async def plan_season(request: Request):
    form = await request.form()
    web = state(request)
    upload = form.get("file")
    data = None
    if upload is not None and not isinstance(upload, str) and upload.filename:
        data = (upload.filename.replace("\\", "/").rsplit("/", 1)[-1], await upload.read())
    try:
        job_season, seconds = await run_in_threadpool(_prepare, request, form, data)
        days = [spec.date for spec in job_season.dinners]
        key = "season " + " ".join(d.isoformat() for d in days)
        busy = next((j for d in days if (j := web.jobs.touching(d)) is not None), None)
        if busy is not None:
            raise JobBusyError(f"{busy.key} is running: wait for it or cancel it")
        job = web.jobs.start(
            key, seconds, _season_work(web, job_season, seconds, language_of(request)), one_line
        )
    except JobBusyError as exc:
        return redirect(request, "/season", str(exc), "error")
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, "/season", message, "error")
    return redirect(request, f"/jobs/{job.id}")
