"""Simulate seasons of dinners under a policy: the evidence a club board chooses a policy on.

A season is N monthly dinners of a club. Before each dinner some members leave, some new
members join, and each member attends with their own probability; the policy then seats the
dinner, and the seating becomes history for the next one. Who is a member and who attends
depends only on the seed, never on the policy, so policies are compared on the same attendance.

>>> from seating.read import sample_problem
>>> result = simulate(sample_problem(), ["rotate", "random"], dinners=3, seeds=1,
...                   progress=False)  # doctest: +SKIP
>>> result.summary()  # doctest: +SKIP
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from queue import Empty
from typing import Any

import numpy as np
import pandas as pd

from seating.compile.plans import as_past, dinner_plan
from seating.compile.problem import check_references, compile_dinner
from seating.errors import InputError
from seating.models import Dinner, PastDinner, Policy, ProblemInput, Table
from seating.policies.attendance import (
    DEFAULT_ATTENDANCE,
    Calendar,
    Club,
    season_calendar,
    set_chairs,
)
from seating.policies.presets import DEFAULT_K, Circles, PolicyLike, Preset, resolve
from seating.policies.season_metrics import (
    barred_pairs,
    member_table,
    over_season,
    season_metrics,
    summarize,
)
from seating.policies.synthetic import tables_for
from seating.result import DinnerPlan, Result, Status
from seating.solvers.baseline import random_plan
from seating.solvers.local.search import LocalSearchSettings, solve_local

__all__ = [
    "DEFAULT_ATTENDANCE",
    "SEARCH",
    "Calendar",
    "Club",
    "SeasonRun",
    "SimulationResult",
    "season_calendar",
    "set_chairs",
    "simulate",
]
# Club, Calendar, season_calendar, set_chairs and DEFAULT_ATTENDANCE live in
# seating.policies.attendance;
# they stay importable from here, where they were first published.

SEARCH = LocalSearchSettings(time_limit=60.0, max_cycles=3, patience=1, iterations_per_unit=800)
"""Local search per simulated dinner: stops on iteration counts (the time limit is a backstop,
in seconds per planned dinner, unlike :func:`seating.solve`'s budget of the whole call), so a
seed gives the same season on any machine and with any number of processes."""


@dataclass(frozen=True)
class _Task:
    club: Club
    preset: Preset
    seed: int
    dinners: int
    attendance: Mapping[str, float]
    join_rate: float
    leave_rate: float
    newcomer_attendance: float
    use_history: bool
    search: LocalSearchSettings


@dataclass
class SeasonRun:
    """One simulated season: the plans, the attendance behind them, and their metrics.

    Attributes
    ----------
    policy
        Name of the preset (or custom policy) that seated the season.
    seed
        The seed of attendance, membership and solver.
    plans
        The plan of each dinner (table ids and who sits where).
    calendar
        Membership and attendance, dinner by dinner.
    groups
        Keep-together groups in force at each dinner (the circles of ``circles``).
    plan_seconds
        Seconds spent planning each dinner (building the problem and solving it).
    tables
        The tables set at each dinner (chairs as set, spare chairs or tables included).
    metrics
        :func:`seating.policies.season_metrics.season_metrics` of the season.
    over_time
        :func:`seating.policies.season_metrics.over_season` of the season.
    """

    policy: str
    seed: int
    plans: list[DinnerPlan]
    calendar: Calendar
    groups: list[list[list[str]]]
    plan_seconds: list[float]
    metrics: dict[str, float]
    over_time: pd.DataFrame
    club: Club
    preset: Preset
    use_history: bool = True
    tables: list[list[Table]] = field(default_factory=list)

    @property
    def dinners(self) -> list[PastDinner]:
        """The season's seatings as history records."""
        return [as_past(plan) for plan in self.plans]

    @property
    def prior(self) -> list[PastDinner]:
        """The dinners before the season that the policy saw."""
        return list(self.club.history) if self.use_history else []

    def problem(self, k: int) -> ProblemInput:
        """The problem of dinner ``k`` as the policy saw it (for :mod:`seating.explain`)."""
        attendees = list(self.calendar.attendees[k])
        dinner = Dinner(date=self.plans[k].date, attendees=attendees, tables=self.tables[k])
        return _problem(self, k, dinner)

    def result(self, k: int) -> Result:
        """The plan of dinner ``k`` as a :class:`~seating.result.Result`."""
        return Result(status=Status.FEASIBLE, dinners=[self.plans[k]], method=self.policy)


def _problem(run: SeasonRun, k: int, dinner: Dinner) -> ProblemInput:
    rules = run.club.rules
    if run.groups[k]:
        rules = rules.model_copy(update={"together": [*rules.together, *run.groups[k]]})
    return ProblemInput(
        members=run.calendar.members_at(k),
        history=[*run.prior, *(as_past(p) for p in run.plans[:k])],
        dinners=[dinner],
        policy=run.preset.policy or Policy(repeat_weight=0.0),
        rules=rules,
    )


@dataclass
class SimulationResult:
    """Seasons simulated under one or more policies, one per seed.

    Attributes
    ----------
    runs
        Every season, policy by policy, seed by seed.
    seconds
        Wall-clock seconds of the whole simulation.
    """

    runs: list[SeasonRun]
    seconds: float = 0.0

    @property
    def metrics(self) -> pd.DataFrame:
        """One row per policy and seed; columns ``policy``, ``seed`` and the season metrics."""
        rows = [{"policy": r.policy, "seed": r.seed, **r.metrics} for r in self.runs]
        return pd.DataFrame(rows)

    @property
    def over_time(self) -> pd.DataFrame:
        """Coverage, strong ties and contacts after each dinner, per policy and seed (long)."""
        frames = [r.over_time.assign(policy=r.policy, seed=r.seed) for r in self.runs]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    @property
    def history(self) -> list[PastDinner]:
        """The first season's seatings (the only one when one policy ran with one seed)."""
        return self.runs[0].dinners

    @property
    def policies(self) -> list[str]:
        """The policies simulated, in order."""
        return list(dict.fromkeys(r.policy for r in self.runs))

    def run(self, policy: str, seed: int | None = None) -> SeasonRun:
        """The season of ``policy`` (with ``seed``, default: the first seed)."""
        for r in self.runs:
            if r.policy == policy and (seed is None or r.seed == seed):
                return r
        raise InputError(f"policy: no season simulated for {policy!r} (seed {seed})")

    def summary(self) -> pd.DataFrame:
        """Median of each metric over seeds, one row per policy."""
        return summarize(self.metrics)

    def member_table(self) -> pd.DataFrame:
        """Per member of each season: dinners attended, contacts, new contacts, strong ties."""
        frames = [
            member_table(
                r.dinners, members=[m.id for m in r.calendar.members], prior=r.prior
            ).assign(policy=r.policy, seed=r.seed)
            for r in self.runs
        ]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def simulate(
    club: ProblemInput | Mapping[str, Any] | Club,
    policy: PolicyLike | Sequence[PolicyLike] = "rotate",
    *,
    dinners: int = 24,
    seeds: int | Sequence[int] = 1,
    attendance: float | Mapping[str, float] | None = None,
    join_rate: float = 0.0,
    leave_rate: float = 0.0,
    newcomer_attendance: float | None = None,
    history: bool = True,
    k: int = DEFAULT_K,
    processes: int | None = None,
    progress: bool = True,
    search: LocalSearchSettings | None = None,
) -> SimulationResult:
    """Simulate seasons of ``dinners`` monthly dinners of ``club`` under one or more policies.

    Parameters
    ----------
    club
        A planning problem (members, history, rules; its first dinner gives the table sizes
        and the hosts), the same as parsed JSON, or a :class:`~seating.policies.attendance.Club`.
    policy
        A preset name (see :mod:`seating.policies.presets`), a preset, a policy, or a list of them.
    dinners
        Dinners per season (>= 0).
    seeds
        How many seeds (``0 .. seeds-1``) or the seeds themselves; one season per seed and
        policy. A seed fixes attendance and membership for every policy alike.
    attendance
        Probability in [0, 1] that a member attends a dinner: one for everyone, or per member
        id. Default: each member's share of the club's past dinners (0.65 without history).
    join_rate
        Expected new members per dinner (Poisson, >= 0).
    leave_rate
        Probability in [0, 1] that a member leaves before a dinner.
    newcomer_attendance
        Attendance probability of new members; default: the median of the members'.
    history
        Whether the policy sees the club's past dinners. Breadth metrics count the season
        only; strong ties and "new" contacts count the past dinners too.
    k
        Target meetings of ``deepen-to-k``.
    processes
        Worker processes (default: one per season, at most the machine's cores); 1 runs
        everything in this process.
    progress
        Show a progress bar (on standard error).
    search
        Local search settings per dinner (default :data:`SEARCH`, iteration-bounded); its
        ``time_limit`` is seconds per planned dinner, not for the whole simulation.

    Returns
    -------
    SimulationResult
        The seasons, their histories, and the metrics table (``.metrics``, ``.summary()``).

    Raises
    ------
    InputError
        Unknown preset, k < 1, negative dinners, probabilities outside [0, 1], ...
    """
    started = time.perf_counter()
    if not isinstance(club, Club):
        club = Club.from_problem(club)
    items = policy if isinstance(policy, list | tuple) else [policy]
    if not items:
        raise InputError("policy: give at least one policy or preset")
    presets = [resolve(p, k=k) for p in items]
    names = [p.name for p in presets]
    if len(set(names)) != len(names):
        raise InputError(f"policy: a policy is listed twice ({', '.join(names)})")
    dinners = _whole(dinners, "dinners", low=0)
    seed_list = _seeds(seeds)
    rates = _attendance(club, attendance)
    join_rate = _number(join_rate, "join_rate", low=0.0)
    leave_rate = _number(leave_rate, "leave_rate", low=0.0, high=1.0)
    if newcomer_attendance is None:
        newcomer_attendance = float(np.median(list(rates.values()))) if rates else 0.0
    newcomer_attendance = _number(newcomer_attendance, "newcomer_attendance", 0.0, 1.0)
    if processes is not None:
        processes = _whole(processes, "processes", low=1)

    tasks = [
        _Task(
            club=club,
            preset=preset,
            seed=seed,
            dinners=dinners,
            attendance=rates,
            join_rate=join_rate,
            leave_rate=leave_rate,
            newcomer_attendance=newcomer_attendance,
            use_history=history,
            search=search or SEARCH,
        )
        for preset in presets
        for seed in seed_list
    ]
    runs = _execute(tasks, processes, progress)
    return SimulationResult(runs=runs, seconds=time.perf_counter() - started)


def _number(value: Any, name: str, low: float, high: float = math.inf) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: expected a number (got {value!r})") from None
    if not math.isfinite(number) or not low <= number <= high:
        span = f"in [{low:g}, {high:g}]" if math.isfinite(high) else f">= {low:g}"
        raise InputError(f"{name}: must be {span} (got {value!r})")
    return number


def _whole(value: Any, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InputError(f"{name}: expected a whole number (got {value!r})")
    if value < low:
        raise InputError(f"{name}: must be at least {low} (got {value})")
    return int(value)


def _seeds(seeds: int | Sequence[int]) -> list[int]:
    if isinstance(seeds, int | np.integer) and not isinstance(seeds, bool):
        return list(range(_whole(seeds, "seeds", low=1)))
    seed_list = [_whole(s, "seeds", low=0) for s in seeds]
    if not seed_list:
        raise InputError("seeds: give at least one seed")
    if len(set(seed_list)) != len(seed_list):
        raise InputError("seeds: a seed is listed twice")
    return seed_list


def _attendance(club: Club, attendance: float | Mapping[str, float] | None) -> dict[str, float]:
    ids = [m.id for m in club.members]
    if attendance is None:
        if not club.history:
            return dict.fromkeys(ids, DEFAULT_ATTENDANCE)
        came = {m: 0 for m in ids}
        for dinner in club.history:
            for table in dinner.tables:
                for member in table:
                    came[member] += 1
        return {m: came[m] / len(club.history) for m in ids}
    if isinstance(attendance, Mapping):
        known = set(ids)
        for member in attendance:
            if member not in known:
                raise InputError(f"attendance: unknown member id {member!r}")
        return {
            m: _number(attendance.get(m, DEFAULT_ATTENDANCE), f"attendance[{m!r}]", 0.0, 1.0)
            for m in ids
        }
    return dict.fromkeys(ids, _number(attendance, "attendance", 0.0, 1.0))


def _run_season(task: _Task, advance: Callable[[int], None] | None = None) -> SeasonRun:
    """Plan every dinner of one season in turn; each seating becomes history for the next."""
    club, preset = task.club, task.preset
    calendar = season_calendar(
        club,
        task.dinners,
        task.seed,
        task.attendance,
        join_rate=task.join_rate,
        leave_rate=task.leave_rate,
        newcomer_attendance=task.newcomer_attendance,
    )
    solver_seeds = np.random.default_rng([task.seed, 2]).integers(2**31 - 1, size=task.dinners)
    circles = None
    if preset.circle_size is not None:
        circles = Circles(club.members, preset.circle_size, club.rules, club.hosts, task.seed)
    run = SeasonRun(
        policy=preset.name,
        seed=task.seed,
        plans=[],
        calendar=calendar,
        groups=[],
        plan_seconds=[],
        metrics={},
        over_time=pd.DataFrame(),
        club=club,
        preset=preset,
        use_history=task.use_history,
    )
    for d in range(task.dinners):
        started = time.perf_counter()
        if circles is not None:
            for member in (m for m, when in calendar.left.items() if when == d):
                circles.leave(member)
            for member in (m for m in calendar.members if calendar.joined.get(m.id) == d):
                circles.join(member)
        run.groups.append(circles.groups(calendar.attendees[d]) if circles else [])
        plan, tables = _plan_dinner(run, d, int(solver_seeds[d]), task.search)
        run.plans.append(plan)
        run.tables.append(tables)
        run.plan_seconds.append(time.perf_counter() - started)
        if advance is not None:
            advance(1)
        elif _QUEUE is not None:
            _QUEUE.put(1)

    season = run.dinners
    run.metrics = season_metrics(
        season,
        members=[m.id for m in calendar.members],
        prior=run.prior,
        joined=list(calendar.joined),
        # The bound holds for any seating at the club's tables, whatever chairs are set.
        capacities=[tables_for(len(a), club.table_sizes) for a in calendar.attendees],
        barred=barred_pairs(calendar.members, club.rules),
        plan_seconds=run.plan_seconds,
    )
    run.over_time = over_season(season, members=[m.id for m in calendar.members], prior=run.prior)
    return run


def _plan_dinner(
    run: SeasonRun, d: int, seed: int, search: LocalSearchSettings
) -> tuple[DinnerPlan, list[Table]]:
    calendar = run.calendar
    date, attendees = calendar.dates[d], list(calendar.attendees[d])
    if not attendees:
        return DinnerPlan(date=date, tables=[]), []
    # Chairs are set for exactly the guests; when the rules (keep-together circles, one per
    # company) cannot be met that way, the organiser adds a chair per table, then a table.
    for spare in range(4):
        tables = _spare_chairs(list(calendar.tables[d]), run.club.table_sizes, spare)
        problem = _problem(run, d, Dinner(date=date, attendees=attendees, tables=tables))
        check_references(problem)
        compiled = compile_dinner(problem, 0)
        if not run.preset.uses_solver:
            table_of = random_plan(compiled, seed=seed)
            return dinner_plan(compiled, table_of), tables
        outcome = solve_local(compiled, seed=seed, time_limit=search.time_limit, settings=search)
        if outcome.status.has_plan:
            return dinner_plan(compiled, outcome.table_of, outcome.objective), tables
    raise InputError(f"dinner {date}: no seating holds the club's rules, even with spare chairs")


def _spare_chairs(tables: list[Table], sizes: Sequence[int], spare: int) -> list[Table]:
    """``spare`` more chairs per table (as far as the tables are large), and from 3 on a table."""
    if spare == 0:
        return tables
    physical = tables_for(sum(t.capacity for t in tables), sizes)
    out = [
        t.model_copy(update={"capacity": max(t.capacity, min(t.capacity + spare, size))})
        for t, size in zip(tables, [*physical, *[max(sizes)] * len(tables)], strict=False)
    ]
    if spare >= 3:
        out.append(Table(id=f"T{len(tables) + 1}", capacity=min(sizes)))
    return out


_QUEUE: Any = None
"""In a worker process: where to report each planned dinner (the parent's progress bar)."""


def _init_worker(queue: Any) -> None:
    global _QUEUE
    _QUEUE = queue


def _execute(tasks: list[_Task], processes: int | None, progress: bool) -> list[SeasonRun]:
    total = sum(t.dinners for t in tasks)
    workers = min(len(tasks), processes or os.cpu_count() or 1)
    if workers == 1:
        with _Bar(progress, total, len(tasks)) as advance:
            return [_run_season(task, advance) for task in tasks]
    # The platform's start method (fork on Linux before Python 3.14): scripts that spawn
    # need the usual `if __name__ == "__main__":` guard.
    context = multiprocessing.get_context()
    queue = context.Queue() if progress else None
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(queue,)
    ) as pool:
        futures = [pool.submit(_run_season, task) for task in tasks]
        # The bar's refresh thread starts only now, after the workers were started.
        with _Bar(progress, total, len(tasks)) as advance:
            pending = set(futures)
            while pending:
                _, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                while queue is not None:
                    try:
                        advance(queue.get_nowait())
                    except Empty:
                        break
        return [f.result() for f in futures]


class _Bar:
    """A rich progress bar on standard error, or nothing."""

    def __init__(self, show: bool, total: int, seasons: int) -> None:
        self.show, self.total, self.seasons = show, total, seasons

    def __enter__(self) -> Callable[[int], None]:
        if not self.show:
            return lambda _: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.progress.start()
        label = f"simulating {self.seasons} season{'s' if self.seasons > 1 else ''}"
        task = self.progress.add_task(label, total=self.total)
        return lambda n: self.progress.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self.show:
            self.progress.stop()
