"""The workflow's one error of its own: bad input in one named field of a request."""

from __future__ import annotations

from seating.errors import InputError


class FieldError(InputError):
    """One field of a request is wrong: ``field`` names it as the workflow's parameter is
    called (``"date"``, ``"cancel"``, ``"walk_in"``, ...), ``problem`` says what is wrong.

    The message is ``"field: problem"``. A face words the field its own way: the command line
    as its option (``--walk-in``), a web form next to the input of that name.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
