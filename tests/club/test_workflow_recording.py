"""After the dinner, through the workflow: recording a draft (no-shows left out, twice changes
nothing), bad requests with nothing written, and which dinner a print-out shows."""

from __future__ import annotations

import datetime as dt

import pytest

from club_helpers import dump, small_store
from seating.club.records import Draft, DraftTable
from seating.club.store import StoreError
from seating.club.workflow import FieldError, Recorded, printable, record_dinner
from seating.errors import InputError

DAY = dt.date(2026, 3, 5)
LATER = dt.date(2026, 4, 2)


def draft_of(day: dt.date) -> Draft:
    return Draft(
        date=day,
        tables=[
            DraftTable(id="A", capacity=3, host="p1", members=["p1", "p2", "p3"]),
            DraftTable(id="B", capacity=3, members=["p4"]),
        ],
    )


@pytest.fixture
def store(tmp_path):
    with small_store(tmp_path, 6, hosts=("p1",)) as store:
        yield store


def test_record_leaves_no_shows_out_and_twice_changes_nothing(store):
    store.save_draft(draft_of(DAY))
    assert record_dinner(store, absent=["p1", "p4"]) == Recorded(DAY, True, people=2, tables=1)
    (dinner,) = store.dinners()
    assert dinner.seating() == {"p2": "A", "p3": "A"} and dinner.tables[0].host is None
    assert store.drafts() == []
    state = dump(store.path)
    assert record_dinner(store) == Recorded(DAY, changed=False)  # the dinner recorded last
    assert record_dinner(store, DAY) == Recorded(DAY, changed=False)
    assert dump(store.path) == state
    store.undo_record()
    assert store.draft() == draft_of(DAY) and store.dinners() == []


@pytest.mark.parametrize(
    ("drafts", "request_", "error", "message"),
    [
        ([DAY], {"absent": ["p5"]}, FieldError, "absent: member 'p5' is not seated in the draft"),
        ([], {}, InputError, "no draft plan to record (make one with `seating club plan`)"),
        ([DAY, LATER], {}, StoreError, "several draft plans (2026-03-05, 2026-04-02)"),
        ([DAY], {"date": LATER}, StoreError, "no draft plan for 2026-04-02"),
    ],
)  # fmt: skip
def test_a_bad_record_is_one_line_and_writes_nothing(store, drafts, request_, error, message):
    for day in drafts:
        store.save_draft(draft_of(day))
    before = dump(store.path)
    with pytest.raises(error) as caught:
        record_dinner(store, **request_)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert dump(store.path) == before


def test_print_outs_show_the_draft_else_the_record(store):
    store.save_draft(draft_of(DAY))
    view = printable(store)
    assert (view.date, view.state) == (DAY, "draft plan")
    assert [s.name for s in view.tables[0].seats] == ["Person 1", "Person 2", "Person 3"]
    record_dinner(store)
    assert (printable(store).state, printable(store, DAY).date) == ("as recorded", DAY)
    with pytest.raises(StoreError, match="no draft plan for 2026-04-02"):
        printable(store, LATER)


def test_a_dinner_after_today_is_not_recorded(tmp_path):
    import datetime as dt

    from seating.club.workflow import FieldError, plan_dinner, record_dinner

    store = small_store(tmp_path, 6)
    day = dt.date(2026, 3, 5)
    plan_dinner(store, day, method="local", time_limit=1.0)
    with pytest.raises(FieldError, match="in the future"):
        record_dinner(store, day, today=day - dt.timedelta(days=1))
    assert record_dinner(store, day, today=day).changed
