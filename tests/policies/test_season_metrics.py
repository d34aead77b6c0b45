"""Season metrics on tiny hand-made histories whose values are worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from seating.errors import InputError
from seating.models import Member, PastDinner, Rules
from seating.policies.season_metrics import (
    METRIC_COLUMNS,
    barred_pairs,
    coverage_bound,
    gini,
    meeting_counts,
    member_index,
    member_table,
    most_pairs,
    over_season,
    pair_matrix,
    season_metrics,
    summarize,
)


def dinners(*seatings: list[list[str]]) -> list[PastDinner]:
    start = dt.date(2027, 1, 1)
    return [
        PastDinner(date=start + dt.timedelta(days=30 * k), tables=tables)
        for k, tables in enumerate(seatings)
    ]


# a-b meet twice, c-d, a-c and b-d once; c sits alone at the second dinner.
SEASON = dinners(
    [["a", "b"], ["c", "d"]],
    [["a", "b"], ["c"]],
    [["a", "c"], ["b", "d"]],
)
MEMBERS = ["a", "b", "c", "d"]


def test_counts_and_pair_matrix():
    index = member_index(SEASON, MEMBERS)
    counts = meeting_counts(SEASON, index)
    assert counts[0, 1] == counts[1, 0] == 2
    assert counts[2, 3] == counts[0, 2] == counts[1, 3] == 1
    assert counts[0, 3] == counts[1, 2] == 0
    assert (np.diag(counts) == 0).all()
    matrix = pair_matrix(SEASON)
    assert list(matrix.index) == MEMBERS
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()


def test_season_metrics_by_hand():
    m = season_metrics(SEASON, members=MEMBERS, strong=2)
    assert set(m) == set(METRIC_COLUMNS)
    assert m["dinners"] == 3 and m["members"] == 4
    assert m["pair_coverage"] == pytest.approx(4 / 6)
    assert m["contacts_mean"] == 2 and m["contacts_min"] == 2
    assert m["strong_ties"] == 1  # a-b
    # Seats: 4 + 3 + 4; only a and b at the second dinner sit with someone met before.
    assert m["repeat_load"] == pytest.approx(2 / 11)
    # New contacts per dinner attended: a, b, c 2/3 each, d 2/2.
    assert m["new_contacts_gini"] == pytest.approx(1 / 12)
    assert m["met_new_each_year"] == 1.0
    assert np.isnan(m["coverage_bound"]) and np.isnan(m["plan_seconds"])
    assert np.isnan(m["newcomer_dinners_to_k"]) and m["newcomers"] == 0


def test_members_who_never_came_count_in_coverage_only():
    m = season_metrics(SEASON, members=[*MEMBERS, "e"])
    assert m["pair_coverage"] == pytest.approx(4 / 10)
    assert m["contacts_min"] == 2  # e attended nothing: not in the contact statistics


def test_prior_dinners_make_meetings_repeats_but_not_season_meetings():
    prior = dinners([["a", "b", "c", "d"]])
    m = season_metrics(SEASON, members=MEMBERS, prior=prior, strong=2)
    assert m["pair_coverage"] == pytest.approx(4 / 6)  # season meetings only
    assert m["repeat_load"] == pytest.approx(10 / 11)  # every mate met before; c sat alone once
    assert m["met_new_each_year"] == 0.0
    assert m["new_contacts_gini"] == 0.0
    # Strong ties count all meetings: a-b 3, and c-d, a-c, b-d 2 each.
    assert m["strong_ties"] == 4
    frame = over_season(SEASON, members=MEMBERS, prior=prior, strong=2)
    assert frame["strong_ties"].tolist() == [2, 2, 4]


def test_met_new_each_year():
    season = dinners([["a", "b"], ["c", "d"]], [["a", "c"], ["b", "d"]], [["a", "b"], ["c", "d"]])
    # Year 1 (dinners 1-2): everyone meets someone new; year 2 (dinner 3): nobody does.
    m = season_metrics(season, members=MEMBERS, dinners_per_year=2)
    assert m["met_new_each_year"] == 0.5


def test_newcomer_integration():
    # d attends dinners 1 and 3 and reaches 2 contacts at its second dinner.
    m = season_metrics(SEASON, members=MEMBERS, joined=["d"], newcomer_k=2)
    assert m["newcomers"] == 1 and m["newcomer_dinners_to_k"] == 2
    # Nobody reaches 3 contacts: the median is infinite.
    m = season_metrics(SEASON, members=MEMBERS, joined=["c", "d"], newcomer_k=3)
    assert m["newcomer_dinners_to_k"] == np.inf


def test_plan_seconds_mean():
    m = season_metrics(SEASON, plan_seconds=[1.0, 2.0, 3.0])
    assert m["plan_seconds"] == 2.0


def test_gini():
    assert gini([]) == 0.0
    assert gini([0, 0]) == 0.0
    assert gini([3, 3, 3]) == pytest.approx(0.0)
    assert gini([0, 0, 1]) == pytest.approx(2 / 3)
    with pytest.raises(InputError):
        gini([-1, 2])


def test_most_pairs_fills_largest_tables_first():
    assert most_pairs([3, 2], 4) == 3  # 3 + 1 beats 2 + 2
    assert most_pairs([10, 8], 12) == 45 + 1
    assert most_pairs([4], 0) == 0


def test_coverage_bound_by_hand():
    index = member_index(SEASON, MEMBERS)
    caps = [[2, 2], [2, 2], [2, 2]]
    # Tables of two: each dinner seats at most 2 pairs (the second only 1, three attend).
    assert coverage_bound(SEASON, caps, index) == min(6, 2 + 1 + 2, 4 * 3 // 2)
    barred = np.zeros((4, 4), dtype=bool)
    barred[0, 1] = barred[1, 0] = True
    assert coverage_bound(SEASON, [[4], [4], [4]], index, barred) == 5
    m = season_metrics(SEASON, members=MEMBERS, capacities=caps)
    assert m["coverage_bound"] == pytest.approx(5 / 6)
    assert m["pair_coverage"] <= m["coverage_bound"]


def test_coverage_bound_per_member():
    # a attends one dinner at a table of 2: a can meet one person however the club seats it.
    season = dinners([["a", "b"], ["c", "d"]], [["b", "c"], ["d"]])
    index = member_index(season, MEMBERS)
    bound = coverage_bound(season, [[2, 2], [2, 2]], index)
    assert bound == 3  # by dinner: 2 + 1
    assert coverage_bound(season, [[4], [4]], index) == (3 + 3 + 3 + 3) // 2


def test_barred_pairs():
    members = [
        Member(id="a", company="Acme"),
        Member(id="b", company=" acme "),
        Member(id="c", company="Beta", industry="IT"),
        Member(id="d", industry="it"),
    ]
    assert barred_pairs(members, Rules()) == [("a", "b")]
    rules = Rules(max_per_company=2, max_per_industry=1, apart=[("a", "d")])
    assert sorted(barred_pairs(members, rules)) == [("a", "d"), ("c", "d")]


def test_over_season_is_cumulative():
    frame = over_season(SEASON, members=MEMBERS, strong=2)
    assert list(frame["dinner"]) == [1, 2, 3]
    assert list(frame["pair_coverage"]) == pytest.approx([2 / 6, 2 / 6, 4 / 6])
    assert list(frame["strong_ties"]) == [0, 1, 1]
    assert frame["contacts_mean"].iloc[-1] == 2


def test_member_table():
    prior = dinners([["a", "c"]])
    table = member_table(SEASON, members=MEMBERS, prior=prior, strong=2).set_index("member")
    # dinners, contacts, new contacts, strong ties (a-b twice; a-c once before, once in season)
    assert table.loc["a"].tolist() == [3, 2, 1, 2]
    assert table.loc["d"].tolist() == [2, 2, 2, 0]


def test_unknown_member_is_an_error():
    with pytest.raises(InputError, match="not in the club"):
        season_metrics(SEASON, members=["a", "b"])
    with pytest.raises(InputError):
        season_metrics(SEASON, strong=0)


def test_summarize_takes_medians_per_policy():
    frame = pd.DataFrame(
        {"policy": ["x", "x", "x", "y"], "seed": [0, 1, 2, 0], "strong_ties": [1, 5, 3, 7]}
    )
    summary = summarize(frame)
    assert summary.loc["x", "strong_ties"] == 3 and summary.loc["y", "strong_ties"] == 7
    assert "seed" not in summary.columns
