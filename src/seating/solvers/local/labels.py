"""The table rules as pair rules, so that the fast path of the local search can hold them.

The compiled search has a fast path (single members, no fairness, no table rules) that keeps
the best step of every pair of tables and rescans only what a step changed, and a general path
that evaluates every move and swap at every step and recounts the table rules at the two tables
each step touches. On the language benchmark dinner (``benchmarks/rules.py``) the general path
got about 400 tabu steps a cycle where the fast path gets 30,000. Seated here, the median plan
of 5 seeds has 69 repeats against 73 on the general path (newcomers: 40 against 47); most of
the rest of the rule's cost against the dinner without it (52) is the languages' own: the same
fast search keeping only the pairs who share no language apart gets 68 (``docs/benchmarks.md``,
"Table rules and courses").

Here the rules become pair rules on a larger dinner that the fast path seats:

- ``rules.language = "table"`` with a *label* per table (the language everyone at it will
  speak): one placeholder attendee hosts each table, seated at no cost, and may not sit with
  anyone who does not speak the table's label (a keep-apart pair). Every plan of that dinner
  holds the language rule; the best label per table is searched (:func:`solve_labelled`);
- newcomers with ``max_newcomers_per_table = 1``: newcomers are kept apart pairwise. With one
  newcomer at a table of two or more, the others are anchors (hosts or members who are not
  newcomers), so the anchor rule holds too unless the newcomer sits alone; the plan is checked
  against the real rules at the end anyway.

Dinners with other table rules (``language = k``, a newcomer cap above one, keep-together
groups, fairness) stay on the general path.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from seating.compile.objective import objective, violations
from seating.compile.problem import DinnerProblem
from seating.compile.table_rules import TABLE, TableRules
from seating.result import Status
from seating.solvers.outcome import DinnerOutcome
from seating.stop import Stop, budget


def reducible(problem: DinnerProblem) -> bool:
    """Whether the table rules of ``problem`` can be written as pair rules here."""
    rules = problem.table_rules
    if not rules.active or problem.groups or problem.fairness > 0:
        return False
    if rules.language not in (0, TABLE):
        return False
    return not (rules.newcomers_ruled and rules.max_newcomers != 1)


def _languages(problem: DinnerProblem) -> bool:
    rules = problem.table_rules
    return rules.language == TABLE and rules.speaks.shape[1] > 0


def allowed_labels(problem: DinnerProblem) -> list[np.ndarray]:
    """Per table, the languages its label may take: those its host speaks, or any."""
    speaks = problem.table_rules.speaks
    out = [np.arange(speaks.shape[1]) for _ in range(problem.num_tables)]
    for i in np.nonzero(problem.host_table >= 0)[0]:
        t = int(problem.host_table[i])
        out[t] = np.intersect1d(out[t], np.nonzero(speaks[i])[0])
    return out


def labels_of(problem: DinnerProblem, table_of: np.ndarray) -> np.ndarray:
    """The label of each table in a plan: the language most people at it speak (among the
    table's allowed ones), ties to the language more attendees speak."""
    speaks = problem.table_rules.speaks
    overall = speaks.sum(axis=0)
    labels = np.zeros(problem.num_tables, dtype=np.int64)
    for t, allowed in enumerate(allowed_labels(problem)):
        if allowed.size == 0:
            allowed = np.arange(speaks.shape[1])
        here = speaks[table_of == t][:, allowed].sum(axis=0)
        labels[t] = allowed[np.lexsort((-overall[allowed], -here))[0]]
    return labels


def balanced_labels(problem: DinnerProblem) -> np.ndarray:
    """Labels without a plan: each table, hosted ones first, takes the allowed language whose
    speakers are most short of seats, counting seats as the capacity of the tables labelled
    so far; a member who speaks k languages needs 1/k seat of each."""
    speaks = problem.table_rules.speaks.astype(np.float64)
    spoken = np.maximum(speaks.sum(axis=1, keepdims=True), 1.0)
    need = (speaks / spoken).sum(axis=0)
    seats = np.zeros(speaks.shape[1])
    labels = np.zeros(problem.num_tables, dtype=np.int64)
    allowed = allowed_labels(problem)
    hosted = problem.host_table[problem.host_table >= 0]
    order = [*sorted(set(hosted.tolist())), *(t for t in range(problem.num_tables)
                                             if t not in set(hosted.tolist()))]  # fmt: skip
    for t in order:
        options = allowed[t] if allowed[t].size else np.arange(speaks.shape[1])
        short = need[options] - seats[options]
        labels[t] = options[int(np.argmax(short))]
        seats[labels[t]] += problem.capacity[t]
    return labels


def pair_form(problem: DinnerProblem, labels: np.ndarray | None) -> DinnerProblem:
    """The dinner with its table rules as pair rules: a placeholder attendee hosting each
    table (when ``labels`` is given), newcomers kept apart; no table rules left.

    The placeholders come after the real attendees (indices ``n .. n + T - 1``), so a plan of
    this dinner restricted to its first ``n`` entries is a plan of ``problem``.
    """
    n, T = problem.num_attendees, problem.num_tables
    rules = problem.table_rules
    extra = T if labels is not None else 0
    size = n + extra
    forbidden = np.zeros((size, size), dtype=bool)
    forbidden[:n, :n] = problem.forbidden
    if rules.newcomers_ruled:
        fresh = np.nonzero(rules.newcomer)[0]
        forbidden[np.ix_(fresh, fresh)] = True
        forbidden[fresh, fresh] = False
    if labels is not None:
        for t in range(T):
            strangers = ~rules.speaks[:, labels[t]]
            forbidden[n + t, :n] = strangers
            forbidden[:n, n + t] = strangers
    weights = np.zeros((size, size))
    weights[:n, :n] = problem.weights
    meetings = np.zeros((size, size), dtype=problem.meetings.dtype)
    meetings[:n, :n] = problem.meetings
    pad = np.full(extra, -1, dtype=np.int64)
    return dataclasses.replace(
        problem,
        member_ids=problem.member_ids + tuple(f"(table {t})" for t in range(extra)),
        names=problem.names + tuple(f"(table {t})" for t in range(extra)),
        capacity=problem.capacity + (1 if extra else 0),
        host_table=np.concatenate((problem.host_table, np.arange(extra))).astype(np.int64),
        weights=weights,
        meetings=meetings,
        forbidden=forbidden,
        company=np.concatenate((problem.company, pad)).astype(problem.company.dtype),
        industry=np.concatenate((problem.industry, pad)).astype(problem.industry.dtype),
        table_rules=TableRules(),
    )


def _extend(problem: DinnerProblem, table_of: np.ndarray | None, labelled: bool):
    if table_of is None or not labelled:
        return table_of
    return np.concatenate((table_of, np.arange(problem.num_tables))).astype(np.int64)


def solve_labelled(
    problem: DinnerProblem,
    solve,
    *,
    seed: int,
    time_limit: float,
    initial: np.ndarray | None,
    settings,
    quick,
    stop: Stop | None,
) -> DinnerOutcome | None:
    """Seat ``problem`` through its pair form; ``None`` when that gives no plan holding the
    real rules (the caller then runs the general path).

    With the language rule, the labels start from ``initial`` (its tables' best-shared
    languages) and from :func:`balanced_labels`, whichever a short search (``quick``) of the
    pair form seats better; then each table's label is changed to
    each allowed language in turn, keeping a change when a short search (``quick``) of the
    pair form finds a better plan, until no change helps; the last search runs with
    ``settings`` from the best plan found. ``solve`` is :func:`~.search.solve_local`.
    """
    stop = budget(time_limit, stop)
    n = problem.num_attendees
    if not _languages(problem):
        form = pair_form(problem, None)
        outcome = solve(form, seed=seed, time_limit=stop.remaining(), initial=initial,
                        settings=settings, stop=stop)  # fmt: skip
        return _back(problem, outcome, n, {})
    start = initial
    allowed = allowed_labels(problem)
    if any(a.size == 0 for a in allowed):
        return None
    # From the plan to start from, or balanced when there is none.
    labels = labels_of(problem, start) if start is not None else balanced_labels(problem)
    tried = 0

    def attempt(candidate: np.ndarray, plan: np.ndarray | None):
        nonlocal tried
        tried += 1
        form = pair_form(problem, candidate)
        out = solve(form, seed=seed, time_limit=stop.remaining(), settings=quick,
                    initial=_extend(problem, plan, True), stop=stop)  # fmt: skip
        if out.table_of is None:
            return math.inf, None
        return float(out.objective), out.table_of[:n]

    best_cost, best_plan = attempt(labels, start)
    if start is not None:
        other = balanced_labels(problem)
        if not np.array_equal(other, labels):
            cost, plan = attempt(other, None)
            if cost < best_cost:
                labels, best_cost, best_plan = other, cost, plan
    improved = True
    # Half of the budget for the labels at most: the last search needs the rest.
    labelling = stop.within(0.5 * stop.remaining()) if math.isfinite(stop.remaining()) else stop
    while improved and not labelling.stopped():
        improved = False
        for t in range(problem.num_tables):
            for lang in allowed[t]:
                if lang == labels[t] or labelling.stopped():
                    continue
                candidate = labels.copy()
                candidate[t] = lang
                cost, plan = attempt(candidate, best_plan)
                if cost < best_cost - 1e-9:
                    labels, best_cost, best_plan, improved = candidate, cost, plan, True
    form = pair_form(problem, labels)
    outcome = solve(form, seed=seed, time_limit=stop.remaining(), settings=settings,
                    initial=_extend(problem, best_plan, True), stop=stop)  # fmt: skip
    names = problem.table_rules.language_names
    stats = {"labels": [names[k] for k in labels], "label_searches": tried}
    return _back(problem, outcome, n, stats)


def _back(
    problem: DinnerProblem, outcome: DinnerOutcome, n: int, stats: dict
) -> DinnerOutcome | None:
    """The pair form's outcome as an outcome of ``problem``, or ``None`` if it breaks a rule."""
    if outcome.table_of is None:
        return None
    table_of = outcome.table_of[:n]
    if violations(problem, table_of):
        return None
    return DinnerOutcome(
        status=Status.FEASIBLE,
        table_of=table_of,
        objective=objective(problem, table_of),
        method="local",
        runtime_s=outcome.runtime_s,
        stats={**outcome.stats, **stats, "pair_form": True},
    )
