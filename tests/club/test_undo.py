"""Undo: every change to the club database is taken back whole by ``undo`` (one test per kind
of change), several undos walk back through the changes, a refused change leaves no entry, and
``import-history --replace`` asks before it overwrites a recorded dinner or drops a draft."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from club_helpers import dump, run, small_store, write
from seating.club.records import ClubMember, Draft, DraftTable, RecordedDinner, SeatedTable
from seating.club.schema import latest_version
from seating.club.store import ClubStore, StoreError
from seating.club.workflow import (
    LateChanges,
    change_settings,
    history_overwrites,
    pinned,
    record_dinner,
    repin_draft,
    reseat_draft,
    undo,
    undo_change,
    unpin,
)
from seating.models import Rules

PAST = dt.date(2026, 1, 8)
DAY = dt.date(2026, 3, 5)
LATER = dt.date(2026, 4, 2)


def state(store: ClubStore) -> dict[str, list[tuple]]:
    """What the club holds: every table but the undo log itself (time stamps left out)."""
    return {
        name: rows
        for name, rows in dump(store.path).items()
        if name not in ("undo_log", "undo_items", "sqlite_sequence")
    }


def draft_of(day: dt.date, third: str = "p3") -> Draft:
    return Draft(
        date=day,
        tables=[
            DraftTable(id="A", capacity=3, host="p1", members=["p1", "p2", third]),
            DraftTable(id="B", capacity=3, members=["p4", "p5"]),
        ],
    )


def dinner_of(day: dt.date, *tables: tuple[str, ...]) -> RecordedDinner:
    return RecordedDinner(day, tuple(SeatedTable(f"T{k + 1}", t) for k, t in enumerate(tables)))


@pytest.fixture
def store(tmp_path):
    with small_store(
        tmp_path, 6, hosts=("p1",), history={"2026-01-08": [["p1", "p2"], ["p3", "p4"]]}
    ) as store:
        yield store


def undoes(store: ClubStore, change, words: str) -> None:
    """``change`` alters the club; one undo restores every table as it was and names it."""
    before = state(store)
    change()
    assert state(store) != before
    undone = undo_change(store)
    assert undone is not None and words in undone.what, undone
    assert state(store) == before


def test_member_import_is_undone(store):
    members = [ClubMember(id="p1", name="Renamed"), ClubMember(id="new", company="X")]
    undoes(store, lambda: store.import_members(members, missing_left=True), "import of 2 members")
    assert {m.id for m in store.members(active_only=True)} == {f"p{k}" for k in range(1, 7)}


def test_history_import_and_replace_are_undone(store):
    undoes(
        store,
        lambda: store.import_history([dinner_of(DAY, ("p1", "p5"), ("p2", "p6"))]),
        "import of 1 dinner (2026-03-05)",
    )
    big = store.dinner(PAST)
    undoes(
        store,
        lambda: store.import_history([dinner_of(PAST, ("p5", "p6"))], replace=True),
        "import of 1 dinner (2026-01-08)",
    )
    assert store.dinner(PAST) == big


def test_history_import_over_a_draft_is_refused_or_drops_it_undoably(store):
    store.save_draft(draft_of(DAY))
    before = state(store)
    with pytest.raises(StoreError, match=r"^dinner 2026-03-05 has a draft plan: record it"):
        store.import_history([dinner_of(DAY, ("p1", "p2"))])
    assert state(store) == before
    (overwrite,) = history_overwrites(store, [dinner_of(DAY, ("p1", "p2"))])
    assert (overwrite.recorded, overwrite.seats_now, overwrite.seats_new) == (False, 5, 2)
    undoes(store, lambda: store.import_history([dinner_of(DAY, ("p1", "p2"))], replace=True), "")
    assert store.draft(DAY) == draft_of(DAY)


def test_settings_are_undone(store):
    undoes(
        store,
        lambda: change_settings(store, name="Club Gent", language="nl", rules={"cooldown": 2}),
        "settings",
    )
    assert store.club_language() == "en" and store.rules() == Rules()


def test_a_plan_a_change_to_it_a_season_and_a_discard_are_undone(store):
    undoes(store, lambda: store.save_draft(draft_of(DAY)), "the plan of 2026-03-05")
    store.save_draft(draft_of(DAY))
    undoes(store, lambda: store.save_draft(draft_of(DAY, "p6")), "the change to the draft of 2026")
    draft = store.draft()
    undoes(
        store,
        lambda: repin_draft(store, draft, pinned(draft, "p4", "A"), fewest_moves=True, seed=1),
        "the change to the draft of 2026-03-05",
    )
    undoes(
        store,
        lambda: store.save_drafts([draft_of(LATER), draft_of(dt.date(2026, 5, 7))], replace=False),
        "the season plan (2026-04-02, 2026-05-07)",
    )
    draft = store.draft()
    undoes(
        store,
        lambda: reseat_draft(store, draft, LateChanges(cancel=["p5"]), seed=1),
        "the change to the draft of 2026-03-05",
    )
    repin_draft(store, draft, pinned(draft, "p4", "A"), fewest_moves=True, seed=1)
    undoes(
        store, lambda: unpin(store, store.draft(), "p4"), "the change to the draft of 2026-03-05"
    )
    undoes(store, lambda: store.discard_draft(DAY), "discarding the draft of 2026-03-05")


def test_a_record_and_its_undo_are_undone(store):
    store.save_draft(draft_of(DAY))
    undoes(
        store,
        lambda: record_dinner(store, DAY, absent=["p5"], today=LATER),
        "the record of the dinner of 2026-03-05",
    )
    record_dinner(store, DAY, today=LATER)
    undoes(store, store.undo_record, "undoing the record of the dinner of 2026-03-05")
    assert store.last_recorded() == DAY  # the record log is restored too
    assert store.undo_record() == DAY and store.draft() == draft_of(DAY)


def test_undo_walks_back_and_says_when_nothing_is_left(tmp_path):
    store = ClubStore(tmp_path / "c.db", create=True)
    states = [state(store)]
    store.import_members([ClubMember(id=x) for x in "abcd"])
    states.append(state(store))
    store.import_history([dinner_of(PAST, ("a", "b"), ("c", "d"))])
    states.append(state(store))
    store.save_draft(Draft(date=DAY, tables=[DraftTable(id="T", capacity=4, members=["a"])]))
    assert re.fullmatch(r"the plan of 2026-03-05 \(made \d{4}-\d\d-\d\d \d\d:\d\d UTC\)",
                        str(store.last_change()))  # fmt: skip
    for expected in reversed(states):
        assert undo_change(store) is not None
        assert state(store) == expected
    assert undo_change(store) is None and store.last_change() is None
    with pytest.raises(StoreError, match=r"^nothing to undo: no change is left in the undo log$"):
        undo(store)


def test_a_change_that_writes_nothing_leaves_no_entry(store):
    last = store.last_change()
    store.import_members(store.members())  # the same members again
    store.import_history(store.dinners())  # the same dinners again
    with pytest.raises(StoreError):
        store.save_draft(draft_of(PAST))  # recorded: refused
    assert store.last_change() == last


def test_a_file_of_schema_1_is_upgraded_and_its_records_still_undo(tmp_path):
    path = tmp_path / "old.db"
    with ClubStore(path, create=True) as store:
        store.import_members([ClubMember(id=f"p{k}") for k in range(1, 6)])
        store.save_draft(draft_of(DAY))
        store.record(store.draft())
    # What seating wrote before the undo log: the same tables, at version 1 (without the
    # columns of version 3 either).
    db = sqlite3.connect(path)
    db.executescript(
        "DROP TABLE undo_items; DROP TABLE undo_log; ALTER TABLE members DROP COLUMN joined;"
        " ALTER TABLE members DROP COLUMN guest_of; PRAGMA user_version = 1;"
    )
    db.close()
    with ClubStore(path) as store:
        assert store.schema_version == latest_version()
        assert store.last_change() is None  # no log before the upgrade: nothing to undo
        assert undo_change(store) is None and store.dinner(DAY) is not None
        assert store.undo_record() == DAY and store.draft() == draft_of(DAY)
        assert undo_change(store) is not None  # the record --undo made since is undoable
        assert store.dinner(DAY) is not None and store.drafts() == []


CHANGES = st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=6)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=CHANGES, seed=st.integers(min_value=0, max_value=9))
def test_undoing_every_change_walks_back_through_every_state(tmp_path_factory, changes, seed):
    store = ClubStore(tmp_path_factory.mktemp("undo") / "c.db", create=True)
    states = [state(store)]
    people = [f"p{(seed + k) % 7}" for k in range(5)]

    def change(kind: int) -> None:
        day = dt.date(2026, 1 + kind, 1 + seed)
        if kind == 0:
            store.import_members([ClubMember(id=p, name=f"{p}{seed}") for p in people])
        elif kind == 1:
            store.import_history([dinner_of(day, tuple(people[:2]), tuple(people[2:4]))])
        elif kind == 2:
            store.import_history([dinner_of(PAST, tuple(people[1:3]))], replace=True)
        elif kind == 3:
            table = DraftTable(id="T", capacity=9, members=people[seed % 3 :])
            store.save_draft(Draft(date=day, tables=[table]))
        elif kind == 4:
            store.discard_draft(store.drafts()[0].date if store.drafts() else None)
        elif kind == 5:
            store.save_settings(name=f"Club {seed}", rules=Rules(cooldown=seed + 1))
        else:
            store.record(store.drafts()[-1]) if store.drafts() else store.undo_record()

    for kind in changes:
        with contextlib.suppress(StoreError):  # refused: nothing written, nothing to undo
            change(kind)
        if state(store) != states[-1]:
            states.append(state(store))
    for expected in reversed(states[:-1]):
        assert undo_change(store) is not None
        assert state(store) == expected
    store.close()


# -- the command line ----------------------------------------------------------------------


def test_cli_undo_and_import_history_replace_asks(tmp_path):
    small_store(tmp_path, 4, history={"2026-01-08": [["p1", "p2"], ["p3", "p4"]]}).close()
    db = tmp_path / "small.db"
    rows = "date,table,member_id\n2026-01-08,T1,p1\n2026-01-08,T1,p3\n"
    two_rows = write(tmp_path, "h.csv", rows)
    before = dump(db)
    refused = run("club", "import-history", two_rows, "--replace", "--db", db)
    assert refused.exit_code == 2 and "Traceback" not in refused.stderr
    asked, *_, error = refused.stderr.strip().splitlines()
    assert "the recorded dinner of 2026-01-08 (4 people) would be replaced" in asked
    assert error.startswith("error: import-history --replace: not confirmed; nothing changed")
    no = run("club", "import-history", two_rows, "--replace", "--db", db, input="n\n")
    assert no.exit_code == 2 and dump(db) == before
    yes = run("club", "import-history", two_rows, "--replace", "--db", db, input="y\n")
    assert yes.exit_code == 0, yes.output
    assert "0 added, 1 replaced" in yes.stdout
    undone = run("club", "undo", "--db", db)
    assert undone.exit_code == 0
    assert undone.stdout.startswith("undid the import of 1 dinner (2026-01-08)")
    assert dump(db)["seatings"] == before["seatings"]
    again = run("club", "import-history", two_rows, "--replace", "--yes", "--db", db)
    assert again.exit_code == 0 and "1 replaced" in again.stdout
    for _ in range(3):
        run("club", "undo", "--db", db)
    nothing = run("club", "undo", "--db", db)
    assert nothing.exit_code == 0 and nothing.stdout.startswith("nothing to undo")


def test_the_log_keeps_the_latest_changes_only(tmp_path, monkeypatch):
    from seating.club import undo

    monkeypatch.setattr(undo, "KEEP_CHANGES", 2)
    store = ClubStore(tmp_path / "c.db", create=True)
    for k in range(4):
        store.save_settings(name=f"Club {k}")
    assert undo_change(store) is not None and store.club_name() == "Club 2"
    assert undo_change(store) is not None and store.club_name() == "Club 1"
    assert undo_change(store) is None  # the two changes before were dropped from the log
    kept = [(log, before) for log, _, _, _, before in dump(store.path)["undo_items"]]
    assert kept == [(3, '"Club 1"'), (4, '"Club 2"')]
    store.close()
