"""The web app: FastAPI routes, Jinja2 pages, the static assets of the package, the access
token, the error answers; :func:`create_app` builds it for one club database."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from seating.errors import InputError
from seating.models import describe_validation_error
from seating.web import api, dinner, draft, history, members, season
from seating.web.common import (
    MAX_UPLOAD,
    WebState,
    environments,
    language_of,
    one_line,
    render,
    state,
)
from seating.web.security import TOKEN_COOKIE, Guard

STATIC = Path(__file__).parent / "static"


class _Errors:
    """FastAPI's validation errors seen as a pydantic ``ValidationError``, so that
    :func:`~seating.models.describe_validation_error` words them as the command line does;
    the ``body`` FastAPI puts first in each location is not the organiser's field."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self._errors = [{**e, "loc": tuple(e.get("loc", ()))[1:] or ("body",)} for e in errors]

    def errors(self) -> list[dict[str, Any]]:
        return self._errors

    def error_count(self) -> int:
        return len(self._errors)


def create_app(
    db: str | Path,
    *,
    token: str | None = None,
    max_body: int = MAX_UPLOAD,
    plan_seconds: float = 10.0,
) -> Any:
    """The web app of the club database ``db`` (created on first use).

    Parameters
    ----------
    db
        The club database file.
    token
        The access token every request needs (a browser signs in once at ``/login``); None
        when the app listens on localhost only.
    max_body
        The largest request body (uploads included), in bytes.
    plan_seconds
        The time limit the dinner page proposes for a search.

    Returns
    -------
    The ASGI application (the FastAPI app behind the :class:`~seating.web.security.Guard`).
    """
    app = FastAPI(
        title="seating",
        summary="Seat the members of a business club at dinner tables.",
        description=(api.__doc__ or "").split("\n\n")[0],
        version="1",
        # Swagger UI and ReDoc load their scripts from a CDN: the app must work offline.
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = WebState(Path(db), token=token, plan_seconds=plan_seconds)
    app.state.templates = environments()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (members, dinner, season, draft, history, api):
        app.include_router(module.router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = api.add_schemas(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/", include_in_schema=False)
    def home(request: Request):
        with_members = False
        if state(request).db.exists():
            from seating.web.common import open_store

            with open_store(request) as store:
                with_members = bool(store.members())
        return RedirectResponse("/dinner" if with_members else "/members", status_code=303)

    @app.get("/login", include_in_schema=False)
    def login_page(request: Request):
        return render(request, "login.html.j2", failed=False)

    @app.post("/login", include_in_schema=False)
    def login(request: Request, token: Annotated[str, Form()]):
        expected = state(request).token
        if expected is not None and not hmac.compare_digest(token, expected):
            return render(request, "login.html.j2", failed=True, status_code=401)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        line = describe_validation_error(_Errors(list(exc.errors())))  # type: ignore[arg-type]
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": line}, status_code=422)
        return HTMLResponse(_error_page(request, line, 422), status_code=422)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError):
        return JSONResponse({"detail": one_line(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith(("/api/", "/jobs/")) or "json" in request.headers.get(
            "accept", ""
        ):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return HTMLResponse(
            _error_page(request, str(exc.detail), exc.status_code), status_code=exc.status_code
        )

    return Guard(app, token=token, max_body=max_body)


def _error_page(request: Request, message: str, status: int) -> str:
    language = language_of(request)
    env = request.app.state.templates[language]
    return env.get_template("error.html.j2").render(
        message=message, status=status, language=language
    )
