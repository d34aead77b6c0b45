"""A plan in the organiser's words: how many new conversations, how many pairs meet again and
whether any of them sat together last time (the objective and bound stay in ``--json``)."""

from __future__ import annotations

from itertools import combinations

from seating.models import ProblemInput
from seating.result import Result, Status


def _pairs(tables: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for table in tables for p in combinations(table, 2)}


def plain_summary(problem: ProblemInput, result: Result, dinner: int = 0) -> str:
    """One line such as ``38 new conversations, 3 pairs meet again (none from last time)``,
    and how close the plan is to the best possible when its bound says so.

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
    return words + _how_good(result)


def _how_good(result: Result) -> str:
    """``; the best possible`` or ``; within 6.0 % of the best possible`` when the plan has
    a proven bound that says something (a bound of 0 under a positive objective does not)."""
    if result.bound is None or result.objective is None or result.gap is None:
        return ""
    if result.status is Status.OPTIMAL:
        return "; the best possible"
    if result.bound == 0 and result.objective > 0:
        return ""
    return f"; within {100 * result.gap:.1f} % of the best possible"
