"""A derived 8-4-10 Social Golfer schedule: 32 players, 8 groups of 4, 10 rounds, no pair twice.

It reaches the counting bound ``floor(31 / 3) = 10`` rounds. The table is the output of this
package's own exact search, reproducible with

    .venv/bin/python benchmarks/season/derive_8_4_10.py

(deterministic: CP-SAT with one worker and a fixed seed, about 20 s). Players are
``4 * h + c`` with ``h`` in GF(2)^3 and ``c`` in 0..3; the schedule is invariant under the
translations ``4 * h + c -> 4 * (h ^ t) + c``, each round being a union of their orbits of
groups. See the script's docstring for the model.
"""

from __future__ import annotations

import numpy as np

_SGP_8_4_10 = [
    [
        [0, 1, 30, 31],
        [2, 3, 28, 29],
        [4, 5, 26, 27],
        [6, 7, 24, 25],
        [8, 9, 22, 23],
        [10, 11, 20, 21],
        [12, 13, 18, 19],
        [14, 15, 16, 17],
    ],
    [
        [0, 2, 4, 6],
        [1, 15, 23, 25],
        [3, 13, 21, 27],
        [5, 11, 19, 29],
        [7, 9, 17, 31],
        [8, 10, 12, 14],
        [16, 18, 20, 22],
        [24, 26, 28, 30],
    ],
    [
        [0, 3, 12, 15],
        [1, 6, 17, 22],
        [2, 5, 18, 21],
        [4, 7, 8, 11],
        [9, 14, 25, 30],
        [10, 13, 26, 29],
        [16, 19, 28, 31],
        [20, 23, 24, 27],
    ],
    [
        [0, 5, 17, 20],
        [1, 4, 16, 21],
        [2, 10, 23, 31],
        [3, 11, 22, 30],
        [6, 14, 19, 27],
        [7, 15, 18, 26],
        [8, 13, 25, 28],
        [9, 12, 24, 29],
    ],
    [
        [0, 7, 22, 29],
        [1, 10, 27, 28],
        [2, 9, 19, 20],
        [3, 4, 18, 25],
        [5, 14, 24, 31],
        [6, 13, 16, 23],
        [8, 15, 21, 30],
        [11, 12, 17, 26],
    ],
    [
        [0, 8, 16, 24],
        [1, 5, 9, 13],
        [2, 14, 22, 26],
        [3, 7, 19, 23],
        [4, 12, 20, 28],
        [6, 10, 18, 30],
        [11, 15, 27, 31],
        [17, 21, 25, 29],
    ],
    [
        [0, 9, 18, 27],
        [1, 8, 19, 26],
        [2, 11, 16, 25],
        [3, 10, 17, 24],
        [4, 13, 22, 31],
        [5, 12, 23, 30],
        [6, 15, 20, 29],
        [7, 14, 21, 28],
    ],
    [
        [0, 10, 19, 25],
        [1, 11, 18, 24],
        [2, 8, 17, 27],
        [3, 9, 16, 26],
        [4, 14, 23, 29],
        [5, 15, 22, 28],
        [6, 12, 21, 31],
        [7, 13, 20, 30],
    ],
    [
        [0, 11, 13, 14],
        [1, 2, 7, 12],
        [3, 5, 6, 8],
        [4, 9, 10, 15],
        [16, 27, 29, 30],
        [17, 18, 23, 28],
        [19, 21, 22, 24],
        [20, 25, 26, 31],
    ],
    [
        [0, 21, 23, 26],
        [1, 3, 14, 20],
        [2, 13, 15, 24],
        [4, 17, 19, 30],
        [5, 7, 10, 16],
        [6, 9, 11, 28],
        [8, 18, 29, 31],
        [12, 22, 25, 27],
    ],
]


def sgp_8_4_10() -> np.ndarray:
    """The derived 8-4-10 schedule (see the module docstring for how it was found).

    Returns
    -------
    numpy.ndarray
        ``(10, 8, 4)`` int64 array of players ``0 .. 31``.
    """
    return np.array(_SGP_8_4_10, dtype=np.int64)
