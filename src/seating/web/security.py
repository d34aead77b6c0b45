"""What keeps the web app the organiser's own: an access token when it listens beyond this
computer, CSRF tokens on every form that changes something, and a cap on request bodies.

- **Token.** Bound to 127.0.0.1 (the default) only this computer can connect. With another
  ``--host`` every request must carry the token: ``Authorization: Bearer TOKEN`` (club
  software), or the cookie set by the sign-in page (a browser).
- **CSRF.** A browser session gets a random session cookie (``SameSite=Strict``, HttpOnly);
  every state-changing form carries ``HMAC(secret, session)`` in a hidden field (the pages'
  JavaScript sends it as the ``X-CSRF-Token`` header) and is refused without it. The JSON API
  takes no cookies into account for this and needs no CSRF token: it only accepts
  ``application/json`` bodies, which a page of another site cannot send without a CORS
  preflight that this app never grants.
- **Headers.** Every answer forbids framing (drag and drop in a hidden frame would be
  clickjacking) and runs only the app's own scripts (``Content-Security-Policy``).
- **Body size.** Every request body is counted as it arrives and refused beyond the limit
  (HTTP 413), whether or not a ``Content-Length`` header announced it; below the default limit
  the upload parser keeps every part in memory, so an upload never touches the disk.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SESSION_COOKIE = "seating_session"
TOKEN_COOKIE = "seating_token"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPEN_PATHS = ("/static/", "/login")
HEADERS = [
    # Scripts and everything else only from this app; inline styles stay allowed for the
    # print-outs, whose templates carry their CSS (text is escaped, so no one injects any).
    (
        b"content-security-policy",
        b"default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
"""Sent with every answer."""
"""Paths served without the access token (the sign-in page and its stylesheet)."""


def new_token() -> str:
    """A random access token, printed by ``seating serve`` when none is given."""
    return secrets.token_urlsafe(18)


class Csrf:
    """CSRF tokens bound to a browser session by an HMAC with a secret of this app."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    def token(self, session: str) -> str:
        return hmac.new(self._secret, session.encode(), hashlib.sha256).hexdigest()

    def valid(self, session: str | None, token: str | None) -> bool:
        if not session or not token:
            return False
        return hmac.compare_digest(self.token(session), token)


def _cookies(scope: Scope) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, val = part.strip().partition("=")
                cookies[key] = val
    return cookies


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return value.decode("latin-1")
    return None


async def _refuse(send: Send, status: int, message: str, *, html: bool = False) -> None:
    if html:
        body = (
            f"<!doctype html><meta charset='utf-8'><title>{status}</title>"
            f"<p>{message}</p><p><a href='/login'>sign in</a></p>"
        ).encode()
        kind = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"detail": message}).encode()
        kind = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: the access token, then the body size limit.

    Parameters
    ----------
    app
        The application.
    token
        The access token every request needs, or None (bound to localhost).
    max_body
        The most bytes a request body may have.
    """

    def __init__(self, app: ASGIApp, *, token: str | None, max_body: int) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body

    def authorised(self, scope: Scope) -> bool:
        if self.token is None or scope["path"].startswith(OPEN_PATHS):
            return True
        bearer = _header(scope, b"authorization") or ""
        offered = bearer[7:] if bearer.lower().startswith("bearer ") else None
        offered = offered or _cookies(scope).get(TOKEN_COOKIE)
        return offered is not None and hmac.compare_digest(offered, self.token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        plain_send = send

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await plain_send(message)

        if not self.authorised(scope):
            wants_html = "text/html" in (_header(scope, b"accept") or "")
            await _refuse(send, 401, "sign in with the access token first", html=wants_html)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await _refuse(send, 413, f"request too large (at most {self.max_body} bytes)")
            return
        # The body is read here, up to the limit, and handed on from memory: a body that
        # runs past the limit is refused before any parser sees a byte of it.
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_body:
                await _refuse(send, 413, f"request too large (at most {self.max_body} bytes)")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()  # only ever http.disconnect now
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
