"""Constructions from design theory for the classic Social Golfer Problem (g groups of s, w rounds).

A schedule is an int array ``(w, g, s)`` of player indices ``0 .. g*s-1``. Each construction
returns a schedule that is checked here (:func:`repeats`) before it is used, so a construction
is a certificate: zero repeats where the parameters allow it.

- :func:`affine_plane`: AG(2, q) for a prime power q, the q-q-(q+1) schedule (every pair once).
- :func:`mols_schedule`: g-g-w from k mutually orthogonal Latin squares of order g (rows,
  columns, and one round per square), prime powers and MacNeish products of them, and two
  squares of order 10 (Bose-Shrikhande-Parker,
  :func:`seating.season.constructions.known_designs.mols10`).
- :func:`known_schedule`: designs for single instances: a packing of PG(3, 3) (the complete
  10-4-13 schedule, :mod:`seating.season.constructions.pg`) and an 8-4-10 schedule found by this
  package's
  own symmetric exact search (:func:`seating.season.constructions.derived_8_4_10.sgp_8_4_10`).
- :func:`cyclic_schedule`: a 1-rotational (cyclic) design found by a small compiled search over
  base classes, for instance Kirkman triple systems (s = 3), 6-3-8, 8-4-9 (it stalls on 10-4-13,
  8-4-10 and 10-10-4, which the designs above cover).
- :func:`concatenate`: more rounds than a perfect schedule holds, by relabelled copies of it; for
  a complete design (every pair meets once) this meets the counting bound on repeats exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from seating.compile.meetings import schedule_counts
from seating.season.constructions import cyclic as _cyclic
from seating.season.constructions import derived_8_4_10, known_designs, pg
from seating.season.constructions.gf import field, prime_power
from seating.stop import Stop


@dataclass(frozen=True)
class Construction:
    """A schedule from a construction, with its name and whether every pair meets (once)."""

    schedule: np.ndarray
    name: str
    complete: bool = False


def repeats(schedule: np.ndarray, v: int) -> int:
    """Pair meetings beyond the first: ``sum over pairs of max(0, meetings - 1)``."""
    counts = schedule_counts(schedule, v)
    return int(np.triu(np.maximum(counts - 1, 0), 1).sum())


def is_resolvable(schedule: np.ndarray, v: int) -> bool:
    """Every round seats each of the v players exactly once."""
    w = schedule.shape[0]
    return all(np.array_equal(np.sort(schedule[r].ravel()), np.arange(v)) for r in range(w))


def max_rounds(g: int, s: int) -> int:
    """The counting bound on repeat-free rounds: ``floor((v - 1) / (s - 1))``."""
    return (g * s - 1) // (s - 1)


def affine_plane(q: int) -> np.ndarray:
    """The q + 1 parallel classes of AG(2, q): point ``(x, y)`` is player ``x * q + y``."""
    add, mul = field(q)
    schedule = np.empty((q + 1, q, q), dtype=np.int64)
    xs = np.arange(q)
    for m in range(q):  # lines y = m x + b
        for b in range(q):
            schedule[m, b] = xs * q + add[mul[m, xs], b]
    for c in range(q):  # vertical lines x = c
        schedule[q, c] = c * q + xs
    return schedule


def _factor_prime_powers(n: int) -> list[int]:
    parts = []
    p = 2
    while n > 1:
        if n % p == 0:
            q = 1
            while n % p == 0:
                n //= p
                q *= p
            parts.append(q)
        p += 1
    return parts


def mols(n: int) -> list[np.ndarray]:
    """Mutually orthogonal Latin squares of order n: ``q - 1`` for a prime power q, else the
    MacNeish product (``min(q_i) - 1`` squares for ``n = prod q_i``), except two for n = 10
    (Bose-Shrikhande-Parker, where MacNeish gives one); possibly none."""
    if n < 2:
        return []
    if n == 10:
        return known_designs.mols10()
    parts = _factor_prime_powers(n)
    k = min(parts) - 1
    if k < 1:
        return []
    squares = [np.zeros((n, n), dtype=np.int64) for _ in range(k)]
    scale = 1
    for q in parts:
        add, mul = field(q)
        # Coordinates of x, y in this factor; entries combine factor by factor (mixed radix).
        digit = (np.arange(n) // scale) % q
        for i in range(k):
            m = i + 1  # the nonzero field elements 1 .. k
            layer = add[mul[m, digit][:, None], digit[None, :]]
            squares[i] += scale * layer
        scale *= q
    return squares


def mols_schedule(n: int, w: int) -> np.ndarray | None:
    """n-n-w from Latin squares: rows, columns, then one round per square; ``None`` if too few."""
    squares = mols(n)
    if w > len(squares) + 2:
        return None
    cells = np.arange(n * n).reshape(n, n)
    rounds = [cells, cells.T]
    for square in squares:
        rounds.append(np.array([cells[square == symbol] for symbol in range(n)]))
    return np.array(rounds[:w], dtype=np.int64)


def _cyclic_layout(g: int, s: int, w: int, h: int) -> tuple[int, int] | None:
    """Levels L and fixed points f with ``v = h * L + f``, each fixed point in its own group."""
    v = g * s
    f = v % h
    if f > g or v // h < 1:
        return None
    return v // h, f


def _orbits(h: int, levels: int, fixed: int) -> tuple[np.ndarray, np.ndarray]:
    """Orbit id of each pair of points under ``Z_h``, and which orbits are short (forbidden)."""
    v = h * levels + fixed
    level = np.concatenate((np.repeat(np.arange(levels), h), np.full(fixed, -1)))
    x = np.concatenate((np.tile(np.arange(h), levels), -1 - np.arange(fixed)))
    ids: dict[tuple[int, ...], int] = {}
    orbit = np.zeros((v, v), dtype=np.int64)
    for p in range(v):
        for q in range(p + 1, v):
            a, b = level[p], level[q]
            if a < 0 and b < 0:
                key: tuple[int, ...] = (-1, 0)  # two fixed points meet in every round
            elif a < 0 or b < 0:
                key = (-2, int(min(x[p], x[q])), int(max(a, b)))
            elif a == b:
                d = (x[q] - x[p]) % h
                d = min(d, h - d)
                key = (-1, 0) if 2 * d == h else (0, int(a), int(d))
            else:
                lo, hi = (p, q) if a < b else (q, p)
                key = (1, int(level[lo]), int(level[hi]), int((x[hi] - x[lo]) % h))
            orbit[p, q] = orbit[q, p] = ids.setdefault(key, len(ids))
    forb = np.zeros(max(1, len(ids)), dtype=np.bool_)
    if (-1, 0) in ids:
        forb[ids[(-1, 0)]] = True
    return orbit, forb


def _develop(base: np.ndarray, h: int, levels: int) -> np.ndarray:
    """Each base class shifted by ``t`` in ``Z_h`` (fixed points stay): ``(nb * h, g, s)``."""
    rounds = []
    cyclic = h * levels
    for cls in base:
        for t in range(h):
            shifted = np.where(cls < cyclic, (cls // h) * h + (cls % h + t) % h, cls)
            rounds.append(shifted)
    return np.array(rounds, dtype=np.int64)


def cyclic_schedule(
    g: int,
    s: int,
    w: int,
    *,
    seed: int = 0,
    iterations: int = 200_000,
    stop: Stop | None = None,
) -> np.ndarray | None:
    """A repeat-free g-s-w schedule invariant under a cyclic group, or ``None`` if not found.

    The group ``Z_h`` acts on the rounds and on ``v - f`` of the players; the compiled search
    looks for ``w / h`` base classes. The divisors h >= 3 of w are tried from the largest (the
    most symmetry, the smallest search) down, ``iterations`` steps each, until ``stop``
    stops (if given; the search then ends within about
    :data:`seating.season.constructions.cyclic.PIECE_SECONDS`, and none starts after it).
    """
    for h in sorted((d for d in range(3, w + 1) if w % d == 0), reverse=True):
        if stop is not None and stop.stopped():
            return None
        layout = _cyclic_layout(g, s, w, h)
        if layout is None:
            continue
        levels, fixed = layout
        orbit, forb = _orbits(h, levels, fixed)
        nb = w // h
        base = np.empty((nb, g, s), dtype=np.int64)
        conflicts, _ = _cyclic.search_base_classes(
            orbit, forb, nb, g, s, iterations, seed, base, stop=stop
        )
        if conflicts == 0:
            schedule = _develop(base, h, levels)
            if is_resolvable(schedule, g * s) and repeats(schedule, g * s) == 0:
                return schedule
    return None


def concatenate(perfect: np.ndarray, w: int, v: int, seed: int = 0) -> np.ndarray:
    """``w`` rounds from relabelled copies of ``perfect`` (the first copy as it is).

    For a complete design (each pair once per copy) every pair meets ``floor`` or ``ceil`` of
    ``w / rounds`` times, which meets the counting bounds on repeats and on the most meetings.
    """
    rng = np.random.default_rng(seed)
    rounds = []
    copy = 0
    while len(rounds) < w:
        relabel = np.arange(v) if copy == 0 else rng.permutation(v)
        for r in range(perfect.shape[0]):
            if len(rounds) == w:
                break
            rounds.append(relabel[perfect[r]])
        copy += 1
    return np.array(rounds, dtype=np.int64)


def _mols_name(n: int, squares: int) -> str:
    name = f"{squares} orthogonal Latin squares of order {n}"
    return f"{name} (Bose-Shrikhande-Parker)" if n == 10 and squares == 2 else name


def known_schedule(g: int, s: int) -> Construction | None:
    """A repeat-free g-s schedule with the most rounds, for the instances known individually.

    Parameters
    ----------
    g, s
        Groups per round and players per group.

    Returns
    -------
    Construction or None
        10-4: a packing of PG(3, 3), 13 rounds in which every pair meets once (computed, about
        0.2 s the first time in a process, then cached). 8-4: the stored 10-round schedule of
        :mod:`seating.season.constructions.derived_8_4_10` (the counting bound). ``None`` for every
        other g-s.
    """
    if (g, s) == (10, 4):
        packing = pg.pg3_packing(3)
        if packing is None:  # only if CP-SAT failed; the planner then searches
            return None
        return Construction(packing, "packing of PG(3,3) (resolvable 2-(40,4,1) design)", True)
    if (g, s) == (8, 4):
        name = "stored 8-4-10 schedule (from a symmetric exact search)"
        return Construction(derived_8_4_10.sgp_8_4_10(), name)
    return None


def _complete_design(
    g: int,
    s: int,
    seed: int,
    iterations: int,
    stop: Stop | None,
) -> Construction | None:
    """A schedule in which every pair meets exactly once, where one is known here."""
    v = g * s
    if (v - 1) % (s - 1) != 0:
        return None
    rounds = (v - 1) // (s - 1)
    if g == s and prime_power(s) is not None:
        return Construction(affine_plane(s), f"affine plane AG(2,{s})", complete=True)
    known = known_schedule(g, s)
    if known is not None and known.complete:
        return known
    found = cyclic_schedule(g, s, rounds, seed=seed, iterations=iterations, stop=stop)
    if found is not None:
        name = "Kirkman triple system" if s == 3 else "resolvable design"
        return Construction(found, f"cyclic {name} ({v} points)", complete=True)
    return None


def construct(
    g: int,
    s: int,
    w: int,
    *,
    seed: int = 0,
    iterations: int = 200_000,
    stop: Stop | None = None,
) -> Construction | None:
    """The best construction known here for g-s-w, or ``None`` (then search).

    Up to the counting bound, a repeat-free schedule (affine plane, Latin squares, a design
    known for this g-s, cyclic design); beyond it, relabelled copies of a complete design when
    one exists. Only the cyclic search heeds ``stop``: the direct constructions take
    milliseconds (the PG(3,3) packing about 0.2 s once) and always run.
    """
    if g < 1 or s < 2 or w < 1:
        return None
    v = g * s
    if g == 1:
        return Construction(np.zeros((w, 1, s), dtype=np.int64) + np.arange(s), "one table")
    bound = max_rounds(g, s)
    if w <= bound:
        if g == s and prime_power(s) is not None:
            return Construction(affine_plane(s)[:w], f"affine plane AG(2,{s})", w == s + 1)
        complete = w * g * math.comb(s, 2) == math.comb(v, 2)
        if g == s:
            found = mols_schedule(s, w)
            if found is not None:
                return Construction(found, _mols_name(s, max(0, w - 2)), complete)
        known = known_schedule(g, s)
        if known is not None and w <= known.schedule.shape[0]:
            return Construction(known.schedule[:w].copy(), known.name, complete)
        found = cyclic_schedule(g, s, w, seed=seed, iterations=iterations, stop=stop)
        if found is not None:
            return Construction(found, "cyclic design", complete)
        return None
    complete = _complete_design(g, s, seed, iterations, stop)
    if complete is None:
        return None
    schedule = concatenate(complete.schedule, w, v, seed)
    copies = math.ceil(w / complete.schedule.shape[0])
    return Construction(schedule, f"{copies} relabelled copies of the {complete.name}", True)
