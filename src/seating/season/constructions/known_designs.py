"""Designs for classic Social Golfer instances that the general constructions miss.

- :func:`mols10`: two mutually orthogonal Latin squares of order 10 (so the 10-10-4
  schedule), by the Bose-Shrikhande-Parker method: an orthogonal array OA(4, 10) developed
  from a (7, 4; 1, 1; 3) quasi-difference matrix over Z_7 plus three infinite points. The
  small matrix is found at runtime by an exhaustive search (milliseconds).
- The 8-4-10 schedule is in :mod:`seating.season.constructions.derived_8_4_10`: found by this
  package's
  own exact search (a symmetric CP-SAT model, ``benchmarks/season/derive_8_4_10.py``) and
  stored, since the search takes about 20 s.
"""

from __future__ import annotations

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
