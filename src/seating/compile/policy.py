"""The signed repeat policy turned into pair weights of the objective (minimised)."""

from __future__ import annotations

import numpy as np

from seating.compile.history import MeetingHistory
from seating.models import Policy


def pair_weights(history: MeetingHistory, policy: Policy) -> np.ndarray:
    """Cost of seating each pair together at the next dinner (lower is better).

    With ``repeat_weight`` r and m earlier meetings of a pair (faded if ``half_life`` is set):

    - no target: ``-r * m``; r < 0 penalises repeats, r > 0 rewards them, linear in m;
    - ``target_meetings`` k: ``-|r| * m`` while m < k (deepen), then ``|r| * (m - k + 1)``
      (rotate: the more a pair has met past the target, the more it costs).

    Returns
    -------
    numpy.ndarray
        Symmetric float matrix with a zero diagonal.
    """
    meetings = history.faded if policy.half_life is not None else history.counts.astype(float)
    r = policy.repeat_weight
    if policy.target_meetings is None:
        weights = -r * meetings
    else:
        k = policy.target_meetings
        strength = abs(r)
        weights = np.where(meetings < k, -strength * meetings, strength * (meetings - k + 1))
    weights = np.asarray(weights, dtype=np.float64) + 0.0  # turn -0.0 into 0.0 for tidy output
    np.fill_diagonal(weights, 0.0)
    return weights
