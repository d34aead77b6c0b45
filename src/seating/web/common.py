"""What every page and route of the web app shares: the app's state (database path, jobs,
CSRF), the templates (autoescaped, ready for message catalogues), opening the club database
per request, one-line errors and the messages shown after a redirect."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import ValidationError

from seating.club import workflow
from seating.club.report.i18n import LOCALES, translations
from seating.club.store import ClubStore, StoreBusyError
from seating.club.values import TypedValueError, parse_date
from seating.errors import InputError
from seating.models import describe_validation_error
from seating.web.jobs import Jobs
from seating.web.security import CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, Csrf

MAX_UPLOAD = 1_000_000
"""The largest request body, in bytes (a members workbook of a few hundred members is ~50 kB).
Below 1 MiB the upload parser keeps a file in memory, so uploads never touch the disk."""


@dataclass
class WebState:
    """The app's state: which club database, the running searches, the CSRF secret."""

    db: Path
    token: str | None = None
    jobs: Jobs = field(default_factory=Jobs)
    csrf: Csrf = field(default_factory=Csrf)
    plan_seconds: float = 10.0
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    messages: dict[str, tuple[str, str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def stash_upload(self, name: str, data: bytes) -> str:
        """Keep an upload in memory between its preview and the import; returns its key."""
        key = secrets.token_urlsafe(12)
        with self.lock:
            while len(self.uploads) >= 8:  # previews nobody confirmed
                self.uploads.pop(next(iter(self.uploads)))
            self.uploads[key] = (name, data)
        return key

    def say(self, text: str, kind: str = "ok") -> str:
        """Keep a message for the page a redirect lands on; returns its key."""
        key = secrets.token_urlsafe(8)
        with self.lock:
            while len(self.messages) >= 64:
                self.messages.pop(next(iter(self.messages)))
            self.messages[key] = (kind, text)
        return key


def state(request: Request) -> WebState:
    return request.app.state.web


LANG_COOKIE = "seating_lang"
"""The cookie that keeps a browser's choice of language (``?lang=fr`` on any page)."""


def environment(language: str = "en") -> Environment:
    """The pages' Jinja2 environment in ``language``: autoescape always on, strict undefined,
    and the i18n extension with the Babel catalogues of the print-outs (``_("...")`` and
    ``ngettext`` in the templates; English is the source, no catalogue)."""
    env = Environment(
        loader=PackageLoader("seating.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations(language), newstyle=True
    )
    return env


def environments() -> dict[str, Environment]:
    """One environment per language: each holds its catalogue for good, so two requests in
    two languages never swap translations under each other's feet (requests run in threads)."""
    return {language: environment(language) for language in LOCALES}


def language_of(request: Request) -> str:
    """The language of this request's pages: ``?lang=`` when given, else the browser's choice
    (its cookie), else the club's language setting (``seating club settings --language``)."""
    for chosen in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if chosen in LOCALES:
            return chosen
    if not state(request).db.exists():
        return "en"
    try:
        with open_store(request) as store:
            return store.club_language()
    except Exception:  # the page (or error page) says what is wrong; its language must not
        return "en"


def words(request: Request) -> Any:
    """The gettext functions of this request's language, for the messages the web layer writes
    itself (``words(request).gettext("...")``)."""
    return translations(language_of(request))


def session_of(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A page: the template with the CSRF token of the browser's session (a new session
    cookie when it has none), the club's name and any message a redirect left."""
    web = state(request)
    session = session_of(request) or secrets.token_urlsafe(24)
    message = None
    key = request.query_params.get("msg")
    if key:
        with web.lock:
            message = web.messages.pop(key, None)
    language = language_of(request)
    env: Environment = request.app.state.templates[language]
    html = env.get_template(template).render(
        language=language,
        csrf_field=CSRF_FIELD,
        csrf_token=web.csrf.token(session),
        message=message,
        path=request.url.path,
        back=_here(request),
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    if session_of(request) != session:
        response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
    if request.query_params.get("lang") == language != request.cookies.get(LANG_COOKIE):
        response.set_cookie(LANG_COOKIE, language, samesite="lax", max_age=365 * 24 * 3600)
    return response


def _here(request: Request) -> str:
    """This page's address without the message key (where Undo comes back to)."""
    query = urlencode(
        [(k, v) for k, v in request.query_params.multi_items() if k not in ("msg", "lang")]
    )
    return request.url.path + (f"?{query}" if query else "")


def redirect(request: Request, url: str, message: str | None = None, kind: str = "ok"):
    """See other: back to a page after a form, with a message to show there."""
    if message is not None:
        key = state(request).say(message, kind)
        url += ("&" if "?" in url else "?") + f"msg={key}"
    return RedirectResponse(url, status_code=303)


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request without the CSRF token of its session (HTTP 403)."""
    token = request.headers.get(CSRF_HEADER)
    if token is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    if not state(request).csrf.valid(session_of(request), token):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")


@contextmanager
def open_store(request: Request, *, create: bool = False) -> Iterator[ClubStore]:
    """The club database, opened for this request (one connection per request: requests run
    in worker threads, and SQLite's transactions serialise the writers)."""
    with ClubStore(state(request).db, create=create, busy_timeout=5.0) as store:
        yield store


BAD_REQUEST = (workflow.FieldError, InputError, ValidationError, StoreBusyError)
"""The organiser's mistakes (and a busy database): a page answers them with
:func:`one_line` in a message; anything else is a bug and propagates."""


def one_line(exc: BaseException) -> str | None:
    """The one-line message of a bad request (as the command line prints it), or None when
    ``exc`` is not the organiser's mistake."""
    if isinstance(exc, workflow.FieldError):
        return f"{exc.field}: {exc.problem}"
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return describe_validation_error(exc)
    if isinstance(exc, StoreBusyError):
        return f"{exc} (try again)"
    return None


def date_of(text: str | None, field_name: str = "date") -> dt.date | None:
    """A date as typed in a form (YYYY-MM-DD or DD/MM/YYYY); empty: None."""
    if text is None or not text.strip():
        return None
    try:
        return parse_date(text.strip())
    except TypedValueError as exc:
        raise workflow.FieldError(field_name, str(exc)) from None
