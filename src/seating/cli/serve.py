"""``seating serve``: the organiser's web app and the HTTP JSON API (:mod:`seating.web`)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated

import typer

from seating.cli.console import fail

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def is_local(host: str) -> bool:
    """Whether ``host`` only accepts connections from this computer."""
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    db: Annotated[
        Path, typer.Option("--db", envvar="SEATING_DB", help="The club database file.")
    ] = Path("seating.db"),
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port to listen on.")] = 8000,
    host: Annotated[
        str, typer.Option(help="The address to listen on; another than 127.0.0.1 needs a token.")
    ] = "127.0.0.1",
    token: Annotated[
        str | None,
        typer.Option(
            envvar="SEATING_TOKEN",
            help="Access token for a --host other than 127.0.0.1 (default: a random one, printed).",
        ),
    ] = None,
) -> None:
    """Open the club in the browser: members, the next dinner, the plan, record, history;
    and the HTTP JSON API for club software (see docs/web.md)."""
    import uvicorn

    from seating.web import create_app
    from seating.web.security import new_token

    if token is not None and len(token) < 12:
        raise fail("--token: use at least 12 characters")
    if not is_local(host) and token is None:
        token = new_token()
        typer.echo(f"access token (sign in with it at /login): {token}", err=True)
    if not db.parent.exists():
        raise fail(f"--db: the folder {db.parent} does not exist")
    app = create_app(db, token=token)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"seating serves {os.fspath(db)} at http://{shown}:{port}/ (Ctrl+C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
