"""Input models: the JSON interchange contract of DESIGN.md as pydantic models.

Each model validates its own fields (types, ranges, finite numbers). Cross-references between
entities (unknown member ids, a host who does not attend, capacity below attendance) are checked
once, when the problem is compiled (:func:`seating.compile.problem.compile_problem`).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from seating.errors import InputError


def control_character(text: str) -> str | None:
    """The first control character of ``text`` (escape, bell, newline ...), shown escaped,
    or ``None``. A name holding one could move the cursor, recolour or retitle the terminal
    that shows a plan."""
    for char in text:
        if unicodedata.category(char) == "Cc":
            return repr(char)[1:-1]
    return None


def _printable(value: str) -> str:
    if (char := control_character(value)) is not None:
        raise ValueError(f"holds a control character ({char})")
    return value


Printable = Annotated[str, AfterValidator(_printable)]
"""Text shown on a terminal or a print-out: no control characters."""

MemberId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_printable)
]


class _Model(BaseModel):
    # Unknown fields are rejected so that a typo ("repeat_wieght") is an error, not a default.
    # NaN and infinity are never valid numbers in this contract.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


class Member(_Model):
    """A club member.

    Parameters
    ----------
    id
        Unique, stable identifier (any non-empty string).
    name
        Display name; defaults to the id where absent.
    company, industry
        Used by the ``max_per_company`` / ``max_per_industry`` rules.
    languages
        Languages the member speaks (any text, matched case-insensitively), for
        ``rules.language``. None listed: the member counts as speaking every language.
    joined
        When the member joined the club; a member who joined within the last
        ``rules.newcomer_dinners`` dinners is a newcomer.
    guest_of
        For a guest: the id of the member who invited them. The guest sits with that member
        when both attend, unless a rule keeps them apart.
    """

    id: MemberId
    name: Printable | None = None
    company: Printable | None = None
    industry: Printable | None = None
    languages: list[str] = Field(default_factory=list)
    joined: dt.date | None = None
    guest_of: MemberId | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.id


class Table(_Model):
    """A table at a dinner, with its capacity and optional fixed host."""

    id: MemberId
    capacity: int = Field(ge=1)
    host: MemberId | None = None


class Dinner(_Model):
    """A dinner to plan: its date, who attends (``None`` = every member), its tables and its
    courses.

    ``courses`` > 1: members change tables between courses (hosts stay at theirs); each course
    is a round, and pairs who met in an earlier course of the evening count as met.
    """

    date: dt.date
    attendees: list[MemberId] | None = None
    tables: list[Table] = Field(min_length=1)
    courses: int = Field(default=1, ge=1, le=50)


class PastDinner(_Model):
    """A dinner that took place: each table is the list of member ids who sat at it."""

    date: dt.date
    tables: list[list[MemberId]]


Strength = Annotated[float, Field(gt=0.0, le=1e6)]
Introduction = tuple[MemberId, MemberId] | tuple[MemberId, MemberId, Strength]
"""A pair to introduce, with an optional strength (default 1)."""


class Policy(_Model):
    """What the objective rewards or penalises.

    Parameters
    ----------
    repeat_weight
        In [-1, 1]. Below 0 avoids pairs that met before ("meet new people"), above 0 favours
        them ("deepen ties"), 0 is neutral.
    half_life
        In dinners: a meeting ``half_life`` dinners before the most recent past dinner counts
        half (the most recent counts fully). ``None`` = never fades.
    target_meetings
        k: favour a pair until it has met k times, then avoid it. The strength is
        ``abs(repeat_weight)``.
    fairness
        Weight (>= 0) of a quadratic penalty on each member's number of table mates met before,
        which spreads unavoidable repeats over members instead of piling them on a few.
    introduce
        Pairs the organiser wants to sit together this time: ``[a, b]`` (strength 1) or
        ``[a, b, strength]``; seating the pair together lowers the objective by the strength
        (a soft wish; hard ones are ``rules.together``).
    recent_penalty, recent_dinners
        Table mates of the last ``recent_dinners`` dinners cost ``recent_penalty`` extra when
        seated together again: the soft twin of the hard ``rules.cooldown``.
    """

    repeat_weight: float = Field(default=-1.0, ge=-1.0, le=1.0)
    half_life: float | None = Field(default=None, gt=0)
    target_meetings: int | None = Field(default=None, ge=1)
    # Bounded so that penalties and CP-SAT's integer coefficients stay finite.
    fairness: float = Field(default=0.0, ge=0.0, le=1e6)
    introduce: list[Introduction] = Field(default_factory=list)
    recent_penalty: float = Field(default=0.0, ge=0.0, le=1e6)
    recent_dinners: int = Field(default=1, ge=1)


def _language(value: Any) -> Any:
    """``rules.language``: ``"table"``, a positive integer, or ``None``."""
    if value is None or value == "table":
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise ValueError('must be "table" or a positive integer')


class Rules(_Model):
    """Hard rules: every plan holds them, or the problem is reported infeasible.

    Parameters
    ----------
    max_per_company, max_per_industry
        At most this many people of one company (industry) at a table; ``None`` = no limit.
    cooldown
        N: two members who sat together at any of the last N dinners may not sit together now.
    together
        Groups of member ids who sit at the same table.
    apart
        Pairs of member ids who never sit at the same table.
    language
        ``"table"``: at every table there is a language that everyone at it speaks. An integer
        k: every attendee has at least k table mates who share a language with them.
        ``None``: no language rule.
    newcomer_dinners
        N: a member with fewer than N dinners in the history, or who joined within the last N
        dinners, is a newcomer; every table with a newcomer also seats a host or a member who
        is not a newcomer. ``None``: no newcomer rule.
    max_newcomers_per_table
        At most this many newcomers at a table (needs ``newcomer_dinners``).
    """

    max_per_company: int | None = Field(default=1, ge=1)
    max_per_industry: int | None = Field(default=None, ge=1)
    cooldown: int | None = Field(default=None, ge=1)
    together: list[Annotated[list[MemberId], Field(min_length=2)]] = Field(default_factory=list)
    apart: list[tuple[MemberId, MemberId]] = Field(default_factory=list)
    language: Annotated[Literal["table"] | int | None, BeforeValidator(_language)] = None
    newcomer_dinners: int | None = Field(default=None, ge=1)
    max_newcomers_per_table: int | None = Field(default=None, ge=1)


class ProblemInput(_Model):
    """A complete planning problem: members, history, dinners to plan, policy and rules."""

    members: list[Member] = Field(min_length=1)
    history: list[PastDinner] = Field(default_factory=list)
    dinners: list[Dinner] = Field(min_length=1)
    policy: Policy = Field(default_factory=Policy)
    rules: Rules = Field(default_factory=Rules)

    @classmethod
    def from_json(cls, text: str | bytes) -> ProblemInput:
        """Parse and validate a problem from JSON text; raises :class:`InputError`."""
        return cls.from_dict(load_json(text))

    @classmethod
    def from_dict(cls, data: Any) -> ProblemInput:
        """Validate a problem from plain Python data; raises :class:`InputError`."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InputError(describe_validation_error(exc)) from None


def load_json(text: str | bytes) -> Any:
    """JSON text as plain data; anything that is not JSON raises :class:`InputError` with one
    line saying where (the file reader and the HTTP API answer alike)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise InputError(f"malformed JSON: {exc.msg} at {where}") from None
    except RecursionError:
        raise InputError("malformed JSON: nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"malformed JSON: not UTF-8 text ({exc.reason})") from None
    except ValueError as exc:
        # Python refuses integers of more than 4,300 digits (int_max_str_digits): the
        # message says how many digits the number had.
        digits = str(exc).rsplit("value has ", 1)[-1].split(";")[0]
        raise InputError(f"malformed JSON: a number too long ({digits})") from None


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming the first offending field, e.g. ``dinners[0].tables[1].capacity: ...``."""
    first = exc.errors()[0]
    where = ""
    for part in first["loc"]:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    message = first["msg"].removeprefix("Value error, ")
    if "input" in first and first["type"] not in ("missing",):
        shown = repr(first["input"])
        if len(shown) <= 40:
            message += f" (got {shown})"
    more = exc.error_count() - 1
    suffix = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
    return f"{where or 'problem'}: {message}{suffix}"
