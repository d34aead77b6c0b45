"""Adjust a draft plan: pin members to tables, re-optimise around pins, and re-seat after late
changes (cancellations, walk-ins, a table removed) moving as few people as possible.

Pins are compiled like hosts (``DinnerProblem.host_table``), which every solver already holds
fixed. Re-seating solves its own small CP-SAT model: every hard rule of the dinner (the dinner
model's own rule families, :mod:`seating.solvers.cpsat.constraints`), and an objective that
first minimises the number of people who leave their draft table, then (as a tie-break) the
pair cost against the draft's table mates; a local search then improves where the movers sit
while everyone else stays put. Each move comes with a reason a person can read.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from seating.compile.objective import objective, violations
from seating.compile.plans import table_index
from seating.compile.problem import NO_LIMIT, DinnerProblem, check_references, compile_dinner
from seating.errors import InputError
from seating.models import ProblemInput
from seating.result import Result, Status
from seating.solvers.dinner import default_workers, result_of, solve_cpsat, solve_dinner
from seating.solvers.local.search import LocalSearchSettings, solve_local
from seating.solvers.outcome import DinnerOutcome
from seating.stop import Stop, budget


@dataclass(frozen=True)
class Move:
    """One person whose seat changed: ``from_table`` is None for someone newly seated."""

    member: str
    name: str
    from_table: str | None
    to_table: str
    why: str


@dataclass(frozen=True)
class Adjustment:
    """A re-seated plan and what changed against the draft.

    Attributes
    ----------
    result
        The new plan (status ``feasible`` or ``optimal``; or why there is none).
    moves
        People from the draft who sit at another table now, each with the reason.
    seated
        People who had no seat in the draft (walk-ins), with their table.
    minimal
        True when the number of moves is proven to be the fewest the rules allow.
    """

    result: Result
    moves: list[Move]
    seated: list[Move]
    minimal: bool


def apply_pins(dinner: DinnerProblem, pins: Mapping[str, str]) -> DinnerProblem:
    """The dinner with each pinned member held at their table (as a host is)."""
    if not pins:
        return dinner
    index = {m: i for i, m in enumerate(dinner.member_ids)}
    tables = {t: k for k, t in enumerate(dinner.table_ids)}
    host_table = dinner.host_table.copy()
    for member, table in pins.items():
        if member not in index:
            raise InputError(f"pin: member {member!r} does not attend this dinner")
        if table not in tables:
            raise InputError(f"pin: {member!r} is pinned to table {table!r}, which does not exist")
        i, t = index[member], tables[table]
        if host_table[i] >= 0 and host_table[i] != t:
            hosted = dinner.table_ids[host_table[i]]
            raise InputError(f"pin: {member!r} hosts table {hosted!r} and cannot move to {table!r}")
        host_table[i] = t
    host_table.setflags(write=False)
    return dataclasses.replace(dinner, host_table=host_table)


def _explain(outcome: DinnerOutcome, pins: Mapping[str, str]) -> DinnerOutcome:
    """Name pins as pins (CP-SAT reports them as hosts) in the reason for no plan."""
    if outcome.reason:
        for member, table in pins.items():
            outcome.reason = outcome.reason.replace(
                f"host {member!r} at table {table!r}", f"pin {member!r} to table {table!r}"
            )
    return outcome


def solve_pinned(
    problem: ProblemInput,
    pins: Mapping[str, str] | None = None,
    *,
    method: str = "auto",
    time_limit: float = 10.0,
    seed: int = 0,
    num_workers: int = 1,
    initial: Mapping[str, str] | None = None,
    stop: Stop | None = None,
) -> Result:
    """Plan the first dinner of ``problem`` with some members pinned to tables.

    Parameters
    ----------
    problem
        The dinner (its first entry of ``dinners``), history, policy and rules.
    pins
        Member id -> table id; each pinned member sits there, everyone else is free.
    method, time_limit, seed, num_workers
        As for :func:`seating.solve`; ``time_limit`` is the budget of the whole call.
    initial
        Member id -> table id of a plan to start from (e.g. the draft).
    stop
        Stops the search early (e.g. a :class:`~seating.stop.CancelFlag`); the best plan so
        far is returned.
    """
    started = time.perf_counter()
    pins = dict(pins or {})
    check_references(problem)
    dinner = apply_pins(compile_dinner(problem, 0), pins)
    start = None if initial is None else table_index(dinner, initial)
    outcome = solve_dinner(
        dinner,
        method=method,
        time_limit=max(0.0, time_limit - (time.perf_counter() - started)),
        seed=seed,
        num_workers=num_workers,
        initial=start,
        stop=stop,
    )
    return result_of(dinner, _explain(outcome, pins), time.perf_counter() - started)


# -- re-seating with the fewest moves ------------------------------------------------------


def _fewest_moves(
    dinner: DinnerProblem,
    draft_at: np.ndarray,
    time_limit: float,
    seed: int,
    workers: int,
    stop: Stop | None = None,
) -> tuple[np.ndarray | None, bool, str]:
    """CP-SAT: every rule holds; minimise moves, then pair cost with the draft's table mates.

    The rules are the dinner model's own families (:mod:`seating.solvers.cpsat.constraints`) on
    the same seat variables; only the objective is re-seating's. Returns the plan (or None),
    whether it is proven optimal (or, without a plan, proven infeasible), and the solver status
    name.
    """
    # Imported here: OR-Tools is slow to import, and only re-seating needs it.
    from ortools.sat.python import cp_model

    from seating.solvers.cpsat.constraints import add_rules, seat_everyone
    from seating.solvers.cpsat.watch import seconds_left, solve_watched

    n, T = dinner.num_attendees, dinner.num_tables
    model = cp_model.CpModel()
    x = seat_everyone(model, dinner)
    add_rules(model, dinner, x)

    # Tie-break: the cost of sitting at each table with the people the draft put there.
    seated = draft_at >= 0
    at_table = np.zeros((n, T))
    at_table[np.nonzero(seated)[0], draft_at[seated]] = 1.0
    cost = dinner.weights @ at_table
    scale = 1.0 if np.allclose(cost, np.round(cost)) else 1000.0
    cost = np.round(cost * scale).astype(np.int64)
    big = int((cost.max(axis=1) - cost.min(axis=1)).sum()) + 1
    moved = [x[i, int(draft_at[i])].Not() for i in np.nonzero(seated)[0]]
    tie = [int(cost[i, t]) * x[i, t] for i in range(n) for t in range(T) if cost[i, t]]
    model.minimize(big * sum(moved) + sum(tie))
    for i in np.nonzero(seated)[0]:
        for t in range(T):
            model.add_hint(x[i, t], int(draft_at[i] == t))

    if stop is not None and stop.stopped():
        return None, False, "UNKNOWN"
    solver = cp_model.CpSolver()
    # Ctrl-C ends the whole command (seating.cli.interrupt), not just this solve.
    solver.parameters.catch_sigint_signal = False
    solver.parameters.max_time_in_seconds = max(0.05, seconds_left(time_limit, stop))
    solver.parameters.num_workers = max(1, int(workers))
    solver.parameters.random_seed = int(seed) % (2**31)
    code, _ = solve_watched(solver, model, stop)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, code == cp_model.INFEASIBLE, solver.status_name(code)
    table_of = np.array(
        [next(t for t in range(T) if solver.boolean_value(x[i, t])) for i in range(n)],
        dtype=np.int64,
    )
    return table_of, code == cp_model.OPTIMAL, solver.status_name(code)


def _polish(
    dinner: DinnerProblem, table_of: np.ndarray, stay: np.ndarray, seed: int, time_limit: float
) -> np.ndarray:
    """Improve where the movers sit, everyone who stays held at their table."""
    free = ~stay & (dinner.host_table < 0)
    if not free.any():
        return table_of
    held = np.where(stay, table_of, dinner.host_table)
    held.setflags(write=False)
    fixed = dataclasses.replace(dinner, host_table=held)
    outcome = solve_local(
        fixed,
        seed=seed,
        time_limit=time_limit,
        initial=table_of,
        settings=LocalSearchSettings(max_cycles=20, patience=3),
    )
    if (
        outcome.status.has_plan
        and not violations(dinner, outcome.table_of)
        and objective(dinner, outcome.table_of) < objective(dinner, table_of) - 1e-9
    ):
        return outcome.table_of
    return table_of


def _why(
    dinner: DinnerProblem,
    i: int,
    old: int,
    table_of: np.ndarray,
    draft_at: np.ndarray,
    pins: Mapping[str, str],
) -> str:
    """A readable reason why attendee ``i`` left draft table ``old``."""
    ids, names, tables = dinner.member_ids, dinner.names, dinner.table_ids
    member = ids[i]
    if member in pins and pins[member] != tables[old]:
        return f"pinned to {pins[member]}"
    arrivals = [j for j in np.nonzero(table_of == old)[0] if draft_at[j] != old]

    def who(j: int) -> str:
        came = "walk-in" if draft_at[j] < 0 else f"from {tables[draft_at[j]]}"
        return f"{names[j]} ({came})"

    for j in arrivals:
        if dinner.host_table[j] == old and ids[j] not in pins:
            return f"{who(j)} hosts {tables[old]}"
    for j in arrivals:
        if (i, j) in dinner.apart_pairs or (j, i) in dinner.apart_pairs:
            return f"kept apart from {who(j)}, who joined {tables[old]}"
        if dinner.forbidden[i, j]:
            return f"sat with {who(j)} at a recent dinner (cooldown); they joined {tables[old]}"
    for codes, names_of, limit, what in (
        (dinner.company, dinner.company_names, dinner.max_per_company, "company"),
        (dinner.industry, dinner.industry_names, dinner.max_per_industry, "industry"),
    ):
        if limit == NO_LIMIT or codes[i] < 0:
            continue
        same = [j for j in arrivals if codes[j] == codes[i]]
        if same:
            label = names_of[codes[i]]
            return f"same {what} ({label}) as {who(same[0])}, who joined {tables[old]}"
    for group in dinner.groups:
        if i in group:
            partner = next((int(j) for j in group if j != i), None)
            if partner is not None:
                return f"keeps together with {names[partner]}"
    if arrivals:
        listed = ", ".join(who(j) for j in arrivals[:3])
        return f"made room at {tables[old]} for {listed}"
    return "needed so that every rule holds"


def reseat(
    problem: ProblemInput,
    draft: Mapping[str, str],
    pins: Mapping[str, str] | None = None,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    num_workers: int = 1,
    removed_tables: Mapping[str, str] | None = None,
    stop: Stop | None = None,
) -> Adjustment:
    """Re-seat the first dinner of ``problem`` moving as few people from ``draft`` as possible.

    Parameters
    ----------
    problem
        The dinner as it is now: attendees after cancellations and walk-ins, tables after
        removals, with history, policy and rules.
    draft
        Member id -> table id of the draft plan. Members no longer attending are ignored;
        members not in it (walk-ins) are seated where they fit best.
    pins
        Member id -> table id that must hold.
    time_limit
        Seconds for the whole call: at most 80 % of what is left after compiling goes to the
        CP-SAT model of the fewest moves, the rest to a short local search on the movers (or,
        without a plan, to finding out why).
    seed, num_workers
        For the CP-SAT model (the seed also for the local search).
    removed_tables
        Table id -> reason, for tables of the draft that are gone (used in explanations).
    stop
        A criterion that ends the call early (e.g. a :class:`~seating.stop.CancelFlag`); the
        best plan found so far is returned, not proven to move the fewest people.

    Returns
    -------
    Adjustment
        The plan, the moves with their reasons, and the newly seated.
    """
    started = time.perf_counter()
    whole = budget(time_limit, stop)
    pins = dict(pins or {})
    check_references(problem)
    dinner = apply_pins(compile_dinner(problem, 0), pins)
    draft_at = table_index(dinner, draft)
    moves_limit = 0.8 * whole.remaining()
    table_of, minimal, status = _fewest_moves(
        dinner, draft_at, moves_limit, seed, num_workers, stop
    )
    if table_of is None:
        # The dinner model, unlike the move model, knows why rules clash (or finds a plan).
        outcome = solve_cpsat(
            dinner,
            time_limit=whole.remaining(),
            seed=seed,
            num_workers=default_workers(),
            stop=stop,
        )
        if outcome.status.has_plan:  # the rules allow a plan; the move model ran out of time
            reason = "no plan found within the time limit"
            outcome = DinnerOutcome(status=Status.UNKNOWN, method="reseat", reason=reason)
        else:
            outcome = _explain(outcome, pins)
            outcome.method = "reseat"
        return Adjustment(result_of(dinner, outcome, time.perf_counter() - started), [], [], False)

    stats = {"cpsat_status": status}
    if whole.stopped():
        stats["stopped"] = whole.reason
    else:
        stay = (draft_at >= 0) & (table_of == draft_at)
        table_of = _polish(dinner, table_of, stay, seed, whole.remaining())
    outcome = DinnerOutcome(
        status=Status.FEASIBLE,
        table_of=table_of,
        objective=objective(dinner, table_of),
        method="reseat",
        stats=stats,
    )
    result = result_of(dinner, outcome, time.perf_counter() - started)

    removed = dict(removed_tables or {})
    moves: list[Move] = []
    seated: list[Move] = []
    for i, member in enumerate(dinner.member_ids):
        new = dinner.table_ids[table_of[i]]
        if draft_at[i] >= 0:
            if table_of[i] != draft_at[i]:
                why = _why(dinner, i, int(draft_at[i]), table_of, draft_at, pins)
                moves.append(Move(member, dinner.names[i], dinner.table_ids[draft_at[i]], new, why))
        elif member in draft:
            old = draft[member]
            why = removed.get(old, f"table {old} is no longer available")
            moves.append(Move(member, dinner.names[i], old, new, why))
        else:
            seated.append(Move(member, dinner.names[i], None, new, "new attendee"))
    return Adjustment(result, moves, seated, minimal)
