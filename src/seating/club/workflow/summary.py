"""A plan in the organiser's words, in the club's language: how many new conversations, how
many pairs meet again and whether any of them sat together last time (the objective and bound
stay in ``--json`` and ``--verbose``)."""

from __future__ import annotations

from itertools import combinations

from seating.club.report.i18n import translations
from seating.models import ProblemInput
from seating.result import Result


def _pairs(tables: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for table in tables for p in combinations(table, 2)}


def plain_summary(
    problem: ProblemInput, result: Result, dinner: int = 0, *, language: str = "en"
) -> str:
    """One line such as ``38 new conversations, 3 pairs meet again (none from last time)``
    (``38 nieuwe gesprekken, 3 duo's zitten opnieuw samen (geen van de vorige keer)``), with
    ``, every table shares a language`` when the club has a language rule.

    Parameters
    ----------
    problem
        The dinner's problem (its history: recorded dinners and earlier drafts).
    result
        The plan.
    dinner
        Which dinner of the plan.
    language
        ``nl``, ``fr`` or ``en`` (the club's language, :meth:`ClubStore.club_language`).
    """
    words = translations(language)
    if not result.dinners:
        return words.gettext("no plan")
    seated = _pairs([t.members for t in result.dinners[dinner].tables])
    history = sorted(problem.history, key=lambda d: d.date)
    met = set().union(*(_pairs(d.tables) for d in history)) if history else set()
    last = _pairs(history[-1].tables) if history else set()
    again = seated & met
    new = len(seated) - len(again)
    recent = len(again & last)
    line = words.ngettext("%(num)d new conversation", "%(num)d new conversations", new)
    line = line % {"num": new} + ", "
    line += words.ngettext("%(num)d pair meets again", "%(num)d pairs meet again", len(again)) % {
        "num": len(again)
    }
    if again:
        last_time = (
            words.gettext("(none from last time)")
            if recent == 0
            else words.ngettext("(%(num)d from last time)", "(%(num)d from last time)", recent)
            % {"num": recent}
        )
        line += " " + last_time
    if problem.rules.language is not None:
        tables = [t.members for t in result.dinners[dinner].tables if t.members]
        shared = sum(1 for t in tables if _share_a_language(problem, t))
        line += ", " + (
            words.gettext("every table shares a language")
            if shared == len(tables)
            else words.ngettext(
                "%(num)d of %(total)d tables shares a language",
                "%(num)d of %(total)d tables share a language",
                shared,
            )
            % {"num": shared, "total": len(tables)}
        )
    return line


def _share_a_language(problem: ProblemInput, table: list[str]) -> bool:
    """Everyone at ``table`` speaks one language (a member with none listed speaks any)."""
    spoken = {m.id: set(m.languages) for m in problem.members}
    listed = [spoken[m] for m in table if spoken.get(m)]
    return not listed or bool(set.intersection(*listed))
