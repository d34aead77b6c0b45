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


def test_last_time_is_every_course_of_the_last_evening():
    """The last evening had two courses (a+b | c+d, then a+c | b+d, both recorded on one
    date): a pair from its first course is "from last time" too."""
    problem, result = summary_case([["a", "b", "e"], ["c", "d"]])
    one_evening = [d.model_copy(update={"date": problem.history[1].date}) for d in problem.history]
    evening = problem.model_copy(update={"history": one_evening})
    assert plain_summary(evening, result) == (
        "2 new conversations, 2 pairs meet again (2 from last time)"
    )


def test_tables_sharing_a_language_are_counted_course_by_course():
    """5 tables per course and 2 courses: "of 5", per course, not "of 10" over the evening."""
    from seating.models import Member
    from seating.result import CoursePlan, TablePlan

    problem, result = summary_case([["a", "b"], ["c", "d"], ["e"]])
    speaks = {"a": ["nl"], "b": ["fr"], "c": ["fr"], "d": ["fr"], "e": []}
    members = [Member(id=m, languages=speaks[m]) for m in speaks]
    rules = problem.rules.model_copy(update={"language": "table"})
    problem = problem.model_copy(update={"members": members, "rules": rules})
    assert plain_summary(problem, result).endswith(", 2 of 3 tables share a language")
    first = result.dinners[0].tables
    second = [
        TablePlan(id=t.id, members=m)
        for t, m in zip(first, [["a", "e"], ["b", "c"], ["d"]], strict=True)
    ]
    plan = result.dinners[0].model_copy(
        update={"courses": [CoursePlan(tables=first), CoursePlan(tables=second)]}
    )
    coursed = result.model_copy(update={"dinners": [plan]})
    assert plain_summary(problem, coursed).endswith(
        ", course 1: 2 of 3 tables share a language, course 2: 3 of 3 tables share a language"
    )
    assert plain_summary(problem, coursed, language="nl").endswith(
        ", gang 1: 2 van de 3 tafels hebben een gemeenschappelijke taal, "
        "gang 2: 3 van de 3 tafels hebben een gemeenschappelijke taal"
    )
    assert plain_summary(problem, coursed, language="fr").endswith(
        ", service 1 : 2 tables sur 3 ont une langue commune, "
        "service 2 : 3 tables sur 3 ont une langue commune"
    )
    both = [CoursePlan(tables=second), CoursePlan(tables=second)]
    fine = result.model_copy(update={"dinners": [plan.model_copy(update={"courses": both})]})
    assert plain_summary(problem, fine).endswith(", every table shares a language")
