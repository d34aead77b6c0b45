"""Table rules written as pair rules (solvers/local/labels.py): every plan of the pair form holds
the real rules, and the local search takes that path only where it applies."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import FAST, base_problem, brute_force, compiled
from seating.compile.objective import violations
from seating.compile.table_rules import table_violations
from seating.result import Status
from seating.solvers.local.labels import allowed_labels, labels_of, pair_form, reducible
from seating.solvers.local.search import solve_local

SPOKEN = (["nl"], ["fr"], ["nl", "fr"], ["fr", "en"], ["nl"], ["fr"], ["nl", "en"], ["en", "fr"])


def _languages(rules: dict, host: str | None = "m1") -> dict:
    data = base_problem(8, (4, 4))
    for member, spoken in zip(data["members"], SPOKEN, strict=True):
        member["languages"] = spoken
    if host:
        data["dinners"][0]["tables"][0]["host"] = host
    data["rules"] = {"max_per_company": None, **rules}
    data["history"] = [{"date": "2026-01-01", "tables": [["m1", "m2", "m3", "m4"],
                                                         ["m5", "m6", "m7", "m8"]]}]  # fmt: skip
    return data


def test_a_host_limits_the_labels_of_their_table():
    p = compiled(_languages({"language": "table"}))
    names = p.table_rules.language_names
    allowed = allowed_labels(p)
    assert [names[k] for k in allowed[0]] == ["nl"]  # m1 speaks only Dutch
    assert sorted(names[k] for k in allowed[1]) == ["en", "fr", "nl"]


def test_every_plan_of_the_pair_form_holds_the_language_rule():
    """Brute force over the pair form with each labelling: its feasible plans, cut to the real
    attendees, break no rule of the real dinner; and some labelling finds the real optimum."""
    p = compiled(_languages({"language": "table"}))
    exact = brute_force(p)
    best = np.inf
    for a in allowed_labels(p)[0]:
        for b in allowed_labels(p)[1]:
            form = pair_form(p, np.array([a, b]))
            assert not form.table_rules.active
            found = brute_force(form)
            for plan in found.plans[found.feasible]:
                assert violations(p, plan[: p.num_attendees]) == []
            if found.is_feasible:
                best = min(best, found.best)
    assert best == pytest.approx(exact.best)


def test_labels_of_a_plan_are_languages_everyone_at_the_table_speaks():
    p = compiled(_languages({"language": "table"}))
    exact = brute_force(p)
    plan = exact.plans[exact.feasible][0]
    labels = labels_of(p, plan)
    for t, label in enumerate(labels):
        assert p.table_rules.speaks[plan == t, label].all()
        assert table_violations(p.table_rules, np.nonzero(plan == t)[0]) == []


@pytest.mark.parametrize(
    ("rules", "pairs"),
    [
        ({"language": "table"}, True),
        ({"newcomer_dinners": 1, "max_newcomers_per_table": 1}, True),
        ({"language": "table", "newcomer_dinners": 1, "max_newcomers_per_table": 1}, True),
        ({"language": 1}, False),
        ({"newcomer_dinners": 1, "max_newcomers_per_table": 2}, False),
        ({"newcomer_dinners": 1}, False),
    ],
)
def test_the_search_takes_the_pair_form_only_where_it_applies(rules, pairs):
    data = _languages(rules)
    data["history"][0]["tables"] = [["m1", "m2", "m3"], ["m4", "m5", "m6"]]  # m7, m8 are new
    p = compiled(data)
    assert reducible(p) is pairs
    exact = brute_force(p)
    outcome = solve_local(p, seed=3, settings=FAST)
    assert outcome.status is Status.FEASIBLE
    assert violations(p, outcome.table_of) == []
    assert outcome.objective >= exact.best - 1e-9
    assert outcome.stats.get("pair_form", False) is pairs
