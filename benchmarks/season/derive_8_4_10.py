"""Derive an 8-4-10 Social Golfer schedule by an exact search under a symmetry assumption.

    .venv/bin/python benchmarks/season/derive_8_4_10.py

Players are the pairs ``(h, c)`` with ``h`` in GF(2)^3 (a 3-bit integer) and ``c`` in 0..3,
numbered ``4 * h + c``. The group H = GF(2)^3 acts by translation, ``(h, c) -> (h ^ t, c)``,
semiregularly with four orbits of eight players. The assumption is that every round is fixed by
H, so a round is a union of H-orbits of groups of four. CP-SAT (one worker, fixed seed, so the
run is deterministic) chooses, for each of the 10 rounds, a set of block orbits such that

- every point-orbit representative is seated exactly once in every round (so, by H-invariance,
  every player is), and
- every pair orbit is covered at most once over all rounds (so no pair meets twice).

Rounds are interchangeable; they are ordered by the smallest pair orbit each covers. The model
has 10 x 4600 Booleans and is solved in seconds. The schedule is checked (each round a
partition of 0..31 into 8 groups of 4, no pair twice) and printed as a Python literal, the table
stored in ``seating.season.constructions.derived_8_4_10``.

Under the same assumption with H of order 16 (two orbits of 16 players), CP-SAT proves the
model infeasible within a second for each abelian H: Z_2^4, Z_4 x Z_2^2, Z_4^2, Z_8 x Z_2 and
Z_16, so the order-8 group is needed.
"""

from __future__ import annotations

import itertools
import sys
import time

import numpy as np
from ortools.sat.python import cp_model

from seating.season.constructions.designs import is_resolvable, repeats

V, G, S, W = 32, 8, 4, 10
ORBITS = 4  # point orbits of H; players are 4 * h + c
SEED = 0


def _translate(t: int) -> list[int]:
    """The permutation of players ``4 * h + c -> 4 * (h ^ t) + c``."""
    return [4 * ((p // ORBITS) ^ t) + p % ORBITS for p in range(V)]


def derive(seed: int = SEED, time_limit: float = 120.0) -> np.ndarray:
    """Solve the H-invariant model; return the ``(10, 8, 4)`` schedule (sorted groups)."""
    T = [_translate(t) for t in range(8)]
    point_reps = sorted({min(t[p] for t in T) for p in range(V)})
    pair_rep = {
        (a, b): min(tuple(sorted((t[a], t[b]))) for t in T)
        for a, b in itertools.combinations(range(V), 2)
    }
    pair_orbits = sorted(set(pair_rep.values()))
    pair_size: dict[tuple[int, int], int] = {}
    for rep in pair_rep.values():
        pair_size[rep] = pair_size.get(rep, 0) + 1

    seen: set[tuple[int, ...]] = set()
    block_orbits: list[list[tuple[int, ...]]] = []
    for block in itertools.combinations(range(V), S):
        if block in seen:
            continue
        orbit = {tuple(sorted(t[x] for x in block)) for t in T}
        seen |= orbit
        block_orbits.append(sorted(orbit))

    # point_cover[i][q]: blocks of orbit i holding point q; pair_cover[i][P]: blocks of orbit i
    # holding one fixed pair of pair orbit P (the same for every pair of P, by invariance).
    point_cover: list[dict[int, int]] = []
    pair_cover: list[dict[tuple[int, int], int]] = []
    for orbit in block_orbits:
        points: dict[int, int] = {}
        for block in orbit:
            for q in point_reps:
                if q in block:
                    points[q] = points.get(q, 0) + 1
        pairs: dict[tuple[int, int], int] = {}
        for block in orbit:
            for a, b in itertools.combinations(block, 2):
                rep = pair_rep[(a, b)]
                pairs[rep] = pairs.get(rep, 0) + 1
        point_cover.append(points)
        pair_cover.append({rep: c // pair_size[rep] for rep, c in pairs.items()})

    model = cp_model.CpModel()
    x = [[model.NewBoolVar(f"x{r}_{i}") for i in range(len(block_orbits))] for r in range(W)]
    for r in range(W):
        for q in point_reps:
            model.Add(sum(pc[q] * x[r][i] for i, pc in enumerate(point_cover) if q in pc) == 1)
    terms: dict[tuple[int, int], list] = {rep: [] for rep in pair_orbits}
    for i, cover in enumerate(pair_cover):
        for rep, c in cover.items():
            for r in range(W):
                terms[rep].append(c * x[r][i])
    for t in terms.values():
        model.Add(sum(t) <= 1)
    # Round order: the smallest pair orbit covered in round r - 1 precedes every one in round r.
    index = {rep: j for j, rep in enumerate(pair_orbits)}
    per_round = [[[] for _ in pair_orbits] for _ in range(W)]
    for i, cover in enumerate(pair_cover):
        for rep, c in cover.items():
            for r in range(W):
                per_round[r][index[rep]].append(c * x[r][i])
    covered = [[sum(t) for t in row] for row in per_round]
    for r in range(1, W):
        for j in range(len(pair_orbits)):
            model.Add(covered[r][j] <= sum(covered[r - 1][:j]))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"no schedule: {solver.StatusName(status)}")
    rounds = []
    for r in range(W):
        groups = [b for i, orbit in enumerate(block_orbits) if solver.Value(x[r][i]) for b in orbit]
        rounds.append(sorted(groups))
    return np.array(rounds, dtype=np.int64)


def main() -> int:
    start = time.perf_counter()
    schedule = derive()
    elapsed = time.perf_counter() - start
    assert schedule.shape == (W, G, S)
    assert is_resolvable(schedule, V), "a round is not a partition of the players"
    assert repeats(schedule, V) == 0, "a pair meets twice"
    print(f"# 8-4-10: resolvable, no pair twice; {elapsed:.1f} s", file=sys.stderr)
    print("[")
    for rnd in schedule.tolist():
        print(f"    {rnd},")
    print("]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
