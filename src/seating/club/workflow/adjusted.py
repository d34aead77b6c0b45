"""What re-planning a draft gave (:mod:`seating.club.workflow.adjusting`,
:mod:`seating.club.workflow.evening`): the new plan, who moved, what the organiser is told."""

from __future__ import annotations

from dataclasses import dataclass, field

from seating.adjust import Adjustment
from seating.club.records import Draft
from seating.models import ProblemInput
from seating.result import Result


@dataclass(frozen=True)
class Adjusted:
    """What re-planning a draft gave.

    Attributes
    ----------
    problem
        The dinner as re-planned.
    result
        The search's answer; without a plan, its status and reason say why.
    adjustment
        With fewest moves: who moved and why, who was newly seated (else None).
    draft
        The draft saved, or None when the search found no plan (nothing was written).
    pins
        The pins of the new draft.
    cancelled
        The members who no longer come.
    released
        The members whose pin was dropped (cancelled, or their table removed).
    moved
        The members seated before and after at another table.
    notes
        What to tell the organiser besides (drafts counted as history, later drafts that now
        break a rule).
    """

    problem: ProblemInput
    result: Result
    adjustment: Adjustment | None
    draft: Draft | None
    pins: dict[str, str]
    cancelled: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
