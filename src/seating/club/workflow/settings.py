"""The club's settings as the organiser changes them: policy and rules given as plain data (or
numbers typed as text), checked, merged with the stored ones and saved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import ValidationError

from seating.club.names import Directory
from seating.club.store import ClubStore
from seating.club.workflow.errors import FieldError
from seating.club.workflow.people import member_named
from seating.errors import InputError
from seating.models import Introduction, Policy, Rules, describe_validation_error

LARGEST = 1_000_000
"""Settings above this are typos, not intentions (and overflow the compiled search)."""

LANGUAGES = ("nl", "fr", "en")
"""The languages of the print-outs and summaries."""

NONE_WORDS = ("none", "off", "null", "")
"""Typed for a setting, these mean "no value" (no cooldown, never fade, ...)."""


def parse_settings(
    policy: Mapping[str, object] | None = None, rules: Mapping[str, object] | None = None
) -> tuple[Policy | None, Rules | None]:
    """Validate policy and rules given as plain data.

    Raises
    ------
    FieldError
        A value a field refuses, named as the setting (``rules.language`` as
        ``table_language``, the club's own ``language`` being the print-outs').
    InputError
        A value deeper inside a field (one pair of a list) that the models refuse.
    """
    checked: list[Policy | Rules | None] = []
    for model, data in ((Policy, policy), (Rules, rules)):
        try:
            checked.append(None if data is None else model.model_validate(data))
        except ValidationError as exc:
            where = exc.errors()[0]["loc"]
            said = describe_validation_error(exc)
            if len(where) != 1:
                raise InputError(said) from None
            field = str(where[0])
            if model is Rules and field == "language":
                field = "table_language"
            raise FieldError(field, said.partition(": ")[2]) from None
    return checked[0], checked[1]  # type: ignore[return-value]


def optional_number(text: str, field: str, kind: type[int] | type[float]) -> int | float | None:
    """A number typed for setting ``field``, or None for one of :data:`NONE_WORDS`.

    Raises
    ------
    FieldError
        Not a number of ``kind``, or larger than :data:`LARGEST`.
    """
    if text.strip().lower() in NONE_WORDS:
        return None
    try:
        number = kind(text)
    except ValueError:
        raise FieldError(field, f"expected a number or 'none' (got {text!r})") from None
    if abs(number) > LARGEST:
        raise FieldError(field, f"{text} is too large (at most {LARGEST})")
    return number


def table_language(text: str) -> str | int | None:
    """``rules.language`` as typed: ``table`` (a language everyone at the table speaks), a
    number k of table mates sharing a language with each member, or ``off``.

    Raises
    ------
    FieldError
        ``table_language``: anything else (``0``, ``xyz``).
    """
    typed = text.strip().lower()
    if typed in NONE_WORDS:
        return None
    if typed == "table":
        return "table"
    try:
        number = int(typed)
    except ValueError:
        number = 0
    if not 1 <= number <= LARGEST:
        raise FieldError(
            "table_language",
            f"expected 'table', a number of table mates (1 or more) or 'off' (got {text!r})",
        )
    return number


def introduction(people: Directory, text: str) -> Introduction:
    """A pair to introduce as typed: two members by id or name and an optional strength,
    separated by commas (``M001,Ursula Lambert`` or ``M001,M002,2``).

    Raises
    ------
    FieldError
        ``introduce``: not two members, an unknown or ambiguous one, the same member twice,
        or a strength that is not a number above 0.
    """
    pieces = [p.strip() for p in text.split(",")]
    strength: float | None = None
    if len(pieces) == 3:
        try:
            strength = float(pieces[2])
        except ValueError:
            raise FieldError(
                "introduce", f"expected 'a,b' or 'a,b,strength' (got {text!r})"
            ) from None
        if not 0 < strength <= LARGEST:
            raise FieldError(
                "introduce", f"the strength must be above 0 and at most {LARGEST} (got {text!r})"
            )
        pieces = pieces[:2]
    if len(pieces) != 2 or not all(pieces):
        raise FieldError(
            "introduce", f"expected two members 'a,b' or 'a,b,strength' (got {text!r})"
        )
    a, b = (member_named(people, piece, "introduce") for piece in pieces)
    if a == b:
        raise FieldError("introduce", f"{text!r} names {a!r} twice")
    return (a, b) if strength is None else (a, b, strength)


def change_settings(
    store: ClubStore,
    *,
    name: str | None = None,
    language: str | None = None,
    policy: Mapping[str, object] | None = None,
    rules: Mapping[str, object] | None = None,
    together: Sequence[Sequence[str]] = (),
    apart: Sequence[Sequence[str]] = (),
    clear_together: bool = False,
    clear_apart: bool = False,
    introduce: Sequence[Introduction] = (),
    clear_introduce: bool = False,
) -> tuple[Policy, Rules]:
    """Change the club's name, policy and rules; returns the policy and rules now stored.

    Parameters
    ----------
    store
        The club database.
    name
        The club's name (printed); None: unchanged.
    language
        The club's language (print-outs, summaries, CSV separator): one of
        :data:`LANGUAGES`; None: unchanged.
    policy, rules
        Fields to change (e.g. ``{"repeat_weight": 0.5}``, ``{"cooldown": None}``); the
        others keep their stored values.
    together, apart
        Groups to keep together and pairs to keep apart, added to the stored ones.
    clear_together, clear_apart
        Forget the stored groups, or pairs, first.
    introduce
        Pairs to introduce (``policy.introduce``: a soft wish, with an optional strength),
        added to the stored ones; a pair stored already takes the new strength.
    clear_introduce
        Forget the stored pairs to introduce first.

    Raises
    ------
    InputError
        A value the policy or rules refuse (the message names the field), or a rule naming
        an unknown member; nothing is saved.
    """
    if language is not None and language not in LANGUAGES:
        raise FieldError("language", f"expected one of {', '.join(LANGUAGES)} (got {language!r})")
    new_policy = {**store.policy().model_dump(), **(policy or {})}
    stored_rules = store.rules().model_dump()
    new_rules = {**stored_rules, **(rules or {})}
    cap = "max_newcomers_per_table"
    if (
        new_rules["newcomer_dinners"] is None
        and stored_rules["newcomer_dinners"] is not None
        and new_rules[cap] == stored_rules[cap]
    ):
        # Switching the newcomer rule off switches off its cap, which means nothing without
        # it (unless this very change sets a new cap: that is refused below).
        new_rules[cap] = None
    new_rules["together"] = [
        *([] if clear_together else new_rules["together"]),
        *(list(group) for group in together),
    ]
    new_rules["apart"] = [*([] if clear_apart else new_rules["apart"]), *(list(p) for p in apart)]
    pairs = {
        frozenset(p[:2]): list(p) for p in ([] if clear_introduce else new_policy["introduce"])
    }
    for pair in introduce:
        pairs[frozenset(pair[:2])] = list(pair)
    new_policy["introduce"] = list(pairs.values())
    checked_policy, checked_rules = parse_settings(new_policy, new_rules)
    assert checked_policy is not None and checked_rules is not None
    if checked_rules.max_newcomers_per_table and checked_rules.newcomer_dinners is None:
        raise FieldError(
            "max_newcomers_per_table", "needs the newcomer rule (newcomer_dinners: who is new)"
        )
    store.save_settings(policy=checked_policy, rules=checked_rules, name=name, language=language)
    return checked_policy, checked_rules
