"""The objective and the hard rules, evaluated from scratch on a plan.

This is the reference every solver is checked against: a solver's reported objective must equal
:func:`objective` of its plan, and :func:`violations` of its plan must be empty.
"""

from __future__ import annotations

import numpy as np

from seating.compile.problem import NO_LIMIT, DinnerProblem
from seating.compile.table_rules import table_violations


def same_table(table_of: np.ndarray) -> np.ndarray:
    """``(n, n)`` bool: i and j sit at the same table (diagonal False)."""
    together = table_of[:, None] == table_of[None, :]
    np.fill_diagonal(together, False)
    return together


def mates_met_before(met_before: np.ndarray, table_of: np.ndarray) -> np.ndarray:
    """``(n,)`` number of table mates each seated person has met before.

    Parameters
    ----------
    met_before
        ``(n, n)`` bool, the pair sat together before.
    table_of
        ``(n,)`` the table of each person.
    """
    return (same_table(table_of) & met_before).sum(axis=1)


def repeat_load(problem: DinnerProblem, table_of: np.ndarray) -> np.ndarray:
    """``(n,)`` number of table mates each attendee has met before."""
    return mates_met_before(problem.met_before, table_of)


def pair_cost(problem: DinnerProblem, table_of: np.ndarray) -> float:
    """Sum of pair weights over every pair seated at one table."""
    return float(np.triu(np.where(same_table(table_of), problem.weights, 0.0), 1).sum())


def fairness_cost(problem: DinnerProblem, table_of: np.ndarray) -> float:
    """``fairness * sum(load ** 2)`` over attendees (0 when fairness is 0)."""
    if problem.fairness == 0:
        return 0.0
    load = repeat_load(problem, table_of).astype(np.float64)
    return float(problem.fairness * (load**2).sum())


def objective(problem: DinnerProblem, table_of: np.ndarray) -> float:
    """The value a solver minimises: pair costs plus the fairness penalty."""
    return pair_cost(problem, table_of) + fairness_cost(problem, table_of)


def violations(problem: DinnerProblem, table_of: np.ndarray) -> list[str]:
    """Every hard rule the plan breaks, one readable line each; empty when feasible."""
    table_of = np.asarray(table_of)
    ids, tables = problem.member_ids, problem.table_ids
    found: list[str] = []
    if table_of.shape != (problem.num_attendees,):
        return [f"plan seats {table_of.shape} attendees, expected {problem.num_attendees}"]
    if table_of.min(initial=0) < 0 or table_of.max(initial=0) >= problem.num_tables:
        return ["plan names a table that does not exist"]
    sizes = np.bincount(table_of, minlength=problem.num_tables)
    for t in np.nonzero(sizes > problem.capacity)[0]:
        found.append(f"table {tables[t]!r} seats {sizes[t]} > capacity {problem.capacity[t]}")
    for i in np.nonzero(problem.host_table >= 0)[0]:
        if table_of[i] != problem.host_table[i]:
            found.append(f"host {ids[i]!r} is not at table {tables[problem.host_table[i]]!r}")
    for group in problem.groups:
        if np.unique(table_of[group]).size > 1:
            if (pair := problem.guest_pair_of(group)) is not None:
                guest, inviter = (ids[i] for i in pair)
                found.append(f"guest {guest!r} does not sit with {inviter!r}, who invited them")
            else:
                found.append(f"keep-together group {[ids[i] for i in group]} is split")
    ii, jj = np.nonzero(np.triu(same_table(table_of) & problem.forbidden, 1))
    for i, j in zip(ii, jj, strict=True):
        found.append(f"{ids[i]!r} and {ids[j]!r} may not sit together (apart or cooldown)")
    for codes, limit, names, what in (
        (problem.company, problem.max_per_company, problem.company_names, "company"),
        (problem.industry, problem.max_per_industry, problem.industry_names, "industry"),
    ):
        if limit == NO_LIMIT:
            continue
        known = codes >= 0
        if not known.any():
            continue
        counts = np.zeros((problem.num_tables, len(names)), dtype=np.int64)
        np.add.at(counts, (table_of[known], codes[known]), 1)
        for t, c in zip(*np.nonzero(counts > limit), strict=True):
            found.append(
                f"table {tables[t]!r} seats {counts[t, c]} of {what} {names[c]!r} (max {limit})"
            )
    rules = problem.table_rules
    if rules.active:
        for t in range(problem.num_tables):
            for clause in table_violations(rules, np.nonzero(table_of == t)[0]):
                found.append(f"table {tables[t]!r}: {clause}")
        if rules.language > 0:
            mates = (same_table(table_of) & rules.shares()).sum(axis=1)
            for i in np.nonzero(mates < rules.language)[0]:
                found.append(
                    f"{ids[i]!r} shares a language with {mates[i]} table mate(s), "
                    f"fewer than {rules.language}"
                )
    return found
