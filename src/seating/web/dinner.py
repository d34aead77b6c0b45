"""The next dinner: its date, who comes, the tables, the policy and rules; then Plan, which
runs the search in a worker thread (:mod:`seating.web.jobs`) with a progress bar and Cancel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from seating.club import files, workflow
from seating.club.report.i18n import translations
from seating.club.store import ClubStore
from seating.models import Table
from seating.result import Result
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
from seating.web.jobs import Job, JobBusyError

router = APIRouter(include_in_schema=False)  # pages: not part of the API

MAX_PLAN_SECONDS = 600.0
"""The longest search the page lets the organiser ask for."""


def _next_date(store: ClubStore) -> dt.date:
    """The date the form proposes: the earliest draft, else four weeks after the last dinner
    (or today)."""
    drafts = store.drafts()
    if drafts:
        return drafts[0].date
    last = store.last_recorded()
    return (last + dt.timedelta(days=28)) if last else dt.date.today()


@router.get("/dinner")
def dinner_page(request: Request):
    with open_store(request, create=True) as store:
        members = store.members(active_only=True)
        date = _next_date(store)
        policy, rules = store.policy(), store.rules()
        drafts = [d.date for d in store.drafts()]
    running = [j for j in state(request).jobs.running() if j.key.startswith("plan ")]
    return render(
        request,
        "dinner.html.j2",
        members=members,
        date=date,
        policy=policy,
        rules=rules,
        drafts=drafts,
        running=running,
        plan_seconds=state(request).plan_seconds,
        tables_header=TABLES_HEADER,
    )


TABLES_HEADER = "table, capacity, host"
"""The first line of the tables box: the header of a tables file (``docs/club.md``)."""


def parse_tables(text: str, store: ClubStore) -> list[Table] | None:
    """The tables typed in the form, in the format of a tables file: a header line
    (``table, capacity, host``; Dutch or French headers too), then one table per line with
    the host by id or name. None when only the header (or nothing) was typed.

    Raises
    ------
    CsvError
        ``tables, row N, field F: ...`` (row N is line N of the box).
    """
    if len([line for line in text.splitlines() if line.strip()]) <= 1:
        return None
    people = workflow.directory(store)
    return files.read_tables_csv("tables", resolve=people.resolve, text=text)


def tables_from(form: Any, store: ClubStore) -> list[Table] | workflow.TableSizes:
    """The tables box, or else the table sizes."""
    typed = parse_tables(str(form.get("tables", "")), store)
    return (
        typed if typed is not None else workflow.TableSizes.parse(str(form.get("table_sizes", "8")))
    )


def _number(form: Any, name: str, kind: type[int] | type[float]) -> int | float | None:
    return workflow.optional_number(str(form.get(name, "")), name, kind)


def settings_from(form: Any) -> tuple[dict[str, object], dict[str, object]]:
    """The policy and rules fields of the form (the slider and the rule inputs)."""
    weight = workflow.optional_number(str(form.get("repeat_weight", "-1")), "repeat_weight", float)
    policy = {"repeat_weight": -1.0 if weight is None else weight}
    rules: dict[str, object] = {
        "max_per_company": _number(form, "max_per_company", int),
        "max_per_industry": _number(form, "max_per_industry", int),
        "cooldown": _number(form, "cooldown", int),
    }
    # The rules of issue 12: a form without them (an older page, a script) keeps them.
    for name in ("newcomer_dinners", "max_newcomers_per_table"):
        if name in form:
            rules[name] = _number(form, name, int)
    if "table_language" in form:
        rules["language"] = workflow.table_language(str(form.get("table_language")))
    for name, kind in (("recent_penalty", float), ("recent_dinners", int)):
        if name in form:
            value = _number(form, name, kind)
            if value is not None:
                policy[name] = value
    return policy, rules


def introductions_from(form: Any, store: ClubStore) -> list[Any] | None:
    """The pairs to introduce as typed, one per line (``a, b`` or ``a, b, 2``); None when
    the form has no such field."""
    if "introduce" not in form:
        return None
    people = workflow.directory(store)
    lines = str(form.get("introduce", "")).splitlines()
    return [workflow.introduction(people, line) for line in lines if line.strip()]


def guests_from(form: Any) -> list[str]:
    """The guests typed, one ``name: inviter`` per line."""
    return [line.strip() for line in str(form.get("guests", "")).splitlines() if line.strip()]


def groups_from(form: Any, store: ClubStore) -> tuple[list[list[str]], list[list[str]]]:
    """Keep-together groups and keep-apart pairs as typed: one per line, members by id or
    name separated by commas."""
    people = workflow.directory(store)
    found: dict[str, list[list[str]]] = {}
    for field_name in ("together", "apart"):
        groups = []
        for line in str(form.get(field_name, "")).splitlines():
            if line.strip():
                groups.append(workflow.members_named(people, [line], field_name))
        found[field_name] = groups
    return found["together"], found["apart"]


def finished(
    web: WebState,
    job: Job,
    result: Result,
    saved: bool,
    notes: list[str],
    date: str,
    language: str = "en",
):
    """What a finished search tells the page: where to go, and the message shown there (in
    ``language``, that of the page that started the search)."""
    t = translations(language)
    blanks = {
        "status": result.status.value,
        "seconds": f"{result.runtime_s:.1f}",
        "method": result.method,
        "date": date,
    }
    if job.cancel.cancelled:
        said = t.gettext(
            "cancelled: the best plan so far (%(status)s, %(seconds)s s, method %(method)s)"
        )
    else:
        said = t.gettext("planned (%(status)s, %(seconds)s s, method %(method)s)")
    if saved:
        said += t.gettext("; saved as the draft of %(date)s")
    lines = [said % blanks, *notes]
    return {
        "date": date,
        "status": result.status.value,
        "saved": saved,
        "reason": result.reason,
        "notes": notes,
        "cancelled": job.cancel.cancelled,
        "message": web.say("\n".join(lines)) if saved else None,
    }


def _plan_work(web: WebState, job_plan: workflow.PlanJob, seconds: float, seed: int, language: str):
    def work(job: Job) -> dict[str, Any]:
        result = job_plan.search(time_limit=seconds, seed=seed, stop=job.cancel)
        with ClubStore(web.db, busy_timeout=10.0) as store:
            planned = job_plan.save(store, result)
        saved = planned.draft is not None
        day = job_plan.date.isoformat()
        return finished(web, job, result, saved, planned.notes, day, language)

    return work


def _prepare(request: Request, form: Any) -> tuple[workflow.PlanJob, float]:
    """Check the form and build the plan job (in a worker thread: it reads the database and
    compiles the problem). The policy and rules of the form are saved first, because the job
    plans with the club's stored settings; if the request then fails they are put back."""
    web = state(request)
    date = date_of(str(form.get("date", "")))
    if date is None:
        raise workflow.FieldError("date", "pick the dinner's date")
    try:
        seconds = float(str(form.get("time_limit", "")) or web.plan_seconds)
    except ValueError:
        raise workflow.FieldError(
            "time_limit", f"expected seconds (got {form.get('time_limit')!r})"
        ) from None
    if not 0.1 <= seconds <= MAX_PLAN_SECONDS:
        raise workflow.FieldError(
            "time_limit", f"from 0.1 to {MAX_PLAN_SECONDS:g} seconds (got {seconds:g})"
        )
    busy = web.jobs.touching(date)
    if busy is not None:
        raise JobBusyError(f"{busy.key} is already running: wait for it or cancel it")
    attendees = [str(v) for v in form.getlist("attendee")]
    allow_past = bool(form.get("allow_past"))
    typed = str(form.get("courses", "") or "1").strip()
    try:
        courses = int(typed)
    except ValueError:
        raise workflow.FieldError(
            "courses", f"expected a whole number of courses (got {typed!r})"
        ) from None
    with open_store(request) as store:
        policy, rules = settings_from(form)
        together, apart = groups_from(form, store)
        introduce = introductions_from(form, store)
        workflow.check_plan_date(store, date, allow_past=allow_past)
        tables = tables_from(form, store)
        before = store.policy(), store.rules()
        workflow.change_settings(
            store, policy=policy, rules=rules, together=together, apart=apart,
            clear_together=True, clear_apart=True, introduce=introduce or (),
            clear_introduce=introduce is not None,
        )  # fmt: skip
        try:
            job_plan = workflow.prepare_plan(
                store,
                date,
                attendees=attendees,
                tables=tables,
                replace=bool(form.get("replace")),
                allow_past=allow_past,
                courses=courses,
                guests=guests_from(form),
            )
        except BaseException:
            store.save_settings(policy=before[0], rules=before[1])
            raise
    return job_plan, seconds


@router.post("/dinner/plan", dependencies=[Depends(check_csrf)])
async def plan(request: Request):
    """Check the form, save the policy and rules, start the search; to the job's page."""
    form = await request.form()
    web = state(request)
    try:
        job_plan, seconds = await run_in_threadpool(_prepare, request, form)
        job = web.jobs.start(
            f"plan {job_plan.date}",
            seconds,
            _plan_work(web, job_plan, seconds, 0, language_of(request)),
            one_line,
        )
    except JobBusyError as exc:
        return redirect(request, "/dinner", str(exc), "error")
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, "/dinner", message, "error")
    return redirect(request, f"/jobs/{job.id}")


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str):
    job = state(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such search (finished long ago?)")
    return render(request, "job.html.j2", job=job)


@router.get("/jobs/{job_id}/status")
def job_status(request: Request, job_id: str):
    job = state(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such search")
    data = job.as_dict()
    if job.state == "done":
        data["outcome"] = job.outcome
    return JSONResponse(data)


@router.post("/jobs/{job_id}/cancel", dependencies=[Depends(check_csrf)])
def cancel(request: Request, job_id: str):
    """Stop the search at its next check; it keeps (and saves) the best plan found so far."""
    job = state(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "no such search")
    job.cancel.cancel()
    if "json" in request.headers.get("accept", ""):
        return JSONResponse(job.as_dict())
    return redirect(request, f"/jobs/{job.id}")
