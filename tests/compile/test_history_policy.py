"""Meeting history (counts, fading, recency) and the signed policy turned into pair weights."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from seating import InputError, PastDinner
from seating.compile.history import NEVER, MeetingHistory, check_past_dinner, meeting_history
from seating.compile.policy import pair_weights
from seating.models import Policy

INDEX = {m: k for k, m in enumerate(["a", "b", "c", "d"])}
A, B, C, D = range(4)


def _past(day: int, *tables: list[str]) -> PastDinner:
    return PastDinner(date=dt.date(2026, 1, day), tables=list(tables))


# Oldest first: (a b c | d), (a b | c d), (a d | b c). Ages 2, 1, 0.
THREE = [
    _past(1, ["a", "b", "c"], ["d"]),
    _past(8, ["a", "b"], ["c", "d"]),
    _past(15, ["a", "d"], ["b", "c"]),
]


def test_counts_are_symmetric_meetings_per_pair():
    """counts[i, j] is the number of dinners i and j shared a table, zero on the diagonal."""
    h = meeting_history(THREE, INDEX)
    expected = np.zeros((4, 4), dtype=int)
    for i, j, k in ((A, B, 2), (A, C, 1), (B, C, 2), (C, D, 1), (A, D, 1)):
        expected[i, j] = expected[j, i] = k
    np.testing.assert_array_equal(h.counts, expected)
    assert h.num_dinners == 3


def test_without_half_life_faded_equals_counts():
    """half_life None: meetings never fade."""
    h = meeting_history(THREE, INDEX)
    np.testing.assert_array_equal(h.faded, h.counts.astype(float))


@pytest.mark.parametrize("half_life", [0.5, 1.0, 2.0, 7.0])
def test_faded_weights_each_meeting_by_its_age(half_life):
    """faded = sum over meetings of 0.5 ** (age / half_life), age 0 = the most recent dinner."""
    h = meeting_history(THREE, INDEX, half_life=half_life)

    def fade(*ages: int) -> float:
        return sum(0.5 ** (age / half_life) for age in ages)

    assert h.faded[A, B] == pytest.approx(fade(2, 1))
    assert h.faded[B, C] == pytest.approx(fade(2, 0))
    assert h.faded[A, D] == pytest.approx(fade(0))
    assert h.faded[C, D] == pytest.approx(fade(1))
    assert h.faded[B, D] == 0.0
    assert (h.faded <= h.counts).all()


def test_half_life_halves_at_that_age():
    """A meeting exactly half_life dinners old counts one half."""
    dinners = [_past(1, ["a", "b"]), _past(8, ["c"]), _past(15, ["d"])]
    h = meeting_history(dinners, INDEX, half_life=2)
    assert h.faded[A, B] == pytest.approx(0.5)


def test_last_age_is_dinners_since_last_meeting():
    """last_age: 0 for the most recent dinner, NEVER for pairs that never met."""
    h = meeting_history(THREE, INDEX)
    assert h.last_age[A, D] == 0 and h.last_age[B, C] == 0
    assert h.last_age[A, B] == 1 and h.last_age[C, D] == 1
    assert h.last_age[A, C] == 2
    assert h.last_age[B, D] == NEVER
    assert (h.last_age.diagonal() == NEVER).all()


def test_dinners_are_ordered_by_date_not_by_position():
    """History given out of order is read in date order (ages and fading follow dates)."""
    shuffled = [THREE[2], THREE[0], THREE[1]]
    a, b = meeting_history(THREE, INDEX, half_life=1.5), meeting_history(shuffled, INDEX, 1.5)
    np.testing.assert_array_equal(a.counts, b.counts)
    np.testing.assert_allclose(a.faded, b.faded)
    np.testing.assert_array_equal(a.last_age, b.last_age)


def test_members_outside_the_index_are_ignored():
    """Only the indexed (attending) members are counted; others do not shift indices."""
    dinners = [_past(1, ["a", "x", "b"], ["y", "c"])]
    h = meeting_history(dinners, {"a": 0, "b": 1, "c": 2})
    assert h.counts.shape == (3, 3)
    assert h.counts[0, 1] == 1 and h.counts[0, 2] == 0 and h.counts[1, 2] == 0


def test_empty_history():
    """No past dinners: no meetings, every age NEVER."""
    h = meeting_history([], INDEX, half_life=3)
    assert not h.counts.any() and not h.faded.any() and (h.last_age == NEVER).all()
    assert h.num_dinners == 0


def test_check_past_dinner_names_unknown_and_doubly_seated_members():
    """A past dinner naming an unknown id, or seating someone twice, is an InputError."""
    with pytest.raises(InputError, match=r"history\[3\].*'zed'"):
        check_past_dinner(_past(1, ["a", "zed"]), INDEX, "history[3]")
    with pytest.raises(InputError, match="'b' is seated twice"):
        check_past_dinner(_past(1, ["a", "b"], ["b", "c"]), INDEX, "history[0]")
    check_past_dinner(_past(1, ["a", "b"], ["c"]), INDEX, "history[0]")


@st.composite
def _histories(draw):
    n = draw(st.integers(2, 6))
    ids = [f"m{k}" for k in range(n)]
    dinners = []
    for k in range(draw(st.integers(0, 6))):
        labels = draw(st.lists(st.integers(-1, 2), min_size=n, max_size=n))
        tables = [[m for m, lab in zip(ids, labels, strict=True) if lab == t] for t in range(3)]
        dinners.append(PastDinner(date=dt.date(2026, 1, 1 + k), tables=[t for t in tables if t]))
    return {m: k for k, m in enumerate(ids)}, dinners


@given(_histories(), st.sampled_from([None, 0.7, 2.0]))
def test_history_invariants(history, half_life):
    """For any history: symmetric, zero diagonal, 0 <= faded <= counts, met iff an age is known."""
    index, dinners = history
    h = meeting_history(dinners, index, half_life=half_life)
    for array in (h.counts, h.faded, h.last_age):
        np.testing.assert_array_equal(array, array.T)
    assert not h.counts.diagonal().any()
    assert (h.faded >= 0).all() and (h.faded <= h.counts + 1e-12).all()
    np.testing.assert_array_equal(h.counts > 0, h.last_age != NEVER)
    assert (h.last_age[h.counts > 0] < len(dinners)).all()
    assert h.counts.max(initial=0) <= len(dinners)


# --- policy ----------------------------------------------------------------------------------


def _history(counts: np.ndarray, faded: np.ndarray | None = None) -> MeetingHistory:
    counts = np.asarray(counts, dtype=np.int32)
    faded = counts.astype(float) if faded is None else np.asarray(faded, dtype=float)
    return MeetingHistory(counts=counts, faded=faded, last_age=np.zeros_like(counts), num_dinners=9)


M = np.array([[0, 0, 1, 2], [0, 0, 3, 5], [1, 3, 0, 0], [2, 5, 0, 0]])


@pytest.mark.parametrize("r", [-1.0, -0.5, 0.0, 0.3, 1.0])
def test_weights_without_target_are_linear_in_meetings(r):
    """No target: weight = -repeat_weight * meetings (linear, so r < 0 penalises repeats)."""
    w = pair_weights(_history(M), Policy(repeat_weight=r))
    np.testing.assert_allclose(w, -r * M)


def test_weight_sign_follows_repeat_weight():
    """Avoid repeats: met pairs cost; favour repeats: met pairs gain; neutral: all zero."""
    h = _history(M)
    met = M > 0
    assert (pair_weights(h, Policy(repeat_weight=-1))[met] > 0).all()
    assert (pair_weights(h, Policy(repeat_weight=1))[met] < 0).all()
    zero = pair_weights(h, Policy(repeat_weight=0))
    assert not zero.any() and not np.signbit(zero).any(), "no -0.0 in the weights"


@pytest.mark.parametrize("r", [-1.0, -0.4, 0.4, 1.0])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_weights_with_target_deepen_then_rotate(r, k):
    """Target k: -|r| * m while m < k, then |r| * (m - k + 1), whatever the sign of r."""
    w = pair_weights(_history(M), Policy(repeat_weight=r, target_meetings=k))
    s = abs(r)
    expected = np.where(k > M, -s * M, s * (M - k + 1)).astype(float)
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(w, expected)
    # Past the target a further meeting always costs more; before it, always gains.
    assert (w[k <= M] > 0).all()
    assert (w[(M > 0) & (k > M)] < 0).all()


def test_half_life_uses_faded_meetings():
    """With half_life, weights use the faded meetings, not the counts."""
    faded = M * 0.25
    w = pair_weights(_history(M, faded), Policy(repeat_weight=-1, half_life=2))
    np.testing.assert_allclose(w, faded)
    w = pair_weights(_history(M, faded), Policy(repeat_weight=1, half_life=2, target_meetings=1))
    expected = np.where(faded < 1, -faded, faded)
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(w, expected)


def test_weights_are_symmetric_floats_with_zero_diagonal():
    """Whatever the policy, the weights are a symmetric float matrix with a zero diagonal."""
    counts = np.array([[4, 1], [1, 4]])  # a (nonsense) diagonal must not leak into weights
    for policy in (Policy(), Policy(repeat_weight=0.7, target_meetings=2), Policy(fairness=2)):
        w = pair_weights(_history(counts), policy)
        assert w.dtype == np.float64
        assert (w == w.T).all() and not w.diagonal().any()


@pytest.mark.parametrize(
    "policy",
    [
        Policy(repeat_weight=-1),
        Policy(repeat_weight=0.5, target_meetings=2, recent_penalty=3, recent_dinners=2),
        Policy(repeat_weight=-1, half_life=2.0, introduce=[["a", "c", 2.5], ["b", "a"]]),
    ],
)
def test_no_history_gives_the_weights_of_a_history_where_nobody_met(policy):
    """The shortcut for an empty history (zeros, minus the introductions) agrees with the
    full computation on a history of dinners at which nobody met."""
    index = {"a": 0, "b": 1, "c": 2}
    zeros = np.zeros((3, 3), dtype=np.int32)
    empty = MeetingHistory(counts=zeros, faded=zeros.astype(float),
                           last_age=np.full_like(zeros, NEVER), num_dinners=0)  # fmt: skip
    alone = MeetingHistory(counts=zeros, faded=zeros.astype(float),
                           last_age=np.full_like(zeros, NEVER), num_dinners=3)  # fmt: skip
    np.testing.assert_array_equal(
        pair_weights(empty, policy, index), pair_weights(alone, policy, index)
    )
