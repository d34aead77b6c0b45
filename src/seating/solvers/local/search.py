"""Fast solver: annealing, descent and tabu search over move and swap neighbourhoods.

The inner loops are compiled (:mod:`seating.solvers.local._kernel`); this module builds the unit
arrays, picks temperatures and tabu parameters, and runs cycles until a stopping criterion
holds.

A cycle anneals briefly (from the greedy or given start in the first cycle, or from
:func:`roomiest_first` when the greedy start finds no room for a keep-together group; from
the best plan after that), descends to a local optimum, and runs a tabu search from there:
every tabu step takes the best move or swap that does not send a unit straight back to a
table it just left.
On the benchmark dinners (``benchmarks/``, ``docs/benchmarks.md``) the tabu search reaches in
one second what annealing alone did not reach in ten; annealing stays as the start of each
cycle. Temperatures follow the scale of the weights (meeting counts, faded counts, fairness)
instead of fixed numbers. The plan returned is locally optimal for moves and swaps.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from seating.compile.objective import objective, violations
from seating.compile.problem import DinnerProblem
from seating.result import Status
from seating.solvers.local import _kernel
from seating.solvers.local.labels import reducible, solve_labelled
from seating.solvers.outcome import DinnerOutcome
from seating.stop import HaltWatch, Stop, budget


@dataclass(frozen=True)
class Units:
    """Attendees grouped into the blocks the search moves: keep-together groups and singles."""

    start: np.ndarray  # (U + 1,) CSR offsets into members
    members: np.ndarray  # (n,) attendee indices, unit by unit
    size: np.ndarray  # (U,)
    fixed: np.ndarray  # (U,) table a unit must sit at, -1 if free
    of_member: np.ndarray  # (n,) unit of each attendee

    @property
    def count(self) -> int:
        return self.size.shape[0]


def build_units(problem: DinnerProblem) -> Units | None:
    """Group attendees into units; ``None`` if a group holds hosts of two different tables."""
    n = problem.num_attendees
    of_member = np.full(n, -1, dtype=np.int64)
    blocks: list[np.ndarray] = []
    for group in problem.groups:
        of_member[group] = len(blocks)
        blocks.append(group)
    for i in range(n):
        if of_member[i] < 0:
            of_member[i] = len(blocks)
            blocks.append(np.array([i], dtype=np.int64))
    fixed = np.full(len(blocks), -1, dtype=np.int64)
    for u, block in enumerate(blocks):
        hosts = np.unique(problem.host_table[block])
        hosts = hosts[hosts >= 0]
        if hosts.size > 1:
            return None
        if hosts.size == 1:
            fixed[u] = hosts[0]
    size = np.array([b.size for b in blocks], dtype=np.int64)
    start = np.concatenate(([0], np.cumsum(size))).astype(np.int64)
    return Units(start, np.concatenate(blocks), size, fixed, of_member)


def _fits(start: np.ndarray, units: Units, problem: DinnerProblem) -> bool:
    """Whether a start (``-1`` = not seated yet) names real tables and overfills none."""
    placed = start >= 0
    if start.max(initial=-1) >= problem.num_tables:
        return False
    seated = np.bincount(start[placed], weights=units.size[placed], minlength=problem.num_tables)
    return bool((seated <= problem.capacity).all())


def roomiest_first(problem: DinnerProblem, units: Units) -> np.ndarray | None:
    """A start that fits the capacities with every unit whole (table per unit), or ``None``.

    First fit decreasing: hosts' units at their tables, then the largest units first, each at
    the roomiest table where it clashes with no company (the roomiest table at all if none).
    The kernel's own start seats larger units first too, but at the cheapest table, then by
    best fit; with hosts and tight tables that can leave a group without room where this
    packing seats everybody (``tests/test_local.py`` holds such a dinner). The search falls
    back to it only then, so plans elsewhere do not change.
    """
    room = problem.capacity.astype(np.int64).copy()
    start = np.full(units.count, -1, dtype=np.int64)
    companies: list[set[int]] = [set() for _ in range(problem.num_tables)]
    limit_one = problem.max_per_company == 1
    order = sorted(range(units.count), key=lambda u: (units.fixed[u] < 0, -units.size[u], u))
    for u in order:
        members = units.members[units.start[u] : units.start[u + 1]]
        labels = {int(c) for c in problem.company[members] if c >= 0}
        if units.fixed[u] >= 0:
            options = [int(units.fixed[u])]
        else:
            options = sorted(range(problem.num_tables), key=lambda t: -room[t])
        fits = [t for t in options if room[t] >= units.size[u]]
        if not fits:
            return None
        clean = [t for t in fits if not (limit_one and labels & companies[t])]
        t = (clean or fits)[0]
        room[t] -= units.size[u]
        companies[t] |= labels
        start[u] = t
    return start


def _penalty(problem: DinnerProblem) -> float:
    # One broken rule must cost more than anything a member's seat can gain.
    biggest = float(np.abs(problem.weights).sum(axis=1).max(initial=0.0))
    fair = problem.fairness * problem.num_attendees**2
    return 10.0 * (1.0 + biggest + fair)


def _unit_weights(problem: DinnerProblem, units: Units, penalty: float) -> np.ndarray:
    """``(U, U)`` pair cost between units: summed member weights, ``penalty`` per forbidden
    member pair; zero diagonal (a unit's inner pairs are a constant)."""
    member_cost = problem.weights + penalty * problem.forbidden
    order, first = units.members, units.start[:-1]
    # Members are stored unit by unit: sum row blocks, then column blocks (no n x U x n
    # product; with no groups this is just the reordered matrix).
    W = np.add.reduceat(member_cost[np.ix_(order, order)], first, axis=0)
    W = np.add.reduceat(W, first, axis=1)
    np.fill_diagonal(W, 0.0)
    return np.ascontiguousarray(W)


def _kernel_data(problem: DinnerProblem, units: Units, penalty: float) -> tuple:
    """The data tuple of the compiled kernel (layout in :mod:`seating.solvers.local._kernel`)."""
    return (
        _unit_weights(problem, units, penalty),
        units.start,
        units.members,
        units.size,
        units.fixed,
        problem.capacity.astype(np.int64),
        problem.company.astype(np.int64),
        int(problem.max_per_company),
        problem.industry.astype(np.int64),
        int(problem.max_per_industry),
        problem.met_before.astype(np.int64),
        float(problem.fairness),
        float(penalty),
        _table_rule_data(problem),
        np.zeros(1, dtype=np.int64),  # halt: set by _Deadline
    )


def _table_rule_data(problem: DinnerProblem) -> tuple:
    """The table rules for the kernel: ``(active, F, share, mode, L, newcomers, cap, buf)``
    (layout in :mod:`seating.solvers.local._kernel`); inactive, with tiny arrays, when the
    dinner has none."""
    rules = problem.table_rules
    n = problem.num_attendees
    if not rules.active:
        empty = np.zeros((1, 2), dtype=np.int64)
        return (False, empty, empty, 0, 0, False, 0, np.zeros(1, dtype=np.int64))
    L = rules.speaks.shape[1]
    features = np.zeros((n, L + 2), dtype=np.int64)
    features[:, :L] = rules.speaks
    features[:, L] = rules.newcomer
    features[:, L + 1] = rules.anchor
    share = rules.shares().astype(np.int64) if rules.language > 0 else np.zeros((1, 1), np.int64)
    return (
        True,
        features,
        share,
        int(rules.language),
        int(L),
        rules.newcomer_dinners is not None,
        int(rules.max_newcomers),
        np.zeros(n, dtype=np.int64),
    )


def _weight_scale(problem: DinnerProblem) -> float:
    """The size of a small change of the objective: the 10 % quantile of the non-zero pair
    weights (1 for plain meeting counts), or the fairness weight if larger.

    Annealing is decided by how it treats small uphill steps; the large ones are rejected at
    any useful temperature. (Sampling steps at the start plan instead misleads on large
    dinners, where the greedy start is good and random steps are all large.)
    """
    upper = problem.weights[np.triu_indices(problem.num_attendees, 1)]
    nonzero = np.abs(upper[upper != 0])
    scale = float(np.quantile(nonzero, 0.1)) if nonzero.size else 0.0
    scale = max(scale, problem.fairness)
    return scale if scale > 0 else 1.0


_Deadline = HaltWatch


@dataclass(frozen=True)
class LocalSearchSettings:
    """Stopping criteria and schedule of the local search.

    A *cycle* anneals (``iterations_per_unit`` steps per unit), descends to a local optimum,
    then runs a tabu search (``tabu_steps`` steps) from there. The first cycle starts from the
    given or greedy plan, later ones from the best plan so far.

    Parameters
    ----------
    time_limit
        Wall-clock seconds; checked between cycles: the search stops when another cycle as
        long as the last would end past it (the first cycle runs unless the time is out before
        it starts: then the start and a descent only). ``solve_local``'s own ``time_limit``
        argument, when given, takes precedence; its ``stop`` applies as well.
    max_cycles
        Cycles at most.
    patience
        Stop after this many cycles in a row without improvement. ``None``: by the length of a
        cycle's tabu search (:func:`_patience`).
    iterations_per_unit
        Annealing steps per cycle, per unit (attendee or keep-together group).
    tabu_steps
        Tabu steps per cycle; each takes the best move or swap there is. ``None``: as many as
        about ``tabu_work`` evaluations allow (fewer steps on larger dinners).
    tabu_work
        Evaluations per cycle when ``tabu_steps`` is ``None`` (about 0.25 s of work).
    tabu_tenure
        A unit may not return to the table it left for ``tabu_tenure`` to twice as many steps.
        ``None``: by size (4 up to about 200 units, then growing as the square root).
    start_temperature, end_temperature
        Temperatures of the first annealing, in units of a small change of the objective
        (the 10 % quantile of the non-zero pair weights: 1 for plain meeting counts). At 0.7,
        a step costing one unit is taken with probability 0.24; at 0.2, with 0.007.
    reheat
        Later annealings start at this fraction of ``start_temperature``.
    """

    time_limit: float = 10.0
    max_cycles: int = 1000
    patience: int | None = None
    iterations_per_unit: int = 200
    tabu_steps: int | None = None
    tabu_work: float = 5e7
    tabu_tenure: int | None = None
    start_temperature: float = 0.7
    end_temperature: float = 0.2
    reheat: float = 0.6


_QUICK = LocalSearchSettings(max_cycles=1, patience=1, tabu_steps=1000)
"""One short cycle: how the search of table labels compares two labellings
(:func:`seating.solvers.local.labels.solve_labelled`)."""

_STALL = 8000
"""Tabu steps without a new best before the walk restarts from the best plan, shaken by
random swaps (about 2 sqrt(U) of them)."""


def _tabu_steps(units: Units, problem: DinnerProblem, settings: LocalSearchSettings) -> int:
    """Tabu steps per cycle: ``settings.tabu_steps``, or what ``tabu_work`` pays for."""
    if settings.tabu_steps is not None:
        return settings.tabu_steps
    U, T = units.count, problem.num_tables
    if units.size.max(initial=1) == 1 and problem.fairness == 0 and not problem.table_rules.active:
        # The pairs of tables touching the two a step changed are scanned again (2T pairs
        # of about (U / T)^2 swaps), two rows and a few columns of a (T, U) matrix updated,
        # and the T^2 / 2 pairs compared (measured: 7.5 us a step at U = 80, T = 9).
        per_step = 2.0 * U * U / T + 2.0 * U + T * T / 2.0
    else:
        # Groups, fairness or table rules: every move and swap is evaluated at every step, and with
        # fairness each evaluation walks the members of two tables (measured: 20 us and
        # 6 ms a step at U = 80).
        per_step = (U * U / 2.0 + U * T) * (1.0 + (40.0 * U / T if problem.fairness else 0.0))
        if problem.table_rules.active:
            # Each step evaluated recounts the rules at its two tables (about 4 n / T work).
            per_step *= 1.0 + 4.0 * problem.num_attendees / T
    return int(min(500 * U, max(10, settings.tabu_work // per_step)))


_LONG_WALK = 300
"""Tabu steps per unit from which a cycle counts as long (:func:`_patience`)."""


def _patience(units: Units, tabu_steps: int, settings: LocalSearchSettings) -> int:
    """``settings.patience``, or 2 cycles when a cycle's tabu search is long, else 4.

    A long tabu walk (at least :data:`_LONG_WALK` steps per unit) nearly always finds its best
    plan in the first cycle, and later cycles rarely beat it. Measured on synthetic clubs
    (``seating.policies.synthetic``, 10 cycles per seed): patience 2 returned the same plan as 4 on
    every seed at 60 and 90 attendees (500 and 300 steps per unit, 8 seeds each) and at 80
    (the benchmark dinner, 385 steps per unit, 10 seeds), in 60 % of the time; with shorter
    walks later cycles still pay: worse plans than patience 4 at 150 attendees (108 steps per
    unit, 3 of 5 seeds) and at 1,000 (2 steps per unit, 2 of 5 seeds).
    """
    if settings.patience is not None:
        return settings.patience
    return 2 if tabu_steps >= _LONG_WALK * units.count else 4


def _tenure(units: Units, settings: LocalSearchSettings) -> int:
    """Measured best: 4 at 80 attendees (2 and 6 worse), 10 at 1,000 (6 cycles, 14 slower)."""
    if settings.tabu_tenure is not None:
        return settings.tabu_tenure
    return max(4, round(np.sqrt(units.count) / 3))


def _descend(data: tuple, plan: np.ndarray, stop: Stop) -> float:
    """Descend from ``plan`` (in place) until a local optimum or until ``stop`` says stop;
    ``halt`` is set again on return when the descent was cut. Returns its cost."""
    halt = data[-1]
    halt[0] = 0
    with _Deadline(stop, halt):
        return _kernel.search(data, plan.copy(), 0, 0, 0.0, 0.0, plan)


def _repair(data: tuple, plan: np.ndarray) -> float:
    """Descend from ``plan`` (in place) to a local optimum, which holds every rule a plan of
    the dinner can hold (a broken rule costs more than any seat can gain), with ``halt``
    cleared: the deadline cut the descent that would have repaired it. Returns its cost."""
    halt = data[-1]
    halt[0] = 0
    try:
        return _kernel.search(data, plan.copy(), 0, 0, 0.0, 0.0, plan)
    finally:
        halt[0] = 1


def solve_local(
    problem: DinnerProblem,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    initial: np.ndarray | None = None,
    settings: LocalSearchSettings | None = None,
    stop: Stop | None = None,
    pair_form: bool = True,
) -> DinnerOutcome:
    """Seat one dinner with the local search.

    Parameters
    ----------
    problem
        The compiled dinner.
    seed
        Random seed; the same seed gives the same plan when no time limit cuts the search.
    time_limit
        Seconds; overrides ``settings.time_limit`` when given.
    initial
        Optional ``(n,)`` table of each attendee to start from (e.g. a draft plan).
    settings
        Schedule and stopping criteria.
    stop
        A further stop criterion (the budget of the whole call, a cancel flag), checked
        between the annealing and the tabu search of a cycle and between cycles. When it has
        stopped already, the search returns the greedy start (or ``initial``) after a descent.
        The descent of the first plan watches ``stop.graced()`` (:mod:`seating.stop`): cut
        by the deadline, it goes on until the grace of the call is spent too.

    Returns
    -------
    DinnerOutcome
        Status ``feasible`` with the plan, or ``timeout`` (no plan) when the best plan found
        breaks a rule; the local search never proves optimality or infeasibility.
        ``stats["stopped"]`` says why, when a stop criterion or the time limit ended it.
    """
    started = time.perf_counter()
    settings = settings or LocalSearchSettings()
    stop = budget(settings.time_limit if time_limit is None else time_limit, stop)
    units = build_units(problem)
    if units is None:
        return DinnerOutcome(
            status=Status.UNKNOWN,
            method="local",
            stats={"reason": "a keep-together group holds two hosts"},
        )
    if pair_form and reducible(problem):
        outcome = solve_labelled(
            problem,
            solve_local,
            seed=seed,
            time_limit=stop.remaining(),
            initial=initial,
            settings=settings,
            quick=_QUICK,
            stop=stop,
        )
        if outcome is not None:
            outcome.runtime_s = time.perf_counter() - started
            return outcome
    penalty = _penalty(problem)

    start = np.full(units.count, -1, dtype=np.int64)
    # Tried once if the kernel cannot build a start of its own (only groups can block it).
    fallback = units.size.max(initial=1) > 1
    if initial is not None:
        start = np.asarray(initial, dtype=np.int64)[units.members[units.start[:-1]]]
        start[units.fixed >= 0] = units.fixed[units.fixed >= 0]
        if not _fits(start, units, problem):
            start[:] = -1  # an unusable start: build one greedily instead
    rng = np.random.default_rng(seed)
    data = _kernel_data(problem, units, penalty)
    scale = _weight_scale(problem)
    hot, cold = settings.start_temperature * scale, settings.end_temperature * scale
    reheat = max(cold, settings.reheat * hot)
    iterations = settings.iterations_per_unit * units.count
    tabu_steps = _tabu_steps(units, problem, settings)
    tenure = _tenure(units, settings)
    patience = _patience(units, tabu_steps, settings)
    shake = max(10, round(2 * np.sqrt(units.count)))
    best = np.empty(units.count, dtype=np.int64)
    best_cost = np.inf
    cycles = stale = annealed_steps = tabu_done = 0
    cut = ""
    while cycles < settings.max_cycles and stale < patience:
        left = stop.remaining()
        # Out of time (or cancelled) before the first cycle: the start and a descent only,
        # so that there is still a plan.
        late = cycles == 0 and stop.stopped()
        steps = 0 if late else iterations
        annealed = np.empty(units.count, dtype=np.int64)
        t_start = hot if cycles == 0 else reheat
        with _Deadline(stop, data[-1]):
            cost = _kernel.search(
                data, start, int(rng.integers(2**31 - 1)), steps, t_start, cold, annealed
            )
        if data[-1][0] and np.isfinite(cost) and best_cost == np.inf:
            # The deadline cut the descent of the first plan: it goes on until the grace of
            # the call is spent too (seating.stop: a descended start beats a cut one).
            cost = _descend(data, annealed, stop.graced())
        if data[-1][0] and np.isfinite(cost) and violations(problem, annealed[units.of_member]):
            cost = _repair(data, annealed)
        if not np.isfinite(cost) and fallback and (start < 0).all():
            # The kernel seated nobody (a group found no room): not a cycle. Start the first
            # cycle again, hot, from the packing.
            fallback = False
            packed = roomiest_first(problem, units)
            if packed is not None:
                start = packed
                continue
        plan = annealed
        annealed_steps += steps
        if np.isfinite(cost) and tabu_steps > 0 and not (late or stop.stopped()):
            plan = np.empty(units.count, dtype=np.int64)
            seed_k = int(rng.integers(2**31 - 1))
            with _Deadline(stop, data[-1]):
                cost = _kernel.tabu(data, annealed, seed_k, tabu_steps, tenure, _STALL, shake, plan)
            tabu_done += tabu_steps
        cycles += not late
        if cost < best_cost - 1e-9:
            best, best_cost, stale = plan, cost, 0
        else:
            stale += 1
        if not np.isfinite(cost):
            break
        # One check with a cost per cycle (a NoImprovement criterion counts cycles).
        if late or stop.stopped(best_cost):
            cut = stop.reason
            break
        # Stop before a cycle that would end past the limit (cycles take about as long as
        # the last one), not after it: the limit is a limit.
        now = stop.remaining()
        if math.isfinite(left) and now < left - now:
            cut = "time limit"
            break
        start = best
    stats = {
        "cycles": cycles,
        "iterations": annealed_steps,
        "tabu_steps": tabu_done,
        "units": units.count,
        "temperatures": [hot, reheat, cold],
    }
    if cut:
        stats["stopped"] = cut
    runtime = time.perf_counter() - started
    if not np.isfinite(best_cost):
        return DinnerOutcome(
            status=Status.UNKNOWN,
            method="local",
            runtime_s=runtime,
            stats={**stats, "reason": "no table had room for a group"},
        )
    table_of = best[units.of_member]
    if violations(problem, table_of):
        return DinnerOutcome(
            status=Status.UNKNOWN,
            method="local",
            runtime_s=runtime,
            stats={**stats, "reason": "best plan found breaks a rule"},
        )
    return DinnerOutcome(
        status=Status.FEASIBLE,
        table_of=table_of,
        objective=objective(problem, table_of),
        method="local",
        runtime_s=runtime,
        stats=stats,
    )


def warm_up() -> None:
    """Compile both paths of the compiled search into numba's disk cache, or load them.

    Four tiny dinners: single members (the fast path of most dinners), a keep-together
    group with fairness (the general path) and the table rules (language "table" with
    newcomers, language k; the general path with its table-rule terms). ``make`` runs this
    after installing, so that the first ``seating`` command does not pay the compile time;
    later calls only load the cache.
    """
    # Imported here: the solver itself never needs the input models.
    from seating.compile.problem import compile_dinner
    from seating.models import ProblemInput

    spoken = (["nl"], ["fr"], ["nl", "fr"])
    members = [
        {"id": f"m{i}", "company": f"c{i % 3}", "languages": spoken[i % 2 + (i == 5)]}
        for i in range(6)
    ]
    tables = [{"id": "T1", "capacity": 3}, {"id": "T2", "capacity": 3}]
    quick = LocalSearchSettings(max_cycles=1, iterations_per_unit=10, tabu_steps=10)
    languages = {"language": "table", "newcomer_dinners": 1, "max_newcomers_per_table": 1}
    for rules, fairness in (
        ({}, 0.0),
        ({"together": [["m0", "m1"]]}, 1.0),
        (languages, 0.0),
        ({"language": 1}, 0.0),
    ):
        problem = ProblemInput.from_dict({
            "members": members,
            "history": [{"date": "2026-01-01", "tables": [["m0", "m2", "m4"], ["m1", "m3", "m5"]]}],
            "dinners": [{"date": "2026-02-01", "tables": tables}],
            "policy": {"fairness": fairness},
            "rules": {"max_per_company": 1, **rules},
        })  # fmt: skip
        solve_local(compile_dinner(problem, 0), settings=quick)
