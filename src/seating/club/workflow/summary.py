"""A plan in the organiser's words, in the club's language: how many new conversations, how
many pairs meet again and whether any of them sat together last time (the objective and bound
stay in ``--json`` and ``--verbose``)."""

from __future__ import annotations

from itertools import combinations

from babel.numbers import format_decimal
from babel.support import NullTranslations

from seating.club.report.i18n import LOCALES, translations
from seating.models import ProblemInput
from seating.result import Result, Status


def _pairs(tables: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for table in tables for p in combinations(table, 2)}


def plain_summary(
    problem: ProblemInput, result: Result, dinner: int = 0, *, language: str = "en"
) -> str:
    """One line such as ``38 new conversations, 3 pairs meet again (none from last time)``
    (``38 nieuwe gesprekken, 3 duo's zitten opnieuw samen (geen van de vorige keer)``), with
    ``, every table shares a language`` when the club has the language rule ``table`` (``,
    everyone has 2 table mates who speak their language`` with a number), ``, 8 newcomers
    (at most 1 at a table)`` with the newcomer rule (a plan of one dinner), and how close the
    plan is to the best possible when its bound says so (``; within 6.0 % of the best possible``).

    A dinner with several courses is summed up over the evening: the pairs of every course
    ("last time" is every course of the last evening); tables sharing a language are counted
    course by course.

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
    plan = result.dinners[dinner]
    # Over the whole evening: a pair seated together at two courses is one conversation.
    courses = [c.tables for c in plan.courses] if plan.courses else [plan.tables]
    seated = _pairs([t.members for tables in courses for t in tables])
    history = sorted(problem.history, key=lambda d: d.date)
    met = set().union(*(_pairs(d.tables) for d in history)) if history else set()
    # Last time is the last evening: every course recorded on its date.
    last_evening = [d for d in history if d.date == history[-1].date] if history else []
    last = set().union(*(_pairs(d.tables) for d in last_evening)) if history else set()
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
    spoken = {
        m.id: {lang.strip().casefold() for lang in m.languages if lang.strip()}
        for m in problem.members
    }
    if isinstance(problem.rules.language, int):
        line += ", " + _mates_sharing(spoken, courses, problem.rules.language, words)
    elif problem.rules.language is not None:
        line += ", " + _tables_sharing(spoken, courses, words)
    fresh = result.metrics.newcomers if len(result.dinners) == 1 else None
    # The metrics add the courses up; a newcomer is one at every course of the evening, so
    # the people are the sum over the number of courses.
    people = fresh.newcomers // len(courses) if fresh is not None else 0
    if fresh is not None and people:
        line += ", " + words.ngettext(
            "%(num)d newcomer (at most %(most)d at a table)",
            "%(num)d newcomers (at most %(most)d at a table)",
            people,
        ) % {"num": people, "most": fresh.most_at_a_table}
    return line + _how_good(result, words, language)


def _tables_sharing(spoken: dict[str, set[str]], courses: list, words: NullTranslations) -> str:
    """The language rule ``table`` in words, counted per course (the tables of one seating):
    ``4 of 5 tables share a language``, with courses ``course 1: 4 of 5 tables share a
    language, course 2: 5 of 5 tables share a language``."""
    counts = []
    for tables in courses:
        seated = [t.members for t in tables if t.members]
        counts.append((sum(1 for t in seated if _share_a_language(spoken, t)), len(seated)))
    if all(shared == total for shared, total in counts):
        return words.gettext("every table shares a language")
    if len(counts) == 1:
        shared, total = counts[0]
        return words.ngettext(
            "%(num)d of %(total)d tables shares a language",
            "%(num)d of %(total)d tables share a language",
            shared,
        ) % {"num": shared, "total": total}
    return ", ".join(
        words.ngettext(
            "course %(course)d: %(num)d of %(total)d tables shares a language",
            "course %(course)d: %(num)d of %(total)d tables share a language",
            shared,
        )
        % {"course": c, "num": shared, "total": total}
        for c, (shared, total) in enumerate(counts, start=1)
    )


def _mates_sharing(
    spoken: dict[str, set[str]], courses: list, k: int, words: NullTranslations
) -> str:
    """The language rule ``k`` in words: everyone has k table mates sharing a language with
    them (at every course), or how many people do not."""
    short = set()
    for tables in courses:
        for table in tables:
            for member in table.members:
                mates = sum(
                    1
                    for other in table.members
                    if other != member and _share_a_language(spoken, [member, other])
                )
                if mates < k:
                    short.add(member)
    if not short:
        return words.ngettext(
            "everyone has a table mate who speaks their language",
            "everyone has %(k)d table mates who speak their language",
            k,
        ) % {"k": k}
    return words.ngettext(
        "%(num)d person has fewer than %(k)d table mates who speak their language",
        "%(num)d people have fewer than %(k)d table mates who speak their language",
        len(short),
    ) % {"num": len(short), "k": k}


def _share_a_language(spoken: dict[str, set[str]], table: list[str]) -> bool:
    """Everyone at ``table`` speaks one language of ``spoken`` (member id -> languages; a
    member with none listed speaks any)."""
    listed = [spoken[m] for m in table if spoken.get(m)]
    return not listed or bool(set.intersection(*listed))


def _how_good(result: Result, words: NullTranslations, language: str) -> str:
    """``; the best possible`` or ``; within 6.0 % of the best possible`` when the plan has
    a proven bound that says something (a bound of 0 under a positive objective does not)."""
    if result.bound is None or result.objective is None or result.gap is None:
        return ""
    if result.status is Status.OPTIMAL:
        return words.gettext("; the best possible")
    if result.bound <= 0 < result.objective:
        # A bound of 0 (or below it, from the bonus of pairs to introduce) under a positive
        # objective says nothing: "within 104.8 % of the best possible" would mislead.
        return ""
    gap = format_decimal(100 * result.gap, format="0.0", locale=LOCALES[language])
    return words.gettext("; within %(gap)s %% of the best possible") % {"gap": gap}
