"""The members page: the list with a search, and importing members (CSV or .xlsx upload, with
a preview and per-row errors) and history."""

from __future__ import annotations

from functools import partial
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from seating.club import files, workflow
from seating.club.records import ClubMember
from seating.club.report.html import sort_key as fold
from seating.club.workflow import FieldError
from seating.web.common import (
    BAD_REQUEST,
    check_csrf,
    one_line,
    open_store,
    redirect,
    render,
    state,
    words,
)

router = APIRouter(include_in_schema=False)  # pages: not part of the API


async def _upload(file: UploadFile) -> tuple[str, bytes]:
    """The file's name (its base name only: it names the file in messages, never a path on
    this computer) and its bytes (the body size limit already capped them)."""
    name = (file.filename or "upload.csv").replace("\\", "/").rsplit("/", 1)[-1] or "upload.csv"
    return name, await file.read()


@router.get("/members")
def members_page(request: Request, q: str = ""):
    with open_store(request, create=True) as store:
        members = store.members()
    wanted = fold(q)
    shown = [m for m in members if not wanted or wanted in fold(_text(m))]
    names = {m.id: m.display_name for m in members}
    return render(request, "members.html.j2", members=shown, total=len(members), q=q, names=names)


def _text(member: ClubMember) -> str:
    return " ".join(filter(None, (member.id, member.name, member.company, member.industry)))


@router.post("/members/change", dependencies=[Depends(check_csrf)])
def change(
    request: Request,
    member: Annotated[str, Form()],
    host: Annotated[str, Form()] = "",
    active: Annotated[str, Form()] = "",
    q: Annotated[str, Form()] = "",
):
    """Mark a member as host or not, as left or back (``yes``/``no``; empty: unchanged)."""
    flags = {"yes": True, "no": False, "": None}
    try:
        if host not in flags or active not in flags:
            raise FieldError("host" if host not in flags else "active", "expected yes or no")
        with open_store(request) as store:
            changed = workflow.change_member(store, member, host=flags[host], active=flags[active])
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, "/members", message, "error")
    t = words(request)
    what = (
        (t.gettext("a host") if changed.host else t.gettext("not a host"))
        if host
        else (t.gettext("active") if changed.active else t.gettext("left the club"))
    )
    back = "/members" + (f"?q={quote(q)}" if q else "")
    return redirect(request, back, f"{changed.display_name} ({changed.id}): {what}")


@router.get("/members/edit")
def edit_page(request: Request, member: str):
    """A form to change a member's company, languages and the date they joined."""
    with open_store(request) as store:
        known = {m.id: m for m in store.members()}
    if member not in known:
        said = words(request).gettext("no member %(id)s") % {"id": member}
        return redirect(request, "/members", said, "error")
    return render(request, "member_edit.html.j2", member=known[member])


@router.post("/members/edit", dependencies=[Depends(check_csrf)])
def edit(
    request: Request,
    member: Annotated[str, Form()],
    company: Annotated[str, Form()] = "",
    languages: Annotated[str, Form()] = "",
    joined: Annotated[str, Form()] = "",
):
    """Store the member's company, languages and joined date, checked as an import checks
    them (one change in the undo log)."""
    try:
        with open_store(request) as store:
            before = {m.id: m for m in store.members()}.get(member)
            changed = workflow.change_member(
                store, member, company=company, languages=languages, joined=joined
            )
    except BAD_REQUEST as exc:
        message = one_line(exc)
        unknown = isinstance(exc, FieldError) and exc.field == "member"
        back = "/members" if unknown else f"/members/edit?member={quote(member)}"
        return redirect(request, back, message, "error")
    t = words(request)
    fields = [
        label
        for field, label in (
            ("company", t.gettext("company")),
            ("languages", t.gettext("languages")),
            ("joined", t.gettext("member since")),
        )
        if getattr(before, field) != getattr(changed, field)
    ]
    blanks = {"member": f"{changed.display_name} ({changed.id})", "fields": ", ".join(fields)}
    if fields:
        said = t.gettext("%(member)s: changed %(fields)s") % blanks
    else:
        said = t.gettext("%(member)s: nothing changed") % blanks
    return redirect(request, f"/members?q={quote(changed.id)}", said)


@router.post("/members/preview", dependencies=[Depends(check_csrf)])
async def preview(request: Request, file: Annotated[UploadFile, File()]):
    """Read the upload row by row and show what importing it would do; nothing is stored."""
    name, data = await _upload(file)
    with open_store(request, create=True) as store:
        known = {m.id: m for m in store.members()}
    try:
        rows, ignored = await run_in_threadpool(
            partial(files.preview_members, name, data=data, known=list(known.values()))
        )
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, "/members", message, "error")
    shown = []
    for number, member, error in rows:
        if member is None:
            what = "error"
        elif member.id not in known:
            what = "new"
        elif known[member.id] == member:
            what = "unchanged"
        else:
            what = "updated"
        shown.append((number, member, error, what))
    errors = sum(1 for row in shown if row[2])
    key = None if errors else state(request).stash_upload(name, data)
    return render(
        request,
        "members_preview.html.j2",
        name=name,
        rows=shown,
        errors=errors,
        ignored=ignored,
        key=key,
        status_code=422 if errors else 200,
    )


@router.post("/members/import", dependencies=[Depends(check_csrf)])
def import_members(
    request: Request, key: Annotated[str, Form()], missing_left: Annotated[bool, Form()] = False
):
    """Import the upload previewed under ``key``."""
    web = state(request)
    with web.lock:
        stashed = web.uploads.pop(key, None)
    if stashed is None:
        said = words(request).gettext("the preview expired: upload the file again")
        return redirect(request, "/members", said, "error")
    name, data = stashed
    try:
        with open_store(request, create=True) as store:
            members, _ = files.read_members_csv(name, data=data, known=store.members())
            summary = store.import_members(members, missing_left=missing_left)
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, "/members", message, "error")
    t = words(request)
    text = t.gettext(
        "%(file)s: %(members)d members; %(added)d added, %(updated)d updated, "
        "%(unchanged)d unchanged"
    ) % {
        "file": name,
        "members": len(members),
        "added": len(summary.added),
        "updated": len(summary.updated),
        "unchanged": summary.unchanged,
    }
    if missing_left:
        text += t.gettext(", %(num)d marked as left") % {"num": len(summary.left)}
    return redirect(request, "/members", text)


@router.post("/history/import", dependencies=[Depends(check_csrf)])
async def import_history(
    request: Request,
    file: Annotated[UploadFile, File()],
    replace: Annotated[bool, Form()] = False,
):
    """Add past dinners from an uploaded CSV or workbook (one row per seat). With ``replace``,
    what would be overwritten (recorded dinners, drafts) is shown first and replaced only when
    confirmed, as the command line asks."""
    name, data = await _upload(file)
    return await run_in_threadpool(_import_history, request, name, data, replace, False)


@router.post("/history/import/confirm", dependencies=[Depends(check_csrf)])
def confirm_history(request: Request, key: Annotated[str, Form()]):
    """Replace what the previewed history file overwrites (undo takes it back)."""
    web = state(request)
    with web.lock:
        stashed = web.uploads.pop(key, None)
    if stashed is None:
        said = words(request).gettext("the question expired: upload the file again")
        return redirect(request, "/history", said, "error")
    return _import_history(request, stashed[0], stashed[1], True, True)


def _import_history(request: Request, name: str, data: bytes, replace: bool, confirmed: bool):
    try:
        with open_store(request, create=True) as store:
            dinners, _ = files.read_history_csv(name, store.member_ids(), data=data)
            overwrites = workflow.history_overwrites(store, dinners) if replace else []
            if overwrites and not confirmed:
                key = state(request).stash_upload(name, data)
                return render(
                    request, "history_confirm.html.j2", name=name, overwrites=overwrites, key=key
                )
            summary = store.import_history(dinners, replace=replace)
    except BAD_REQUEST as exc:
        message = one_line(exc)
        return redirect(request, "/history", message, "error")
    seats = sum(len(s) for d in dinners for s in d.seatings())  # every course
    text = words(request).gettext(
        "%(file)s: %(dinners)d dinners, %(seats)d seats; %(added)d added, %(replaced)d "
        "replaced, %(unchanged)d already recorded"
    ) % {
        "file": name,
        "dinners": len(dinners),
        "seats": seats,
        "added": len(summary.added),
        "replaced": len(summary.replaced),
        "unchanged": len(summary.unchanged),
    }
    return redirect(request, "/history", text)
