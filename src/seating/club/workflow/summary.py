"""A plan in the organiser's words: how many new conversations, how many pairs meet again and
whether any of them sat together last time (the objective and bound stay in ``--json``)."""

from __future__ import annotations

from itertools import combinations

from seating.models import ProblemInput
from seating.result import Result


def _pairs(tables: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for table in tables for p in combinations(table, 2)}


def plain_summary(problem: ProblemInput, result: Result, dinner: int = 0) -> str:
    """One line such as ``38 new conversations, 3 pairs meet again (none from last time)``.

    Parameters
    ----------
    problem
        The dinner's problem (its history: recorded dinners and earlier drafts).
    result
        The plan.
    dinner
        Which dinner of the plan.
    """
    if not result.dinners:
        return "no plan"
    seated = _pairs([t.members for t in result.dinners[dinner].tables])
    history = sorted(problem.history, key=lambda d: d.date)
    met = set().union(*(_pairs(d.tables) for d in history)) if history else set()
    last = _pairs(history[-1].tables) if history else set()
    again = seated & met
    new = len(seated) - len(again)
    recent = len(again & last)
    words = f"{new} new conversation{'s' if new != 1 else ''}, "
    words += "1 pair meets again" if len(again) == 1 else f"{len(again)} pairs meet again"
    if again:
        words += f" ({'none' if recent == 0 else recent} from last time)"
    return words
