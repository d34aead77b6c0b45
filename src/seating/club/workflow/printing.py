"""Which dinner a print-out shows, as the printable view both faces render, in which language,
and the rules its draft breaks now (a face warns before the pages go out)."""

from __future__ import annotations

import datetime as dt

from seating.club.records import Draft
from seating.club.report.html import DinnerView, dinner_view
from seating.club.report.i18n import check_language, translations
from seating.club.store import ClubStore
from seating.club.workflow.people import directory
from seating.club.workflow.problems import draft_problem, evaluate_draft
from seating.errors import InputError


def printable(
    store: ClubStore, date: dt.date | None = None, *, language: str | None = None
) -> DinnerView:
    """The printable view of the dinner of ``date``: its draft, else its record.

    Without ``date``: the only draft, or, with no draft left, the dinner recorded last.
    ``language`` (``nl``, ``fr`` or ``en``) defaults to the club's language setting.

    Raises
    ------
    StoreError
        No draft or record of ``date``; no draft at all, or several, without ``date``.
    InputError
        ``language`` is not one of nl, fr, en.
    """
    if language is not None:
        check_language(language)
    with store.snapshot():
        drafts = {d.date: d for d in store.drafts()}
        if date is None and not drafts and store.dinner_dates():
            date = store.dinner_dates()[-1]
        dinner = drafts.get(date) if date is not None else None
        if dinner is None:
            recorded = store.dinner(date) if date is not None else None
            dinner = recorded if recorded is not None else store.draft(date)
        members = {m.id: m for m in store.members()}
        language = language or store.club_language()
        # A club without a name gets the page title in the print-out's own language.
        untitled = translations(language).gettext("Club dinner")
        return dinner_view(
            dinner, members, title=store.club_name(default=untitled), language=language
        )


def broken_rules(store: ClubStore, draft: Draft) -> list[str]:
    """The rules ``draft`` breaks now, one sentence each with names to the ids: a rule added,
    or a history that changed, since it was planned (the pairs kept apart in one sentence).
    Empty when it keeps every rule.

    A member of the draft who has left the club since is one sentence too (the draft can no
    longer be evaluated as a plan).
    """
    try:
        problem, _ = draft_problem(store, draft)
    except InputError as exc:
        return [str(exc)]
    _, broken = evaluate_draft(problem, draft)
    people = directory(store)
    lines: list[str] = []
    pairs: list[str] = []
    for line in map(people.with_names, broken):
        if line.endswith(_PAIR_RULE):  # one line for the rule, not one per pair
            pairs.append(line.removesuffix(_PAIR_RULE))
        else:
            lines.append(line)
    if len(pairs) == 1:
        lines.insert(0, pairs[0] + _PAIR_RULE)
    elif pairs:
        lines.insert(0, f"{len(pairs)} pairs{_PAIR_RULE}: {'; '.join(pairs)}")
    return lines


_PAIR_RULE = " may not sit together (apart or cooldown)"
"""How the core names a pair that a keep-apart rule or the cooldown separates."""


def draft_warnings(store: ClubStore, view: DinnerView) -> list[str]:
    """:func:`broken_rules` of the draft a print-out shows; none for a recorded dinner (what
    took place is printed as it was)."""
    if view.state != "draft plan":
        return []
    return broken_rules(store, store.draft(view.date))
