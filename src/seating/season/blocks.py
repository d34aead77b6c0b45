"""Block-coordinate descent over a season: re-seat one dinner at a time with the core solver.

With every other planned dinner fixed, the season objective as a function of one dinner d's
seating is a single-dinner objective. For a linear policy with repeat weight r (no target, no
fairness) a pair with h earlier meetings in the history that meets m times over the planned
dinners costs ``-r (m h + C(m, 2))``; seating it at d (m = m' + 1, m' meetings at the *other*
planned dinners) instead of apart changes that by ``-r (h + m')``: the pair weight of dinner d
is "history plus meetings at the other planned dinners, before and after d". With a half-life
each meeting is faded by its distance to d, exactly as the season model's quadratic form
(:mod:`seating.season.model`) fades it. The cooldown becomes a set of forbidden pairs: pairs
that met in the history less than ``cooldown - d`` dinners before the season, or at a planned
dinner at most ``cooldown`` dinners before or after d (keep-together pairs excepted, as in the
core). Hosts, company and industry limits, keep-apart and keep-together are the dinner's own.

So the core's strong single-dinner local search (:func:`seating.solvers.local.search.solve_local`)
can re-optimise one dinner of the season exactly, from its current seating; a better
single-dinner objective is a better season objective by the same amount.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from seating.compile.objective import objective, violations
from seating.compile.problem import DinnerProblem, cooldown_forbidden
from seating.models import ProblemInput
from seating.season.evaluate import in_date_order
from seating.season.model import SeasonModel
from seating.solvers.local.search import LocalSearchSettings, solve_local
from seating.stop import Stop


def decomposable(model: SeasonModel, problem: ProblemInput) -> bool:
    """Whether one dinner's share of the season objective is a single-dinner objective.

    True when the season model is exact (no ``target_meetings``, no ``fairness``: the
    objective is then a quadratic form over "pair together at dinner k") and the planned
    dinners come after the history in date order (:func:`~seating.season.evaluate.in_date_order`;
    otherwise the core reads meeting ages and cooldown windows in date order, not plan order).
    """
    return model.exact and in_date_order(problem)


def groups_of(model: SeasonModel, plans: list[np.ndarray]) -> np.ndarray:
    """``(R, N)`` table of each player at each dinner (global player index), -1 if absent."""
    G = np.full((model.num_dinners, model.num_players), -1, dtype=np.int64)
    for k, table_of in enumerate(plans):
        G[k, model.local[k]] = table_of
    return G


def dinner_given_others(model: SeasonModel, G: np.ndarray, d: int) -> DinnerProblem:
    """Dinner ``d`` as a single-dinner problem with the other dinners' seatings ``G`` fixed.

    Its objective on a seating of d equals the season objective of the whole plan minus a
    constant that does not depend on d's seating (see the module docstring). A dinner whose
    row of ``G`` is all -1 counts as not seated.
    """
    base = model.dinners[d]
    idx = model.local[d]
    Hf, hscale = model.data[2], model.data[3]
    weights = hscale[d] * Hf[np.ix_(idx, idx)]
    counts = model.history_counts[np.ix_(idx, idx)].copy()
    together = np.zeros_like(counts, dtype=bool)
    cooldown = model.problem.rules.cooldown or 0
    recent = np.zeros_like(together)
    if cooldown > 0:
        # History meetings age by one per evening planned before dinner d's.
        ev = int(model.evening[d])
        recent |= (counts > 0) & (model.history_age[np.ix_(idx, idx)] + ev < cooldown)
    for k in range(model.num_dinners):
        if k == d:
            continue
        g = G[k, idx]
        np.equal(g[:, None], g[None, :], out=together)
        together &= g[:, None] >= 0
        weights += model.pair_base[d, k] * together
        counts += together
        # An earlier course of the same evening is of age 0, like the evening before.
        if max(abs(int(model.evening[k]) - int(model.evening[d])), 1) <= cooldown:
            recent |= together
    np.fill_diagonal(weights, 0.0)
    np.fill_diagonal(counts, 0)
    np.fill_diagonal(recent, False)
    weights += 0.0  # -0.0 -> 0.0
    forbidden = np.zeros_like(recent)
    for i, j in base.apart_pairs:
        forbidden[i, j] = forbidden[j, i] = True
    # The core's rule (keep-together wins over the cooldown), as compile_dinner applies it.
    blocked, cooldown_pairs = cooldown_forbidden(recent, base.groups)
    forbidden |= blocked
    for array in (weights, counts, forbidden):
        array.setflags(write=False)
    return replace(
        base,
        weights=weights,
        meetings=counts,
        forbidden=forbidden,
        cooldown_pairs=cooldown_pairs,
    )


def lookahead_weights(
    model: SeasonModel, d: int, unplanned: list[int], strength: float
) -> np.ndarray:
    """``(n, n)`` extra pair cost of dinner ``d`` for the dinners not planned yet.

    A pair that both attend an unplanned dinner k may meet there; it costs ``strength`` times
    its chance to share a table at k (table size - 1 over attendees - 1), weighted like a
    meeting at k. Seating such a pair now spends a fresh pair that a later, fuller dinner may
    need; pairs that never meet again are free. A heuristic for building a season dinner by
    dinner (measured on the club benchmark: 116 -> about 103 repeats at strength 1).
    """
    idx = model.local[d]
    extra = np.zeros((idx.size, idx.size))
    if strength <= 0:
        return extra
    present = np.zeros(model.num_players, dtype=bool)
    for k in unplanned:
        if k == d:
            continue
        present[:] = False
        present[model.local[k]] = True
        both = present[idx].astype(np.float64)
        dinner = model.dinners[k]
        n_k = dinner.num_attendees
        chance = (n_k / dinner.num_tables - 1) / max(1, n_k - 1)
        extra += strength * chance * model.pair_base[d, k] * np.outer(both, both)
    np.fill_diagonal(extra, 0.0)
    return extra


@dataclass
class BlockStats:
    """What the block-coordinate descent did."""

    solves: int = 0
    improvements: int = 0
    gain: float = 0.0
    rounds: int = 0
    seconds: float = 0.0


def descend(
    model: SeasonModel,
    plans: list[np.ndarray],
    *,
    stop: Stop | None = None,
    seed: int = 0,
    slice_s: float = 0.5,
    max_rounds: int | None = None,
    settings: LocalSearchSettings | None = None,
) -> tuple[list[np.ndarray], BlockStats]:
    """Re-seat dinners one at a time until no dinner improves or ``stop`` stops.

    Each round visits every dinner, costliest first (by its share of the objective), and
    keeps the local search's seating when it lowers that share. ``plans`` must hold every
    rule; so does every plan returned.

    Parameters
    ----------
    model
        An exact season model (:func:`decomposable`).
    plans
        Per-dinner ``table_of`` arrays (attendee order of ``model.dinners``).
    stop
        Stop criterion (the planner's budget), checked before each dinner and by each
        single-dinner search between its cycles; ``None``: until no dinner improves.
    seed
        Random seed of the local searches.
    slice_s
        Seconds per single-dinner search at most.
    max_rounds
        Rounds at most (``None``: until a round changes nothing, or ``stop``).
    settings
        Settings of the single-dinner local search.

    Returns
    -------
    plans, stats
        The improved plans (new list; the input is not modified) and what was done.
    """
    started = time.perf_counter()
    plans = [np.asarray(p, dtype=np.int64).copy() for p in plans]
    G = groups_of(model, plans)
    stats = BlockStats()
    rng = np.random.default_rng(seed)
    R = model.num_dinners
    stale = np.zeros(R, dtype=bool)  # no gain since the other dinners last changed
    stop = stop or Stop()
    while not stale.all() and not stop.stopped():
        if max_rounds is not None and stats.rounds >= max_rounds:
            break
        shares = []
        for d in range(R):
            problem = dinner_given_others(model, G, d)
            shares.append((objective(problem, plans[d]), d))
        order = [d for _, d in sorted(shares, reverse=True) if not stale[d]]
        for d in order:
            if stop.stopped():
                break
            problem = dinner_given_others(model, G, d)
            current = objective(problem, plans[d])
            outcome = solve_local(
                problem,
                seed=int(rng.integers(2**31 - 1)),
                time_limit=slice_s,
                initial=plans[d],
                settings=settings,
                stop=stop,
            )
            stats.solves += 1
            stale[d] = True
            if outcome.status.has_plan and outcome.objective < current - 1e-9:
                if violations(problem, outcome.table_of):
                    continue
                stats.improvements += 1
                stats.gain += current - outcome.objective
                plans[d] = outcome.table_of.copy()
                G[d, model.local[d]] = plans[d]
                stale[:] = False
                stale[d] = True
        stats.rounds += 1
    stats.seconds = time.perf_counter() - started
    return plans, stats
