"""Metrics over a season of dinners: who met whom, how often, how fairly, as pandas objects.

A season is a sequence of seated dinners (:class:`~seating.models.PastDinner`), in the order
they took place. Breadth (contacts, pair coverage) counts the season alone. Depth and novelty
look at everything before too: with dinners passed as ``prior`` (the club's history before the
season), a strong tie is a pair with enough meetings in all, and a meeting is "new" only if the
pair never sat together before, prior dinners included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from seating.compile.meetings import MeetingTally, meeting_counts, table_indices, tally
from seating.compile.objective import mates_met_before
from seating.errors import InputError
from seating.models import Member, PastDinner, Rules

STRONG_TIE = 5
"""Meetings that make a strong tie: about five before a name sticks and trust starts."""

NEWCOMER_K = 20
"""A newcomer is integrated once they have met this many members."""

DINNERS_PER_YEAR = 12
"""Monthly dinners: a year of the season is 12 dinners."""

METRIC_COLUMNS: dict[str, str] = {
    "dinners": "dinners in the season",
    "members": "members in the club at some point of the season",
    "contacts_mean": "distinct table mates per member, mean (members who attended)",
    "contacts_min": "distinct table mates per member, least (members who attended)",
    "pair_coverage": "share of all member pairs who sat together at least once",
    "coverage_bound": "upper bound on pair_coverage for this attendance and these rules",
    "strong_ties": f"pairs who have sat together at least {STRONG_TIE} times (prior included)",
    "repeat_load": "table mates met before, mean per member and dinner",
    "new_contacts_gini": "Gini of new contacts per dinner attended (0 = equal)",
    "met_new_each_year": "share of member-years (attended) with at least one new contact",
    "newcomers": "members who joined during the season",
    "newcomer_dinners_to_k": f"median dinners a newcomer attends to meet {NEWCOMER_K} others",
    "plan_seconds": "seconds to plan one dinner, mean",
}
"""The columns of :func:`season_metrics`, with what each means."""

HEADLINE_METRICS: tuple[str, ...] = (
    "contacts_mean",
    "contacts_min",
    "pair_coverage",
    "coverage_bound",
    "strong_ties",
    "repeat_load",
    "new_contacts_gini",
    "met_new_each_year",
    "newcomer_dinners_to_k",
    "plan_seconds",
)
"""The columns a policy comparison shows (``seating simulate``, the policy benchmark)."""


def member_index(
    dinners: Sequence[PastDinner], members: Iterable[str] | None = None
) -> dict[str, int]:
    """Index of each member: ``members`` in their order, or everyone seated, sorted.

    Raises :class:`InputError` if ``members`` is given and a dinner seats someone else.
    """
    seated = {m for d in dinners for table in d.tables for m in table}
    if members is None:
        return {m: i for i, m in enumerate(sorted(seated))}
    index = {m: i for i, m in enumerate(dict.fromkeys(members))}
    unknown = sorted(seated - index.keys())
    if unknown:
        raise InputError(f"season: dinners seat members not in the club: {unknown[:5]}")
    return index


def pair_matrix(
    dinners: Sequence[PastDinner], members: Iterable[str] | None = None
) -> pd.DataFrame:
    """The pair-meeting matrix as a labelled DataFrame (members as index and columns)."""
    index = member_index(dinners, members)
    labels = list(index)
    return pd.DataFrame(meeting_counts(dinners, index), index=labels, columns=labels)


def gini(values: Iterable[float]) -> float:
    """Gini coefficient of non-negative values: 0 when all are equal, near 1 when one has all.

    Returns 0 for no values or an all-zero input.
    """
    x = np.sort(np.asarray(list(values), dtype=np.float64))
    if x.size == 0 or x.sum() <= 0:
        return 0.0
    if (x < 0).any():
        raise InputError("gini: values must be non-negative")
    n = x.size
    ranks = np.arange(1, n + 1)
    return float((2.0 * (ranks * x).sum()) / (n * x.sum()) - (n + 1.0) / n)


def most_pairs(capacities: Sequence[int], attendees: int) -> int:
    """The most pairs one dinner can seat together: fill the largest tables first (the pair
    count of a table grows faster than its size, so the extreme split is the maximum)."""
    left, pairs = attendees, 0
    for cap in sorted(capacities, reverse=True):
        seated = min(cap, left)
        pairs += seated * (seated - 1) // 2
        left -= seated
    return pairs


def coverage_bound(
    dinners: Sequence[PastDinner],
    capacities: Sequence[Sequence[int]],
    index: Mapping[str, int],
    barred: np.ndarray | None = None,
) -> int:
    """An upper bound on the member pairs any seating of this attendance can make meet.

    The minimum of three counts, each valid for every schedule of these dinners:

    - pairs who attend some dinner together and that no rule keeps apart (``barred``);
    - the pairs each dinner can seat at all (:func:`most_pairs`), summed over dinners;
    - half the sum over members of ``min(seats beside them over their dinners, partners
      possible)``: a member cannot meet more people than the chairs next to them, nor more
      than those who came when they did.

    Parameters
    ----------
    dinners
        Who attended each dinner (the seating itself is ignored: only attendance counts).
    capacities
        Table capacities of each dinner.
    index
        Member index (see :func:`member_index`).
    barred
        ``(n, n)`` bool, pairs who may never share a table (same company, keep-apart).
    """
    n = len(index)
    co_attend = np.zeros((n, n), dtype=bool)
    seats_beside = np.zeros(n, dtype=np.int64)
    by_dinner = 0
    for dinner, caps in zip(dinners, capacities, strict=True):
        present = np.fromiter(
            (index[m] for table in dinner.tables for m in table if m in index), dtype=np.int64
        )
        if present.size == 0:
            continue
        co_attend[np.ix_(present, present)] = True
        seats_beside[present] += min(max(caps), present.size) - 1
        by_dinner += most_pairs(caps, present.size)
    np.fill_diagonal(co_attend, False)
    if barred is not None:
        co_attend &= ~barred
    possible = int(np.triu(co_attend, 1).sum())
    by_member = int(np.minimum(seats_beside, co_attend.sum(axis=1)).sum() // 2)
    return min(possible, by_dinner, by_member)


def season_metrics(
    dinners: Sequence[PastDinner],
    *,
    members: Iterable[str] | None = None,
    prior: Sequence[PastDinner] = (),
    joined: Iterable[str] = (),
    capacities: Sequence[Sequence[int]] | None = None,
    barred: Iterable[tuple[str, str]] = (),
    plan_seconds: Sequence[float] | None = None,
    strong: int = STRONG_TIE,
    newcomer_k: int = NEWCOMER_K,
    dinners_per_year: int = DINNERS_PER_YEAR,
) -> dict[str, float]:
    """The metrics of one season (the columns of :data:`METRIC_COLUMNS`).

    Parameters
    ----------
    dinners
        The season's seated dinners, in order.
    members
        Everyone who was a member at some point of the season (the denominator of
        ``pair_coverage``); default: everyone seated.
    prior
        Dinners before the season: their meetings make later meetings repeats, not new.
    joined
        Members who joined during the season (newcomers).
    capacities
        Table capacities per dinner; needed for ``coverage_bound`` (NaN without).
    barred
        Pairs who may never share a table, for ``coverage_bound``.
    plan_seconds
        Seconds spent planning each dinner (NaN without).
    strong, newcomer_k, dinners_per_year
        Meetings that make a strong tie; contacts that make a newcomer integrated; dinners
        per year.
    """
    if strong < 1 or newcomer_k < 1 or dinners_per_year < 1:
        raise InputError("season metrics: strong, newcomer_k and dinners_per_year must be >= 1")
    index = member_index(dinners, members)
    n = len(index)
    before = meeting_counts(prior, index)
    season = MeetingTally(n)
    new_contacts = np.zeros(n, dtype=np.int64)
    repeat_total = seats_total = 0
    years = max(1, -(-len(dinners) // dinners_per_year))
    came = np.zeros((years, n), dtype=bool)
    met_new = np.zeros((years, n), dtype=bool)
    newcomers = [index[m] for m in dict.fromkeys(joined) if m in index]
    reached: dict[int, int] = {}

    for d, dinner in enumerate(dinners):
        year = d // dinners_per_year
        tables = table_indices(dinner.tables, index)
        seated = np.concatenate([np.zeros(0, dtype=np.int64), *tables])
        if seated.size:
            sizes = np.array([idx.size for idx in tables])
            table_of = np.repeat(np.arange(len(tables)), sizes)
            block = np.ix_(seated, seated)
            # Met before: at a prior dinner or earlier in the season (the core's plan quality).
            repeats = mates_met_before(before[block] + season.counts[block] > 0, table_of)
            fresh = (sizes[table_of] - 1) - repeats
            repeat_total += int(repeats.sum())
            seats_total += seated.size
            new_contacts[seated] += fresh
            came[year, seated] = True
            met_new[year, seated] |= fresh > 0
        season.add(tables)
        counts, attended = season.counts, season.attended
        for i in newcomers:
            if i not in reached and attended[i] and (counts[i] > 0).sum() >= newcomer_k:
                reached[i] = int(attended[i])

    counts, attended = season.counts, season.attended
    present = attended > 0
    contacts = (counts > 0).sum(axis=1)
    upper = np.triu(counts, 1)
    pairs = n * (n - 1) // 2
    integration = [float(reached.get(i, np.inf)) for i in newcomers if attended[i]]
    bound = np.nan
    if capacities is not None:
        barred_mask = np.zeros((n, n), dtype=bool)
        for a, b in barred:
            if a in index and b in index:
                barred_mask[index[a], index[b]] = barred_mask[index[b], index[a]] = True
        bound = coverage_bound(dinners, capacities, index, barred_mask) / pairs if pairs else 0.0
    return {
        "dinners": float(len(dinners)),
        "members": float(n),
        "contacts_mean": float(contacts[present].mean()) if present.any() else 0.0,
        "contacts_min": float(contacts[present].min()) if present.any() else 0.0,
        "pair_coverage": float((upper > 0).sum() / pairs) if pairs else 0.0,
        "coverage_bound": float(bound),
        "strong_ties": float((np.triu(counts + before, 1) >= strong).sum()),
        "repeat_load": repeat_total / seats_total if seats_total else 0.0,
        "new_contacts_gini": gini(new_contacts[present] / attended[present]),
        "met_new_each_year": float(met_new[came].mean()) if came.any() else 1.0,
        "newcomers": float(len(newcomers)),
        "newcomer_dinners_to_k": float(np.median(integration)) if integration else np.nan,
        "plan_seconds": float(np.mean(plan_seconds)) if plan_seconds else np.nan,
    }


def over_season(
    dinners: Sequence[PastDinner],
    *,
    members: Iterable[str] | None = None,
    prior: Sequence[PastDinner] = (),
    strong: int = STRONG_TIE,
) -> pd.DataFrame:
    """Pair coverage, strong ties and mean contacts after each dinner of the season
    (strong ties count ``prior`` meetings too, as in :func:`season_metrics`).

    Returns
    -------
    pandas.DataFrame
        One row per dinner: ``dinner`` (1-based), ``pair_coverage``, ``strong_ties``,
        ``contacts_mean`` (over everyone in ``members``).
    """
    index = member_index(dinners, members)
    n = len(index)
    pairs = max(1, n * (n - 1) // 2)
    season = MeetingTally(n)
    before = np.triu(meeting_counts(prior, index), 1)
    rows = []
    for d, dinner in enumerate(dinners):
        season.add(table_indices(dinner.tables, index))
        counts = season.counts
        upper = np.triu(counts, 1)
        rows.append(
            {
                "dinner": d + 1,
                "pair_coverage": float((upper > 0).sum() / pairs),
                "strong_ties": int((upper + before >= strong).sum()),
                "contacts_mean": float((counts > 0).sum(axis=1).mean()) if n else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=["dinner", "pair_coverage", "strong_ties", "contacts_mean"])


def member_table(
    dinners: Sequence[PastDinner],
    *,
    members: Iterable[str] | None = None,
    prior: Sequence[PastDinner] = (),
    strong: int = STRONG_TIE,
) -> pd.DataFrame:
    """One row per member: dinners attended, distinct contacts, new contacts, strong ties.

    Contacts are the season's; "new" contacts are people never met before and strong ties
    count meetings in all, ``prior`` dinners included.
    """
    index = member_index(dinners, members)
    season = tally(dinners, index)
    counts, attended = season.counts, season.attended
    prior_counts = meeting_counts(prior, index)
    before = prior_counts > 0
    return pd.DataFrame(
        {
            "member": list(index),
            "dinners": attended,
            "contacts": (counts > 0).sum(axis=1),
            "new_contacts": ((counts > 0) & ~before).sum(axis=1),
            "strong_ties": (counts + prior_counts >= strong).sum(axis=1),
        }
    )


def summarize(metrics: pd.DataFrame, by: str = "policy") -> pd.DataFrame:
    """Median of each metric over seeds, one row per ``by`` value (order kept)."""
    numeric = metrics.drop(columns=[c for c in ("seed",) if c in metrics.columns])
    return numeric.groupby(by, sort=False).median(numeric_only=True)


def barred_pairs(members: Sequence[Member], rules: Rules) -> list[tuple[str, str]]:
    """Pairs no plan that holds ``rules`` may seat together: one company (or industry) when
    the limit is 1, and keep-apart pairs."""
    pairs = list(rules.apart)
    for attribute, limit in (
        ("company", rules.max_per_company),
        ("industry", rules.max_per_industry),
    ):
        if limit != 1:
            continue
        by_label: dict[str, list[str]] = {}
        for m in members:
            label = getattr(m, attribute)
            if label and label.strip():
                by_label.setdefault(label.strip().casefold(), []).append(m.id)
        for ids in by_label.values():
            pairs += [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    return pairs
