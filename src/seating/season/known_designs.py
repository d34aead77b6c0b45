"""Designs for classic Social Golfer instances that the general constructions miss.

- :func:`mols10`: two mutually orthogonal Latin squares of order 10 (so the 10-10-4
  schedule), by the Bose-Shrikhande-Parker method: an orthogonal array OA(4, 10) developed
  from a (7, 4; 1, 1; 3) quasi-difference matrix over Z_7 plus three infinite points. The
  small matrix is found at runtime by an exhaustive search (milliseconds).
- :func:`sgp_8_4_10`: a stored 8-4-10 schedule (32 players, 8 groups of 4, 10 rounds, no pair
  twice), which reaches the counting bound ``floor(31 / 3) = 10``. A translation design over
  GF(2)^5 gives only 9 rounds and the cyclic search here stalls, so this one is data: the
  first ten rounds of the 11-round 32-player schedule (an 11-round covering, in which every
  pair meets at least once; its first ten rounds have no pair twice) from the Wolfram
  Demonstrations Project "Social Golfer Problem"
  (http://demonstrations.wolfram.com/SocialGolferProblem/), as transcribed in
  https://github.com/fpvandoorn/Dagstuhl-tables (``literature.md``, section ``T(32,4) = 11``).
  The first 10-round solution is due to Aguado ("A 10 days solution to the social golfer
  problem", 2004). To regenerate the table, copy the first ten lines of that block; the tests
  check that it is resolvable and repeat-free. The table is a list of numbers satisfying the
  design's conditions (a mathematical fact, cited here); replacing it with a schedule found
  by this package's own search would remove the third-party source.
"""

from __future__ import annotations

import string
from functools import cache

import numpy as np

# Z_7: the quadratic residues {1, 2, 4} are the subgroup of the multipliers used below.
_RESIDUE = np.array([False, True, True, False, True, False, False])
_MULTIPLIERS = (1, 2, 4)


def _quasi_difference_columns() -> np.ndarray | None:
    """Base columns ``c_0 .. c_3`` of a (7, 4; 1, 1; 3) quasi-difference matrix, or ``None``.

    The matrix has 13 columns: the zero column and, for each row b, the three columns
    ``m * c_b`` (m in {1, 2, 4}) with a blank in row b. For rows i != j, the columns with
    neither blank are the zero column and the two triples with ``b not in {i, j}``; their
    differences ``m * (c_b[j] - c_b[i])`` cover every nonzero element of Z_7 once exactly when
    one of the two base differences is a quadratic residue and the other is not. That is a
    binary constraint between every two of the four base columns: a four-variable CSP with 49
    values each (each column's first entry is 0, as translating a column changes no
    difference), solved here by backtracking over precomputed compatibility tables.

    Returns
    -------
    numpy.ndarray or None
        ``(4, 4)``: row b is ``c_b`` with ``-1`` at the blank (position b).
    """
    values = np.arange(49)
    cands = np.full((4, 49, 4), -1, dtype=np.int64)
    for b in range(4):
        rows = [r for r in range(4) if r != b]
        cands[b, :, rows[0]] = 0
        cands[b, :, rows[1]] = values // 7
        cands[b, :, rows[2]] = values % 7
    compat: dict[tuple[int, int], np.ndarray] = {}
    for b1 in range(4):
        for b2 in range(b1 + 1, 4):
            i, j = (r for r in range(4) if r not in (b1, b2))
            d1 = (cands[b1, :, j] - cands[b1, :, i]) % 7
            d2 = (cands[b2, :, j] - cands[b2, :, i]) % 7
            ok = (d1[:, None] != 0) & (d2[None, :] != 0)
            compat[b1, b2] = ok & (_RESIDUE[d1][:, None] != _RESIDUE[d2][None, :])

    chosen: list[int] = []

    def extend(b: int) -> bool:
        if b == 4:
            return True
        allowed = np.ones(49, dtype=bool)
        for prev, value in enumerate(chosen):
            allowed &= compat[prev, b][value]
        for value in np.flatnonzero(allowed):
            chosen.append(int(value))
            if extend(b + 1):
                return True
            chosen.pop()
        return False

    if not extend(0):
        return None
    return np.array([cands[b, chosen[b]] for b in range(4)])


@cache
def _orthogonal_array_4_10() -> np.ndarray | None:
    base = _quasi_difference_columns()
    if base is None:
        return None
    columns = [np.zeros(4, dtype=np.int64)]
    for b in range(4):
        for k, m in enumerate(_MULTIPLIERS):
            # The blank of the k-th multiple becomes infinite point k (symbol 7 + k).
            col = np.where(base[b] >= 0, (base[b] * m) % 7, -1 - k)
            columns.append(col)
    oa = []
    for col in columns:
        for t in range(7):
            oa.append(np.where(col >= 0, (col + t) % 7, 6 - col))  # -1 - k -> 7 + k
    # The infinite points among themselves: an OA(4, 3), (x, y, x + y, x + 2y) mod 3.
    for x in range(3):
        for y in range(3):
            oa.append(7 + np.array([x, y, (x + y) % 3, (x + 2 * y) % 3]))
    array = np.array(oa, dtype=np.int64)  # (100, 4): each row is one run of the OA
    array.setflags(write=False)
    return array


def mols10() -> list[np.ndarray]:
    """Two mutually orthogonal Latin squares of order 10 (Bose, Shrikhande and Parker).

    Returns
    -------
    list of numpy.ndarray
        Two ``(10, 10)`` int arrays ``L1, L2`` with entries ``0 .. 9``; every ordered pair of
        symbols occurs once in ``(L1[i, j], L2[i, j])``. Empty if the search failed (it does
        not; the tests check the squares).
    """
    oa = _orthogonal_array_4_10()
    if oa is None:
        return []
    squares = [np.full((10, 10), -1, dtype=np.int64) for _ in range(2)]
    for run in oa:
        squares[0][run[0], run[1]] = run[2]
        squares[1][run[0], run[1]] = run[3]
    return squares


_SGP_8_4_10 = """
ABCD EFGH IJKL MNOP abcd efgh ijkl mnop
AEIm BcgH DFKp dfkP aeiM bCGh jLNo JlnO
Aflo Bhkm DGiN aFLO bHKM CeJP cEjp dgIn
AciL BdjK bDJk FgoP fGOp aCIl EhMn eHmN
AgKN BElP DHIo dhiO beLp Cfjm cFJM aGkn
AhJp BFin cDmO bfIN eGKl CdMo EgkL aHjP
AdeF BGJo aDEf chlN iKmP CHLn bgjO IkMp
AbnP aBNp DglM ceko fHiJ CEKO FhIj dGLm
AGjM BeIO DhLP agJm cfKn CFkN bEio dHlp
AHkO BfLM Dejn bFlm cGIP Cgip dEJN ahKo
"""


def sgp_8_4_10() -> np.ndarray:
    """The stored 8-4-10 schedule (see the module docstring for its source).

    Returns
    -------
    numpy.ndarray
        ``(10, 8, 4)`` int array of players ``0 .. 31`` (``A .. P`` are 0 .. 15 and
        ``a .. p`` are 16 .. 31 in the published table).
    """
    symbols = string.ascii_uppercase[:16] + string.ascii_lowercase[:16]
    rounds = [
        [[symbols.index(ch) for ch in group] for group in line.split()]
        for line in _SGP_8_4_10.strip().splitlines()
    ]
    return np.array(rounds, dtype=np.int64)
