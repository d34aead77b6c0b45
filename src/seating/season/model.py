"""A whole season compiled to the arrays of the compiled tabu search (:mod:`._tabu`).

Players are the members who attend at least one planned dinner (global index order of
``problem.members``); empty seats are dummy players. The season objective of the core (each
dinner's objective with the earlier planned dinners as history) is a quadratic form over
"pair p sits together at dinner k" when ``target_meetings`` is unset and ``fairness`` is 0; the
model is then *exact*: its cost on a plan that holds every rule is the season objective minus a
constant (the keep-together rewards). Otherwise (also with introductions, the soft recency
penalty or the newcomer rule) it is a surrogate with the same repeat weight, and the planner
judges plans by the exact objective only. The table rules (language, newcomers) and guests are
not in the model at all: the planner leaves the compiled tabu search out when they apply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from seating.compile.history import meeting_history
from seating.compile.problem import DinnerProblem, _merge_groups, compile_dinner
from seating.errors import InputError
from seating.models import ProblemInput

MEMORY_LIMIT = 4 * 2**30
"""Seasons whose arrays would need more than this many bytes are refused."""


def memory_estimate(players: int, dinners: int, tables: int) -> int:
    """Bytes the planner needs, roughly: pair matrices of the model, the search and the checks."""
    return 72 * players**2 + 8 * dinners * players * tables + 16 * dinners * players


def check_size(players: int, dinners: int, tables: int, what: str = "season") -> None:
    """Raise :class:`InputError` naming the size when a season is too large to hold in memory."""
    need = memory_estimate(players, dinners, tables)
    if need > MEMORY_LIMIT:
        raise InputError(
            f"{what} too large to plan in memory: {players} people over {dinners} dinners "
            f"need about {need / 2**30:.1f} GiB (limit {MEMORY_LIMIT / 2**30:.0f} GiB)"
        )


SETUP_SECONDS_PER_PAIR = 2.5e-7
"""Seconds, at the least, of the season planner's work outside its searches (the model, the
bounds, the first greedy start, evaluating the start), per pair of people per dinner: the
golf 100-10-20 season (1,000 people, 20 dinners) spent 9 to 16 s there whatever its time
limit (profile in ``docs/benchmarks.md``, "Time limits"); this constant puts it at 5 s, the
low end, so that only a limit that cannot be kept is refused."""


def check_time(players: int, dinners: int, time_limit: float, what: str = "season") -> None:
    """Raise :class:`InputError` naming the size when a season cannot even be set up within
    twice ``time_limit`` (and would run on far past it instead)."""
    need = SETUP_SECONDS_PER_PAIR * players * players * dinners
    if need > max(2.0 * time_limit, 2.0):
        raise InputError(
            f"{what} too large for a time limit of {time_limit:g} s: {players:,} people over "
            f"{dinners} dinners need at least about {math.ceil(need)} s to plan; give a time "
            f"limit of {math.ceil(need)} s or more"
        )


def _global_codes(values: list[str | None]) -> np.ndarray:
    labels: dict[str, int] = {}
    codes = np.full(len(values), -1, dtype=np.int64)
    for i, value in enumerate(values):
        if value is None or not value.strip():
            continue
        codes[i] = labels.setdefault(value.strip().casefold(), len(labels))
    return codes


@dataclass
class SeasonModel:
    """The season as kernel data, and how to move between kernel seats and dinner plans."""

    problem: ProblemInput
    dinners: list[DinnerProblem]  # compiled with history only: attendee order, tables, hosts
    player_ids: tuple[str, ...]
    local: list[np.ndarray]  # per dinner: global player index of each attendee
    data: tuple
    num_players: int
    num_dummies: int
    max_tables: int
    max_capacity: int
    exact: bool
    together_constant: float
    history_counts: np.ndarray  # (N, N) meetings in the history
    history_age: np.ndarray  # (N, N) evenings since the last meeting in the history (0 = last)
    pair_base: np.ndarray  # (R, R) cost of a pair together at both dinners (no cooldown)
    evening: np.ndarray  # (R,) evening of each dinner: 0, 1, ... (the courses of one share it)

    @property
    def num_dinners(self) -> int:
        return len(self.dinners)

    def with_triple_weight(self, weight: float) -> SeasonModel:
        """This model with every planned meeting of a pair beyond the second costing
        ``weight`` more (uniform seasons only; the model is then a surrogate).

        The season objective of the golf case is ``sum over pairs C(m, 2)`` = repeats plus the
        number of pairs meeting three times: it cannot tell "one pair meets three times" from
        "one more pair never meets". Weighting the third meeting steers the search to plans
        where no pair meets three times.
        """
        if weight <= 0 or not self.data[8]:
            return self
        fd = self.data[9].copy()
        fd[2:] += weight * fd[1]
        data = (*self.data[:9], fd, *self.data[10:])
        return replace(self, data=data, exact=False)

    def seats(self, plans: list[np.ndarray]) -> np.ndarray:
        """``(R, T, K)`` kernel seats from per-dinner ``table_of`` arrays (attendee order)."""
        R, T, K = self.num_dinners, self.max_tables, self.max_capacity
        tab = np.full((R, T, K), -1, dtype=np.int64)
        for k, (dinner, table_of) in enumerate(zip(self.dinners, plans, strict=True)):
            fill = np.zeros(T, dtype=np.int64)
            for i, t in enumerate(np.asarray(table_of)):
                tab[k, t, fill[t]] = self.local[k][i]
                fill[t] += 1
            dummy = self.num_players
            for t in range(dinner.num_tables):
                while fill[t] < dinner.capacity[t]:
                    tab[k, t, fill[t]] = dummy
                    fill[t] += 1
                    dummy += 1
        return tab

    def plans(self, tab: np.ndarray) -> list[np.ndarray]:
        """Per-dinner ``table_of`` arrays (attendee order) from kernel seats."""
        out = []
        for k, dinner in enumerate(self.dinners):
            position = np.full(self.num_players, -1, dtype=np.int64)
            position[self.local[k]] = np.arange(dinner.num_attendees)
            table_of = np.full(dinner.num_attendees, -1, dtype=np.int64)
            for t in range(dinner.num_tables):
                for x in tab[k, t]:
                    if 0 <= x < self.num_players:
                        table_of[position[x]] = t
            out.append(table_of)
        return out

    def new_state(self, tab: np.ndarray) -> tuple:
        """A kernel state tuple for seats ``tab`` (call ``_tabu.rebuild`` on it)."""
        R, T = self.num_dinners, self.max_tables
        N, P = self.num_players, self.num_players + self.num_dummies
        comp, ind = self.data[11], self.data[13]
        return (
            np.full((R, P), -1, dtype=np.int64),
            tab.copy(),
            np.zeros((R, P), dtype=np.int64),
            np.zeros((N, N), dtype=np.int64),
            np.zeros((R, N, T), dtype=np.float64),
            np.zeros((R, T, max(1, int(comp.max(initial=-1)) + 1)), dtype=np.int64),
            np.zeros((R, T, max(1, int(ind.max(initial=-1)) + 1)), dtype=np.int64),
        )


def build_model(problem: ProblemInput) -> SeasonModel:
    """Compile ``problem`` (references already checked) to a :class:`SeasonModel`."""
    R = len(problem.dinners)
    dinners = [compile_dinner(problem, k) for k in range(R)]
    attending = {m for d in dinners for m in d.member_ids}
    player_ids = tuple(m.id for m in problem.members if m.id in attending)
    index = {m: i for i, m in enumerate(player_ids)}
    N = len(player_ids)
    T = max(d.num_tables for d in dinners)
    K = int(max(d.capacity.max() for d in dinners))
    check_size(N, R, T)
    local = [np.array([index[m] for m in d.member_ids], dtype=np.int64) for d in dinners]
    E = max(int(d.capacity.sum()) - d.num_attendees for d in dinners)
    P = N + E

    policy, rules = problem.policy, problem.rules
    r = policy.repeat_weight
    hl = policy.half_life
    hist = meeting_history(problem.history, index, half_life=hl)
    # Every earlier meeting is worth -r (faded with the half-life); target and fairness are
    # approximated by this linear form (then the model is a surrogate).
    scale = -r
    Hf = scale * (hist.faded if hl is not None else hist.counts.astype(np.float64))
    # Ages count evenings, as the core does (seating.compile.history): the rounds of one date
    # (the courses of a dinner) are one evening, and an earlier course of the same evening is
    # of age 0, like the evening before it.
    ev = evening_numbers([d.date for d in problem.dinners])
    hscale = 0.5 ** (ev / hl) if hl is not None else np.ones(R)
    gap = np.abs(ev[:, None] - ev[None, :])
    age = np.maximum(gap - 1, 0)
    bbase = scale * (0.5 ** (age / hl) if hl is not None else np.ones((R, R)))
    np.fill_diagonal(bbase, 0.0)
    big = float(np.abs(Hf).max(initial=0.0) * hscale.max() + R * np.abs(bbase).max(initial=0.0))
    pen = 10.0 * (1.0 + K * big)
    # A cooldown past every dinner, or a limit past everyone, is no limit: clamped, they fit
    # the compiled kernels' int64 without changing which plans are allowed.
    cooldown = min(rules.cooldown or 0, 1 << 40)
    apart = ~np.eye(R, dtype=bool)
    bmat = bbase + np.where((age < cooldown) & apart, pen, 0.0)
    off = bmat[~np.eye(R, dtype=bool)]
    uniform = bool(off.size == 0 or np.all(off == off[0]))
    b0 = float(off[0]) if off.size else 0.0
    # Uniform seasons: a pair's k-th planned meeting costs fd[k - 1] (linear: k - 1 times the
    # repeat weight); the search may make it convex (see SeasonModel.with_triple_weight).
    fd = b0 * np.arange(R + 2, dtype=np.float64)

    Apen = np.zeros((N, N), dtype=np.float64)
    for a, b in rules.apart:
        if a in index and b in index:
            Apen[index[a], index[b]] = Apen[index[b], index[a]] = pen
    together_pairs = np.zeros((N, N), dtype=bool)
    for group in _merge_groups(rules.together):
        idx = [index[m] for m in group if m in index]
        together_pairs[np.ix_(idx, idx)] = True
    np.fill_diagonal(together_pairs, False)
    Apen -= pen * together_pairs
    # The reward for keep-together pairs is a constant on plans that hold the rule.
    constant = 0.0
    for k in range(R):
        present = local[k]
        constant += pen * np.triu(together_pairs[np.ix_(present, present)], 1).sum()

    La = np.minimum(hist.last_age.astype(np.int64), 1 << 40)
    by_id = {m.id: m for m in problem.members}
    comp = np.full(P, -1, dtype=np.int64)
    ind = np.full(P, -1, dtype=np.int64)
    comp[:N] = _global_codes([by_id[m].company for m in player_ids])
    ind[:N] = _global_codes([by_id[m].industry for m in player_ids])

    cap = np.zeros((R, T), dtype=np.int64)
    fixed = np.zeros((R, P), dtype=np.int64)
    for k, d in enumerate(dinners):
        cap[k, : d.num_tables] = d.capacity
        fixed[k, local[k][d.host_table >= 0]] = 1
    data = (
        cap,
        fixed,
        Hf,
        hscale.astype(np.float64),
        Apen,
        La,
        int(cooldown),
        bmat.astype(np.float64),
        uniform,
        fd,
        float(pen),
        comp,
        min(rules.max_per_company or 0, P),
        ind,
        min(rules.max_per_industry or 0, P),
        int(N),
        ev,
    )
    # Introductions, the soft recency penalty and the newcomer rule (who is a newcomer at
    # dinner k depends on dinners 0 .. k-1) are outside this quadratic form.
    exact = (
        policy.target_meetings is None
        and policy.fairness == 0
        and not policy.introduce
        and policy.recent_penalty == 0
        and rules.newcomer_dinners is None
    )
    return SeasonModel(
        problem=problem,
        dinners=dinners,
        player_ids=player_ids,
        local=local,
        data=data,
        num_players=N,
        num_dummies=E,
        max_tables=T,
        max_capacity=K,
        exact=exact,
        together_constant=float(constant),
        history_counts=hist.counts.astype(np.int64),
        history_age=La,
        pair_base=bbase.astype(np.float64),
        evening=ev,
    )


def evening_numbers(dates: list) -> np.ndarray:
    """``(R,)`` int64: the evening of each planned dinner, counting from 0 and one up at each
    change of date (consecutive dinners of one date are the courses of one evening)."""
    out = np.zeros(len(dates), dtype=np.int64)
    for k in range(1, len(dates)):
        out[k] = out[k - 1] + (dates[k] != dates[k - 1])
    return out
