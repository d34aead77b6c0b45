"""Table types and tables (the columns of the set-partitioning model) of one compiled dinner.

A plan of a dinner is a set of tables, one per physical table, that seats every attendee once.
Physical tables that admit the same sets are one *type*: each table with a host (or members
pinned to it, :func:`seating.adjust.apply_pins`) is a type of its own, with a count of one,
and the other tables of one capacity share a type with a count (the number of such tables).
A table's cost is its share of the objective: the pair weights of the pairs it seats plus the
fairness penalty of its members (their repeat
loads depend only on their own table), so the objective of a plan is the sum of its tables'
costs.

:class:`Pricing` holds the dinner as the arrays of the compiled search
(:func:`~seating.solvers.colgen.pricing.search_tables`) and runs it for one type.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seating.compile.problem import NO_LIMIT, DinnerProblem
from seating.compile.table_rules import TABLE, table_violations
from seating.solvers.colgen import pricing


@dataclass(frozen=True)
class TableType:
    """Physical tables that admit the same sets of attendees.

    Attributes
    ----------
    tables
        Indices of the physical tables of this type.
    capacity
        Their capacity.
    fixed
        The attendees every table of the type seats (its host, pinned members); empty for
        tables without any.
    """

    tables: tuple[int, ...]
    capacity: int
    fixed: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        """How many tables of this type a plan has."""
        return len(self.tables)


def table_types(dinner: DinnerProblem) -> list[TableType]:
    """The table types of ``dinner``: tables with fixed members one each, the others by
    capacity."""
    fixed: dict[int, list[int]] = {}
    for i, t in enumerate(dinner.host_table):
        if t >= 0:
            fixed.setdefault(int(t), []).append(i)
    types: list[TableType] = []
    free: dict[int, list[int]] = {}
    for t in range(dinner.num_tables):
        capacity = int(dinner.capacity[t])
        if t in fixed:
            types.append(TableType((t,), capacity, tuple(fixed[t])))
        else:
            free.setdefault(capacity, []).append(t)
    types.extend(TableType(tuple(ts), capacity) for capacity, ts in sorted(free.items()))
    return types


def table_cost(dinner: DinnerProblem, members: np.ndarray) -> float:
    """The objective of one table seating ``members``: pair weights plus fairness."""
    members = np.asarray(members, dtype=np.int64)
    block = dinner.weights[np.ix_(members, members)]
    cost = float(np.triu(block, 1).sum())
    if dinner.fairness:
        met = dinner.met_before[np.ix_(members, members)].copy()
        np.fill_diagonal(met, False)
        load = met.sum(axis=1).astype(np.float64)
        cost += float(dinner.fairness * (load**2).sum())
    return cost


def table_holds_rules(dinner: DinnerProblem, kind: TableType, members: np.ndarray) -> bool:
    """Whether ``members`` may sit at a table of type ``kind``: every hard rule of one table
    (the same rules as :func:`~seating.compile.objective.violations`, for one table)."""
    members = np.asarray(members, dtype=np.int64)
    if members.size == 0 or members.size > kind.capacity:
        return False
    if set(kind.fixed) != {int(i) for i in members if dinner.host_table[i] >= 0}:
        return False
    inside = np.zeros(dinner.num_attendees, dtype=bool)
    inside[members] = True
    if any(0 < inside[group].sum() < group.size for group in dinner.groups):
        return False
    if dinner.forbidden[np.ix_(members, members)].any():
        return False
    for codes, limit in (
        (dinner.company, dinner.max_per_company),
        (dinner.industry, dinner.max_per_industry),
    ):
        known = codes[members][codes[members] >= 0]
        if limit != NO_LIMIT and known.size and np.bincount(known).max() > limit:
            return False
    rules = dinner.table_rules
    if rules.active:
        if table_violations(rules, members):
            return False
        if rules.language > 0:
            share = rules.shares()[np.ix_(members, members)]
            if (share.sum(axis=1) < rules.language).any():
                return False
    return True


class Pricing:
    """The dinner as the compiled search's arrays, and that search for one table type.

    Parameters
    ----------
    dinner
        The compiled dinner.
    """

    def __init__(self, dinner: DinnerProblem) -> None:
        n = dinner.num_attendees
        self.dinner = dinner
        self.types = table_types(dinner)
        self.W = np.ascontiguousarray(dinner.weights, dtype=np.float64)
        self.forbid = np.ascontiguousarray(dinner.forbidden, dtype=np.bool_)
        self.met = np.ascontiguousarray(dinner.met_before, dtype=np.bool_)
        self.comp = np.ascontiguousarray(dinner.company, dtype=np.int64)
        self.ind = np.ascontiguousarray(dinner.industry, dtype=np.int64)
        self.group_of = np.full(n, -1, dtype=np.int64)
        for g, group in enumerate(dinner.groups):
            self.group_of[group] = g
        self.group_size = np.array([g.size for g in dinner.groups], dtype=np.int64)
        rules = dinner.table_rules
        self.lang_mode = int(rules.language)
        if rules.language != 0 and rules.speaks.shape[0] == n:
            self.speaks = np.ascontiguousarray(rules.speaks, dtype=np.bool_)
            self.share = np.ascontiguousarray(rules.shares(), dtype=np.bool_)
        else:
            self.lang_mode = 0
            self.speaks = np.ones((n, 0), dtype=np.bool_)
            self.share = np.ones((n, n), dtype=np.bool_)
        if self.lang_mode == TABLE and self.speaks.shape[1] == 0:
            self.lang_mode = 0  # nobody lists a language: everyone speaks every language
        self.newcomer_rule = bool(rules.newcomer_dinners is not None and rules.newcomer.size)
        if self.newcomer_rule:
            self.newcomer = np.ascontiguousarray(rules.newcomer, dtype=np.bool_)
            self.anchor = np.ascontiguousarray(rules.anchor, dtype=np.bool_)
        else:
            self.newcomer = np.zeros(n, dtype=np.bool_)
            self.anchor = np.ones(n, dtype=np.bool_)
        self.max_newcomers = int(rules.max_newcomers) if self.newcomer_rule else 0
        self.hosts = dinner.host_table >= 0
        off = self.W[~np.eye(n, dtype=bool)] if n > 1 else np.zeros(1)
        self.wmin = float(min(0.0, off.min(initial=0.0)))
        # Whether every subset of an allowed table is allowed (capacity, hosts and the pair
        # and label limits only shrink) and costs no more: then pricing may skip candidates
        # that cannot lower a table's value.
        self.hereditary = (
            not dinner.groups
            and not self.newcomer_rule
            and self.lang_mode <= 0
            and self.wmin == 0.0
        )

    def search(
        self,
        kind: TableType,
        pi: np.ndarray,
        threshold: float,
        *,
        enumerate_all: bool = False,
        max_out: int = 64,
        node_limit: int = 2_000_000,
    ) -> tuple[list[tuple[tuple[int, ...], float]], int, float, int]:
        """Tables of ``kind`` with value ``cost - pi[S].sum()`` below ``threshold``.

        Returns
        -------
        tuple
            ``(tables, status, best, nodes)``: each table as ``(sorted members, cost)`` (the
            cost without the duals), :data:`~seating.solvers.colgen.pricing.COMPLETE` /
            ``NODE_LIMIT`` / ``FULL``, the lowest value found (``threshold`` if none), nodes.
        """
        cand = np.nonzero(~self.hosts)[0]
        # Most attractive first, so that good tables come early and the threshold falls fast.
        cand = cand[np.argsort(-pi[cand], kind="stable")].astype(np.int64)
        base = np.array(kind.fixed, dtype=np.int64)
        out, values, count, status, best, nodes = pricing.search_tables(
            cand,
            base,
            int(kind.capacity),
            self.W,
            np.ascontiguousarray(pi, dtype=np.float64),
            self.forbid,
            self.comp,
            int(self.dinner.max_per_company),
            self.ind,
            int(self.dinner.max_per_industry),
            self.met,
            float(self.dinner.fairness),
            self.group_of,
            self.group_size,
            self.lang_mode,
            self.speaks,
            self.share,
            self.newcomer,
            self.anchor,
            self.newcomer_rule,
            self.max_newcomers,
            self.wmin,
            float(threshold),
            enumerate_all,
            int(max_out),
            int(node_limit),
            not enumerate_all and self.hereditary,
        )
        kept = min(count, max_out)
        tables = []
        for r in range(kept):
            members = tuple(sorted(int(x) for x in out[r] if x >= 0))
            tables.append((members, float(values[r] + pi[list(members)].sum())))
        return tables, int(status), float(best), int(nodes)
