"""Lower bounds for a season: on repeats, on the most meetings of a pair, on the objective.

Counting arguments, valid for every plan that seats every attendee:

- every dinner seats at least ``P_k`` pairs (attendees spread as evenly as the tables allow);
- a pair that never met can be seated once without a repeat, and only if both attend some
  dinner together (and are not kept apart);
- member i sits with at least ``D_i`` table mates over the season.

For the classic Social Golfer Problem (v players, w rounds of g tables of s) these give
``repeats >= max(0, w * g * C(s, 2) - C(v, 2))`` and ``max meetings >= ceil(w (s-1) / (v-1))``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from seating.compile.bounds import fewest_mates
from seating.compile.history import meeting_history
from seating.compile.problem import DinnerProblem
from seating.models import ProblemInput


@dataclass(frozen=True)
class SeasonBounds:
    """Lower bounds of a season; ``objective`` is ``None`` where no bound is proven here."""

    repeats: int
    max_meetings: int
    objective: float | None
    seated_pairs: int

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "repeats": self.repeats,
            "max_meetings": self.max_meetings,
            "objective": self.objective,
            "seated_pairs": self.seated_pairs,
        }


def min_pairs(capacity: np.ndarray, attendees: int) -> int:
    """The fewest pairs seated together when ``attendees`` fill tables of ``capacity``."""
    load = np.zeros(len(capacity), dtype=np.int64)
    pairs = 0
    for _ in range(attendees):
        room = np.where(load < capacity, load, np.iinfo(np.int64).max)
        t = int(np.argmin(room))
        pairs += int(load[t])
        load[t] += 1
    return pairs


def _cheapest(costs: np.ndarray, caps: np.ndarray, need: int) -> float:
    """Sum of the ``need`` cheapest items when item j offers ``caps[j]`` units costing
    ``costs[j], costs[j] + 1, ...`` (integer costs): the greedy optimum of a separable convex
    allocation."""
    if need <= 0 or caps.sum() == 0:
        return 0.0
    need = min(need, int(caps.sum()))

    def count(threshold: int) -> int:  # units costing at most threshold
        return int(np.clip(threshold - costs + 1, 0, caps).sum())

    lo, hi = int(costs.min()), int((costs + caps).max())
    while lo < hi:
        mid = (lo + hi) // 2
        if count(mid) >= need:
            hi = mid
        else:
            lo = mid + 1
    below = np.clip(lo - costs, 0, caps)  # units strictly cheaper than lo
    total = float((below * costs + below * (below - 1) / 2).sum())
    return total + (need - int(below.sum())) * lo


def _fill_level(history: np.ndarray, caps: np.ndarray, need: int) -> int:
    """The smallest M such that pairs can take ``need`` meetings with ``history + m <= M``."""
    if need <= 0:
        return 0
    lo, hi = 1, int((history + caps).max(initial=1)) + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if int(np.clip(mid - history, 0, caps).sum()) >= need:
            hi = mid
        else:
            lo = mid + 1
    return lo


def season_bounds(
    problem: ProblemInput, dinners: list[DinnerProblem], player_ids: tuple[str, ...]
) -> SeasonBounds:
    """Lower bounds of ``problem``'s season (``dinners`` compiled with history only)."""
    index = {m: i for i, m in enumerate(player_ids)}
    N = len(player_ids)
    attend = np.zeros((len(dinners), N), dtype=np.int64)
    mates = np.zeros(N, dtype=np.int64)
    seated = 0
    for k, dinner in enumerate(dinners):
        idx = np.array([index[m] for m in dinner.member_ids], dtype=np.int64)
        attend[k, idx] = 1
        mates[idx] += fewest_mates(dinner)
        seated += min_pairs(dinner.capacity, dinner.num_attendees)
    together = attend.T @ attend  # dinners both attend
    np.fill_diagonal(together, 0)
    for a, b in problem.rules.apart:
        if a in index and b in index:
            together[index[a], index[b]] = together[index[b], index[a]] = 0
    counts = meeting_history(problem.history, index).counts.astype(np.int64)
    upper = np.triu(np.ones((N, N), dtype=bool), 1)

    fresh = (counts == 0) & (together > 0)
    repeats = max(0, seated - int((fresh & upper).sum()))
    per_member = np.maximum(0, mates - fresh.sum(axis=1))
    repeats = max(repeats, math.ceil(per_member.sum() / 2))

    most = _fill_level(counts[upper], together[upper], seated)
    for i in range(N):
        partners = together[i] > 0
        most = max(most, _fill_level(counts[i, partners], together[i, partners], int(mates[i])))

    objective = None
    policy = problem.policy
    # Introductions reward pairs: the bound of the repeat policy alone no longer holds.
    linear = policy.half_life is None and policy.target_meetings is None and not policy.introduce
    if linear and policy.repeat_weight <= 0:
        w = -policy.repeat_weight
        total = _cheapest(counts[upper], together[upper], seated)
        shares = sum(
            _cheapest(counts[i, together[i] > 0], together[i, together[i] > 0], int(mates[i]))
            for i in range(N)
        )
        objective = w * max(total, shares / 2)
    return SeasonBounds(
        repeats=int(repeats), max_meetings=int(most), objective=objective, seated_pairs=seated
    )
