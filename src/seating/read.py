"""Reading the interchange contract from files: problems, plans, the sample club, the schema.

:mod:`seating.models` and :mod:`seating.result` define and validate the contract; this module
is where they meet the file system, so that every file error becomes one
:class:`~seating.errors.InputError` line naming the file.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from seating.errors import InputError
from seating.models import ProblemInput, describe_validation_error
from seating.result import Result

MAX_FILE_BYTES = 64 * 2**20
"""The largest input file read (a problem, a club file): a 20,000-member club with years of
history takes a few MiB; past this a file is a mistake (``/dev/zero``, a disk image) that would
otherwise be read into memory whole."""


def _size(count: int) -> str:
    return f"{count / 2**20:.0f} MiB" if count >= 2**20 else f"{count:,} bytes"


def read_bytes(path: str | Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``, refused with its size when it holds more than ``limit``.

    Raises
    ------
    InputError
        The file is too large (the message gives the sizes).
    OSError
        The file cannot be read (callers word that their way).
    """
    path = Path(path)
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
        if len(raw) <= limit:
            return raw
        size = os.fstat(handle.fileno()).st_size
    # A device (/dev/zero) has no size of its own.
    shown = f"{_size(size)}, " if size > limit else ""
    raise InputError(f"{path}: too large ({shown}more than {_size(limit)}); is it the right file?")


def read_problem(path: str | Path) -> ProblemInput:
    """Read and validate a problem JSON file.

    Parameters
    ----------
    path
        A file in the problem contract (see :func:`problem_json_schema`).

    Returns
    -------
    ProblemInput
        The validated problem (cross-references are checked when it is solved).

    Raises
    ------
    InputError
        The file cannot be read, is not JSON, or breaks the contract (names the field).
    """
    try:
        raw = read_bytes(path)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    return ProblemInput.from_json(raw)


def as_result(data: Any) -> Result:
    """Validate a plan given as plain data (parsed JSON); raises :class:`InputError`."""
    try:
        return Result.model_validate(data)
    except ValidationError as exc:
        text = describe_validation_error(exc).removeprefix("problem: ")
        raise InputError(f"plan: {text}") from None


def read_plan(path: str | Path) -> Result:
    """Read a plan JSON file (as written by ``seating plan --json`` or ``Result.to_json()``).

    Raises
    ------
    InputError
        The file cannot be read, is not JSON, or is not a plan (names the field).
    """
    path = Path(path)
    try:
        data = json.loads(read_bytes(path))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"plan {path}: malformed JSON ({exc})") from None
    return as_result(data)


def sample_problem() -> ProblemInput:
    """The bundled sample club: 120 members, 2 years of monthly dinners, the next dinner."""
    text = resources.files("seating.data").joinpath("sample_club.json").read_text("utf-8")
    return ProblemInput.from_json(text)


def problem_json_schema() -> dict[str, Any]:
    """The JSON Schema of the problem contract, for club software."""
    return ProblemInput.model_json_schema()
