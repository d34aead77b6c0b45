"""Plan dinners with several courses: each course a round of a season, no pair twice an evening.

:func:`plan_courses` plans the courses as the rounds of a season
(:func:`~seating.compile.courses.expand_courses`): pairs who met in an earlier course count as
met, hosts stay at their tables. Two plans compete:

- *season*: :func:`~seating.season.planner.plan_season` on the rounds. Its objective weighs a
  pair met in the first course like a pair met once at an earlier dinner, so it may seat a pair
  together twice in one evening where that pair is otherwise cheap; :func:`separate_courses`
  then re-seats each course holding such a pair with the pairs of the evening's other courses
  kept apart;
- *course by course* (when the season objective splits by round,
  :func:`~seating.season.blocks.decomposable`): :func:`course_by_course` seats each course
  given the earlier ones with their pairs kept apart.

The plan with the fewest pairs meeting twice in an evening, then the lowest objective, wins;
a block descent over the courses with the evening's pairs kept apart polishes it. Where the
tables do not allow an evening without repeats (more courses than the tables can mix, e.g.
one table), each such pair costs more than any other pair instead: the fewest found, named in
``stats["courses"]`` and a warning.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import replace

import numpy as np

from seating.compile.bounds import fewest_mates, unavoidable_course_repeats
from seating.compile.courses import collect_courses, course_rounds, evenings, expand_courses
from seating.compile.objective import objective, violations
from seating.compile.plans import table_index
from seating.models import ProblemInput
from seating.result import Result, Status
from seating.season.blocks import (
    decomposable,
    dinner_given_others,
    groups_of,
    lookahead_weights,
)
from seating.season.evaluate import SeasonEvaluation, SeasonHistory, evaluate
from seating.season.model import SeasonModel, build_model
from seating.season.planner import plan_season
from seating.solvers.local.search import LocalSearchSettings, solve_local
from seating.stop import Stop, budget

SEQUENTIAL_SHARE = 0.35
"""Share of the time limit that :func:`course_by_course` may use."""

REPAIR_SHARE = 0.3
"""Share of the time left after it kept for :func:`separate_courses` after the season
search, and the block descent over the courses."""


def plan_courses(
    problem: ProblemInput,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    stop: Stop | None = None,
    initial: Result | None = None,
    **season: object,
) -> Result:
    """Plan ``problem``, whose dinners may have several courses.

    Parameters
    ----------
    problem
        The problem (references checked).
    time_limit
        Seconds for the whole call.
    seed
        Random seed.
    stop
        A further stop criterion.
    initial
        An earlier plan (with ``courses`` where the dinners have them).
    **season
        Passed to :func:`~seating.season.planner.plan_season` (method, workers, settings,
        progress).

    Returns
    -------
    Result
        One :class:`~seating.result.DinnerPlan` per dinner, with one seating per course in
        ``courses``; objective and metrics count the meetings of every course.
        ``stats["courses"]["evening_repeats"]``: pairs seated together in two courses of one
        evening (0 whenever the search found such a plan), leaving out the pairs the rules
        seat together at every course (keep-together groups, a guest and who invited them).
    """
    started = time.perf_counter()
    stop = budget(time_limit, stop)
    rounds = expand_courses(problem)
    evening = evenings(problem)
    model = build_model(rounds)
    exact = decomposable(model, rounds)
    rng = np.random.default_rng(seed)
    candidates: list[tuple[str, list[np.ndarray]]] = []
    if exact:
        quick = stop.within(SEQUENTIAL_SHARE * stop.remaining())
        first = course_by_course(model, evening, seed=seed, stop=quick)
        if first is not None:
            candidates.append(("course by course", first))
    result = plan_season(
        rounds,
        time_limit=max(0.01, (1.0 - REPAIR_SHARE) * stop.remaining()),
        seed=seed,
        initial=course_rounds(initial) if initial is not None else None,
        stop=stop,
        **season,  # type: ignore[arg-type]
    )
    if result.status.has_plan:
        plans = _plans(model, evaluate(rounds, result.dinners))
        plans, _ = separate_courses(model, plans, evening, seed=seed, stop=stop, polish=False)
        candidates.append(("season", plans))
    judged = [(name, plans, evaluate(rounds, plans)) for name, plans in candidates]
    judged = [j for j in judged if j[2].feasible]
    if not judged:
        return result.model_copy(update={"runtime_s": time.perf_counter() - started})
    name, plans, best = min(
        judged, key=lambda j: (evening_repeats(model, j[1], evening), j[2].objective)
    )
    if exact and not stop.stopped():
        polished = [p.copy() for p in plans]
        if _polish(model, polished, groups_of(model, polished), evening, rng, stop, None):
            found = evaluate(rounds, polished)
            if found.feasible and found.objective < best.objective - 1e-9:
                plans, best = polished, found
    twice = evening_repeats(model, plans, evening)
    least = least_course_repeats(problem, model, evening)
    proven = result.bound is not None and best.objective <= result.bound + 1e-9
    stats = dict(result.stats)
    stats["courses"] = {
        "evening_repeats": twice,
        "unavoidable_repeats": least,
        "start": name,
        "starts": {n: j.objective for n, _, j in judged},
    }
    note = _note(problem, model, evening, twice, least)
    if note:
        stats["courses"]["note"] = note
        warnings.warn(note, stacklevel=2)
    return Result(
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        objective=best.objective,
        bound=result.bound,
        runtime_s=time.perf_counter() - started,
        dinners=collect_courses(problem, best.plans),
        metrics=best.metrics,
        method=f"courses:{name}",
        stats=stats,
    )


def course_by_course(
    model: SeasonModel,
    evening: list[int],
    *,
    seed: int = 0,
    stop: Stop | None = None,
    settings: LocalSearchSettings | None = None,
    lookahead: float = 0.0,
) -> list[np.ndarray] | None:
    """Seat the rounds one after the other, each given the earlier ones (exact models), with
    the pairs of the evening's earlier courses kept apart where the tables allow; ``None`` if
    some round finds no plan holding its rules. ``lookahead``: the strength of
    :func:`~seating.season.blocks.lookahead_weights` for the rounds not seated yet (off: on
    the 2-course club dinner it changed the objective by noise only, 126 -> 127, 135 -> 136,
    137 -> 138 on seeds 0-2)."""
    G = np.full((model.num_dinners, model.num_players), -1, dtype=np.int64)
    rng = np.random.default_rng(seed)
    plans = []
    for d in range(model.num_dinners):
        dinner = dinner_given_others(model, G, d)
        later = list(range(d + 1, model.num_dinners))
        if later and lookahead > 0:
            extra = lookahead_weights(model, d, later, lookahead)
            dinner = replace(dinner, weights=dinner.weights + extra)
        same = _same_evening(model, G, evening, d)
        found = _seat_apart(dinner, same, None, int(rng.integers(2**31 - 1)), stop, settings)
        if found is None:
            return None
        plans.append(found)
        G[d, model.local[d]] = found
    return plans


def _plans(model: SeasonModel, judged: SeasonEvaluation) -> list[np.ndarray]:
    """Per-round ``table_of`` arrays of a judged plan."""
    return [table_index(model.dinners[k], plan, strict=True) for k, plan in enumerate(judged.plans)]


def _same_evening(model: SeasonModel, G: np.ndarray, evening: list[int], d: int) -> np.ndarray:
    """``(n, n)`` pairs of round d's attendees who sit together at another course of d's
    evening, except those the rules keep together."""
    idx = model.local[d]
    out = np.zeros((idx.size, idx.size), dtype=bool)
    for k, e in enumerate(evening):
        if k == d or e != evening[d]:
            continue
        g = G[k, idx]
        out |= (g[:, None] == g[None, :]) & (g[:, None] >= 0)
    # Pairs the rules seat together at every course (a guest and who invited them, a
    # keep-together group) cannot be kept apart: they are not repeats to avoid or to report.
    for group in model.dinners[d].groups:
        out[np.ix_(group, group)] = False
    np.fill_diagonal(out, False)
    return out


def evening_repeats(model: SeasonModel, plans: list[np.ndarray], evening: list[int]) -> int:
    """Pairs seated together in two (or more) courses of one evening, each pair once, except
    the pairs the rules keep together."""
    G = groups_of(model, plans)
    seen: set[tuple[int, int, int]] = set()
    for d in range(len(plans)):
        same = _same_evening(model, G, evening, d)
        here = plans[d][:, None] == plans[d][None, :]
        idx = model.local[d]
        for i, j in zip(*np.nonzero(np.triu(same & here, 1)), strict=True):
            a, b = sorted((int(idx[i]), int(idx[j])))
            seen.add((evening[d], a, b))
    return len(seen)


def separate_courses(
    model: SeasonModel,
    plans: list[np.ndarray],
    evening: list[int],
    *,
    seed: int = 0,
    stop: Stop | None = None,
    settings: LocalSearchSettings | None = None,
    polish: bool = True,
) -> tuple[list[np.ndarray], bool]:
    """Re-seat each course that seats a pair of its evening's other courses together.

    The course is re-seated by the core's local search with every other round fixed
    (:func:`~seating.season.blocks.dinner_given_others` where the season objective splits by
    round, else with the earlier rounds as history), those pairs kept apart; where no plan
    keeps them apart, each costs more than any other pair instead (fewest such pairs). A new
    seating is kept when it holds every rule and seats fewer such pairs.

    Returns
    -------
    plans, changed
        The plans (a new list) and whether any course was re-seated.
    """
    plans = [np.asarray(p, dtype=np.int64).copy() for p in plans]
    G = groups_of(model, plans)
    exact = decomposable(model, model.problem)
    history = None if exact else SeasonHistory(model.problem)
    rng = np.random.default_rng(seed)
    changed = False
    for d in range(len(plans)):
        dinner = history.compile(d) if history is not None else dinner_given_others(model, G, d)
        same = _same_evening(model, G, evening, d)
        here = plans[d][:, None] == plans[d][None, :]
        count = int(np.triu(same & here, 1).sum())
        if count and not (stop is not None and stop.stopped()):
            found = _reseat(dinner, same, plans[d], int(rng.integers(2**31 - 1)), stop, settings)
            if found is not None:
                plans[d] = found
                G[d, model.local[d]] = found
                changed = True
        if history is not None:
            history.add(dinner, plans[d])
    if exact and polish:
        changed |= _polish(model, plans, G, evening, rng, stop, settings)
    return plans, changed


def _polish(model, plans, G, evening, rng, stop, settings) -> bool:
    """Block descent over the courses (:mod:`seating.season.blocks`) with the pairs of each
    evening's other courses kept apart: re-seat one course at a time given the others while
    that lowers the objective and ``stop`` lasts. Changes ``plans`` and ``G`` in place."""
    courses = [d for d in range(len(plans)) if evening.count(evening[d]) > 1]
    stale = {d: False for d in courses}
    changed = False
    while courses and not all(stale.values()) and not (stop is not None and stop.stopped()):
        for d in courses:
            if stale[d] or (stop is not None and stop.stopped()):
                continue
            stale[d] = True
            dinner = dinner_given_others(model, G, d)
            same = _same_evening(model, G, evening, d)
            if (same & (plans[d][:, None] == plans[d][None, :])).any():
                continue  # the tables allow no plan without evening repeats here
            apart = replace(dinner, forbidden=dinner.forbidden | same)
            limit = None if stop is None else stop.remaining()
            outcome = solve_local(apart, seed=int(rng.integers(2**31 - 1)), time_limit=limit,
                                  initial=plans[d], settings=settings, stop=stop)  # fmt: skip
            if not outcome.status.has_plan or violations(apart, outcome.table_of):
                continue
            if outcome.objective < objective(apart, plans[d]) - 1e-9:
                plans[d] = outcome.table_of
                G[d, model.local[d]] = outcome.table_of
                changed = True
                for other in courses:
                    stale[other] = other == d
    return changed


def _seat_apart(dinner, same, initial, seed, stop, settings) -> np.ndarray | None:
    """A seating of ``dinner`` holding its rules with the pairs of ``same`` apart, or where no
    such seating was found, with each pair of ``same`` costing more than any other pair (the
    fewest found); ``None`` if no seating holds the rules."""
    limit = None if stop is None else stop.remaining()
    apart = replace(dinner, forbidden=dinner.forbidden | same)
    outcome = solve_local(apart, seed=seed, time_limit=limit, initial=initial,
                          settings=settings, stop=stop)  # fmt: skip
    if outcome.status.has_plan and not violations(apart, outcome.table_of):
        return outcome.table_of
    heavy = 10.0 * (1.0 + float(np.abs(dinner.weights).sum(axis=1).max(initial=0.0)))
    costly = replace(dinner, weights=dinner.weights + heavy * same)
    limit = None if stop is None else stop.remaining()
    outcome = solve_local(costly, seed=seed, time_limit=limit, initial=initial,
                          settings=settings, stop=stop)  # fmt: skip
    if not outcome.status.has_plan or violations(dinner, outcome.table_of):
        return None
    return outcome.table_of


def _reseat(dinner, same, current, seed, stop, settings) -> np.ndarray | None:
    """A seating of ``dinner`` with fewer pairs of ``same`` together than ``current``, holding
    every rule of ``dinner``; ``None`` if none was found."""
    before = int(np.triu(same & (current[:, None] == current[None, :]), 1).sum())
    plan = _seat_apart(dinner, same, current, seed, stop, settings)
    if plan is None:
        return None
    after = int(np.triu(same & (plan[:, None] == plan[None, :]), 1).sum())
    return plan if after < before else None


def least_course_repeats(problem: ProblemInput, model: SeasonModel, evening: list[int]) -> int:
    """The fewest pairs that meet in two courses of one evening in any plan of ``problem``
    (:func:`~seating.compile.bounds.unavoidable_course_repeats`, summed over its dinners with
    courses)."""
    return sum(
        unavoidable_course_repeats(model.dinners[evening.index(k)])
        for k, dinner in enumerate(problem.dinners)
        if dinner.courses > 1
    )


def _note(
    problem: ProblemInput, model: SeasonModel, evening: list[int], twice: int, least: int
) -> str:
    """Why ``twice`` pairs meet twice in an evening, in words (``least``: how many the tables
    force, :func:`least_course_repeats`); empty when none do."""
    if not twice:
        return ""
    dates = sorted({str(problem.dinners[e].date) for e in set(evening)})
    crowded = []
    for k, dinner in enumerate(problem.dinners):
        if dinner.courses < 2:
            continue
        first = model.dinners[evening.index(k)]
        mates = fewest_mates(first)
        # Each course gives every attendee at least this many mates: over the evening they
        # need that many different people.
        if (dinner.courses * mates > first.num_attendees - 1).any():
            crowded.append(f"{dinner.date} ({dinner.courses} courses)")
    if crowded:
        why = f"the tables of {', '.join(crowded)} do not allow that many courses without repeats"
    elif least >= twice:
        why = (
            f"the tables allow no fewer (a table of the next course takes its people from the "
            f"tables of the course before: at least {least} such pairs)"
        )
    elif least:
        why = f"at least {least} are unavoidable at these tables, and no plan with fewer was found"
    else:
        why = "no plan without them was found"
    pairs = "pair meets" if twice == 1 else "pairs meet"
    return (
        f"{twice} {pairs} in two courses of one evening ({', '.join(dates)}): {why}; "
        "the plan seats as few as it found"
    )
