"""The signed repeat policy turned into pair weights of the objective (minimised)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from seating.compile.history import MeetingHistory
from seating.models import Policy


def pair_weights(
    history: MeetingHistory, policy: Policy, index: Mapping[str, int] | None = None
) -> np.ndarray:
    """Cost of seating each pair together at the next dinner (lower is better).

    With ``repeat_weight`` r and m earlier meetings of a pair (faded if ``half_life`` is set):

    - no target: ``-r * m``; r < 0 penalises repeats, r > 0 rewards them, linear in m;
    - ``target_meetings`` k: ``-|r| * m`` while m < k (deepen), then ``|r| * (m - k + 1)``
      (rotate: the more a pair has met past the target, the more it costs).

    Then ``recent_penalty`` is added for each pair that sat together at one of the last
    ``recent_dinners`` dinners (evenings: the courses of one date are one dinner), and with
    ``index`` (member id -> row) the strength of each ``introduce`` pair of present members is
    taken off.

    Returns
    -------
    numpy.ndarray
        Symmetric float matrix with a zero diagonal.
    """
    if history.num_dinners == 0:
        # Nobody has met: every term below is zero but the introductions. The season code
        # compiles each dinner without history first (20 dinners of 1,000: 1 s under load).
        weights = np.zeros(history.counts.shape, dtype=np.float64)
        if index is not None and policy.introduce:
            weights = weights - introductions(policy, index) + 0.0
            np.fill_diagonal(weights, 0.0)
        return weights
    meetings = history.faded if policy.half_life is not None else history.counts.astype(float)
    r = policy.repeat_weight
    if policy.target_meetings is None:
        weights = -r * meetings
    else:
        k = policy.target_meetings
        strength = abs(r)
        weights = np.where(meetings < k, -strength * meetings, strength * (meetings - k + 1))
    weights = np.asarray(weights, dtype=np.float64)
    if policy.recent_penalty > 0:
        recent = (history.counts > 0) & (history.last_age < policy.recent_dinners)
        weights = weights + policy.recent_penalty * recent
    if index is not None and policy.introduce:
        weights = weights - introductions(policy, index)
    weights = weights + 0.0  # turn -0.0 into 0.0 for tidy output
    np.fill_diagonal(weights, 0.0)
    return weights


def introductions(policy: Policy, index: Mapping[str, int]) -> np.ndarray:
    """``(n, n)`` the bonus of each ``policy.introduce`` pair whose members are both in
    ``index`` (a pair listed twice counts once, at its larger strength)."""
    n = len(index)
    bonus = np.zeros((n, n), dtype=np.float64)
    for pair in policy.introduce:
        a, b = pair[0], pair[1]
        strength = pair[2] if len(pair) > 2 else 1.0
        if a in index and b in index and a != b:
            i, j = index[a], index[b]
            bonus[i, j] = bonus[j, i] = max(bonus[i, j], strength)
    return bonus
