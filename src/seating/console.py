"""What every command shares: the one-line error exit, atomic file writes, common options."""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

err = Console(stderr=True, soft_wrap=True)


class MethodChoice(StrEnum):
    """The ``--method`` choices (see :func:`seating.solve`)."""

    auto = "auto"
    cpsat = "cpsat"
    local = "local"


Seed = Annotated[
    int, typer.Option("--seed", min=0, help="Random seed (same seed, one worker: same plan).")
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` as one line on standard error; return the exit to raise.

    The message names user-supplied ids, which print as they are, never as rich markup.
    """
    err.print(Text.assemble(("error:", "red"), " ", message), highlight=False)
    return typer.Exit(code)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old file or the new one."""
    target = Path(path).resolve()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
