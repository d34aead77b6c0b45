"""The organiser's summary line: new conversations, pairs meeting again, and from last time."""

from __future__ import annotations

from club_helpers import summary_case
from seating.club.workflow import plain_summary
from seating.result import Status


def test_the_summary_counts_new_pairs_repeats_and_those_from_last_time():
    problem, result = summary_case([["a", "b", "e"], ["c", "d"]])
    assert plain_summary(problem, result) == (
        "2 new conversations, 2 pairs meet again (none from last time)"
    )
    problem, result = summary_case([["a", "c", "e"], ["b", "d"]])
    assert plain_summary(problem, result) == (
        "2 new conversations, 2 pairs meet again (2 from last time)"
    )
    problem, result = summary_case([["a", "d", "e"]])
    assert plain_summary(problem, result) == "3 new conversations, 0 pairs meet again"


def test_the_summary_says_how_close_to_the_best_possible_when_a_bound_says_so():
    problem, result = summary_case([["a", "d", "e"]])
    proven = result.model_copy(update={"status": Status.OPTIMAL, "bound": 0.0})
    assert plain_summary(problem, proven).endswith("; the best possible")
    close = result.model_copy(update={"objective": 100.0, "bound": 94.0})
    assert plain_summary(problem, close).endswith("; within 6.0 % of the best possible")
    assert plain_summary(problem, close, language="fr").endswith(
        "; à 6,0 % près du meilleur possible"
    )
    assert plain_summary(problem, proven, language="nl").endswith("; het best mogelijke")
    trivial = result.model_copy(update={"objective": 100.0, "bound": 0.0})
    assert plain_summary(problem, trivial) == "3 new conversations, 0 pairs meet again"
    # Introductions are a bonus: the bound may fall below 0 and the gap past 100 %.
    below = result.model_copy(update={"objective": 21.0, "bound": -1.0})
    assert plain_summary(problem, below) == "3 new conversations, 0 pairs meet again"
