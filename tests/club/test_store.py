"""The club database: schema and migrations, imports, drafts, record/undo, and reliability
under a real SIGKILL and under concurrent writers."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from club_helpers import club_files, dump, kill_inside_transaction, one_line_error, run, seating
from seating.club import faults, schema
from seating.club import files as csvio
from seating.club.records import ClubMember, Draft, DraftTable, RecordedDinner, SeatedTable
from seating.club.store import ClubStore, StoreBusyError, StoreError
from seating.models import Policy, Rules

DAY = dt.date(2026, 12, 3)


def copy_db(source: Path, target: Path) -> Path:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def loaded_store(tmp_path: Path) -> tuple[ClubStore, object]:
    members_csv, history_csv, _, problem = club_files(tmp_path)
    store = ClubStore(tmp_path / "club.db", create=True)
    store.import_members(csvio.read_members_csv(members_csv)[0])
    store.import_history(csvio.read_history_csv(history_csv)[0])
    return store, problem


def small_draft(ids: list[str]) -> Draft:
    half = len(ids) // 2
    return Draft(
        date=DAY,
        tables=[
            DraftTable(id="A", capacity=half + 1, host=ids[0], members=ids[:half]),
            DraftTable(id="B", capacity=len(ids), members=ids[half:]),
        ],
    )


def test_new_database_has_the_latest_schema_in_wal_mode(tmp_path):
    with ClubStore(tmp_path / "c.db", create=True) as store:
        assert store.schema_version == len(schema.MIGRATIONS)
        assert store.integrity_check() == "ok"
    db = sqlite3.connect(tmp_path / "c.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_missing_database_is_an_error_and_is_not_created(tmp_path):
    with pytest.raises(StoreError, match="no club database at"):
        ClubStore(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("just some text, certainly not SQLite" * 100)
    with pytest.raises(StoreError, match="is not a seating club database"):
        ClubStore(path)


def test_migrations_upgrade_an_older_file_once(tmp_path, monkeypatch):
    path = tmp_path / "c.db"
    with ClubStore(path, create=True) as store:
        store.import_members([ClubMember(id="m1", name="An")])
    extra = ("ALTER TABLE members ADD COLUMN email TEXT", "UPDATE members SET email = 'x@y'")
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, extra])
    with ClubStore(path) as store:
        assert store.schema_version == len(schema.MIGRATIONS)
    with ClubStore(path) as store:  # a second open applies nothing twice
        assert store.schema_version == len(schema.MIGRATIONS)
        assert store.members() == [ClubMember(id="m1", name="An")]
    db = sqlite3.connect(path)
    assert db.execute("SELECT email FROM members").fetchall() == [("x@y",)]
    db.close()


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "c.db"
    ClubStore(path, create=True).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreError, match="schema version 99, newer than this seating"):
        ClubStore(path)


def test_member_import_adds_updates_and_marks_left(tmp_path):
    store = ClubStore(tmp_path / "c.db", create=True)
    first = store.import_members([ClubMember(id="a"), ClubMember(id="b", name="Bo")])
    assert first.added == ("a", "b")
    again = store.import_members(
        [ClubMember(id="a"), ClubMember(id="c", host=True)], missing_left=True
    )
    assert again.added == ("c",) and again.unchanged == 1 and again.left == ("b",)
    assert [(m.id, m.active, m.host) for m in store.members()] == [
        ("a", True, False),
        ("b", False, False),
        ("c", True, True),
    ]
    assert [m.id for m in store.members(active_only=True)] == ["a", "c"]


def test_history_import_is_idempotent_and_refuses_silent_changes(tmp_path):
    store, problem = loaded_store(tmp_path)
    before = dump(store.path)
    _, history_csv, _, _ = club_files(tmp_path)
    dinners = csvio.read_history_csv(history_csv)[0]
    summary = store.import_history(dinners)
    assert summary.added == () and len(summary.unchanged) == len(problem.history)
    assert dump(store.path) == before
    assert store.history() == list(problem.history)

    changed = RecordedDinner(dinners[0].date, (SeatedTable("T1", ("m001", "m002")),))
    with pytest.raises(StoreError, match="already recorded with a different seating"):
        store.import_history([changed])
    assert dump(store.path) == before
    assert store.import_history([changed], replace=True).replaced == (dinners[0].date,)
    assert store.dinner(dinners[0].date).seating() == {"m001": "T1", "m002": "T1"}


def test_history_with_an_unknown_member_changes_nothing(tmp_path):
    store, _ = loaded_store(tmp_path)
    before = dump(store.path)
    bad = [
        RecordedDinner(dt.date(2030, 1, 1), (SeatedTable("T1", ("m001",)),)),
        RecordedDinner(dt.date(2030, 2, 1), (SeatedTable("T1", ("m001", "ghost")),)),
    ]
    with pytest.raises(StoreError, match="unknown member id 'ghost'"):
        store.import_history(bad)
    assert dump(store.path) == before


def test_settings_round_trip_and_rules_name_known_members(tmp_path):
    store, _ = loaded_store(tmp_path)
    assert store.policy() == Policy() and store.rules() == Rules()
    policy = Policy(repeat_weight=0.5, target_meetings=5)
    rules = Rules(cooldown=2, together=[["m001", "m002"]], apart=[("m003", "m004")])
    store.save_settings(policy=policy, rules=rules, name="Rotary <Gent>")
    assert (store.policy(), store.rules(), store.club_name()) == (policy, rules, "Rotary <Gent>")
    with pytest.raises(StoreError, match="rules: unknown member id 'zz'"):
        store.save_settings(rules=Rules(apart=[("m001", "zz")]))
    assert store.rules() == rules


def test_drafts_are_chosen_by_date_and_not_overwritten_by_accident(tmp_path):
    store, problem = loaded_store(tmp_path)
    with pytest.raises(StoreError, match="no draft plan"):
        store.draft()
    draft = small_draft(problem.dinners[0].attendees)
    store.save_draft(draft)
    assert store.draft() == draft
    with pytest.raises(StoreError, match="a draft plan for 2026-12-03 exists"):
        store.save_draft(draft, replace=False)
    store.save_draft(draft.model_copy(update={"date": DAY + dt.timedelta(days=30)}))
    with pytest.raises(StoreError, match="several draft plans"):
        store.draft()
    assert store.draft(DAY) == draft


def test_record_twice_changes_nothing_and_undo_restores_the_draft(tmp_path):
    store, problem = loaded_store(tmp_path)
    draft = small_draft(problem.dinners[0].attendees)
    store.save_draft(draft)
    assert store.record(draft) is True
    assert store.drafts() == [] and store.last_recorded() == DAY
    recorded = dump(store.path)
    assert store.record(draft) is False
    assert dump(store.path) == recorded
    other = draft.model_copy(update={"tables": list(reversed(draft.tables))})
    swapped = [t.model_copy(update={"id": n}) for t, n in zip(other.tables, "AB", strict=True)]
    with pytest.raises(StoreError, match="already recorded with a different seating"):
        store.record(other.model_copy(update={"tables": swapped}))
    assert store.undo_record() == DAY
    assert store.dinner(DAY) is None and store.draft() == draft
    with pytest.raises(StoreError, match="no recorded dinner to undo"):
        store.undo_record()
    assert store.history() == list(problem.history)


def test_a_held_write_lock_gives_a_clear_busy_error(tmp_path):
    store, _ = loaded_store(tmp_path)
    store.close()
    holder = sqlite3.connect(tmp_path / "club.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        waiting = ClubStore(tmp_path / "club.db", busy_timeout=0.1)
        with pytest.raises(StoreBusyError, match="is busy: another seating command is writing"):
            waiting.import_members([ClubMember(id="new")])
        waiting.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


class InjectedFaultError(Exception):
    """Raised by the fault hook of the in-process tests."""


def fail_at(point: str):
    def hook(reached: str) -> None:
        if reached == point:
            raise InjectedFaultError(point)

    return hook


WRITES = {
    # Each passes its fault point after its first write (two members, dinners, tables, drafts).
    "import-members": lambda store, ids: store.import_members(
        [ClubMember(id="new1"), ClubMember(id="new2")]
    ),
    "import-history": lambda store, ids: store.import_history(
        [
            RecordedDinner(
                dt.date(2030, 1, 1), (SeatedTable("T1", (ids[0],)), SeatedTable("T2", (ids[1],)))
            )
        ]
    ),
    "record": lambda store, ids: store.record(store.draft(DAY)),
    "save-drafts": lambda store, ids: store.save_drafts(
        [small_draft(ids).model_copy(update={"date": dt.date(2031, m, 1)}) for m in (1, 2)],
        replace=False,
    ),
}


@pytest.mark.parametrize("point", faults.POINTS)
def test_a_failure_at_each_fault_point_rolls_the_whole_write_back(tmp_path, point):
    store, problem = loaded_store(tmp_path)
    ids = problem.dinners[0].attendees
    store.save_draft(small_draft(ids))
    before = dump(store.path)
    with faults.installed(fail_at(point)), pytest.raises(InjectedFaultError):
        WRITES[point](store, ids)
    assert dump(store.path) == before
    assert store.integrity_check() == "ok"
    seen: list[str] = []
    with faults.installed(seen.append):  # a hook that only listens: the write goes through
        WRITES[point](store, ids)
    assert seen == [point]
    assert dump(store.path) != before


def test_no_fault_hook_without_the_environment_and_unknown_points_are_refused():
    assert faults.install(None) is None  # the test process was started without the variables
    with pytest.raises(ValueError, match="unknown fault point 'recrod'"):
        faults.pause_until_killed("recrod")


# -- real processes ------------------------------------------------------------------------


@pytest.mark.parametrize("point", ["import-members", "import-history"])
def test_sigkill_in_the_middle_of_an_import_leaves_the_database_as_before(tmp_path, point):
    members_csv, history_csv, _, _ = club_files(tmp_path, num_members=40, num_history=6)
    db = tmp_path / "club.db"
    with ClubStore(db, create=True) as store:
        store.import_members(csvio.read_members_csv(members_csv)[0][:10])
        if point == "import-history":
            store.import_members(csvio.read_members_csv(members_csv)[0])
    before = dump(db)
    command = "import" if point == "import-members" else "import-history"
    source = members_csv if point == "import-members" else history_csv
    after_db = copy_db(db, tmp_path / "after.db")
    done = seating("club", command, source, "--db", after_db)
    assert done.wait() == 0, done.communicate()
    after = dump(after_db)
    assert after != before

    kill_inside_transaction(point, ["club", command, source, "--db", db], tmp_path)
    assert dump(db) == before
    with ClubStore(db) as store:
        assert store.integrity_check() == "ok"
    # The database works normally after the crash and reaches the full state.
    again = seating("club", command, source, "--db", db)
    assert again.wait() == 0, again.communicate()
    assert dump(db) == after


def test_sigkill_in_the_middle_of_a_record_leaves_the_database_as_before(tmp_path):
    store, problem = loaded_store(tmp_path)
    store.save_draft(small_draft(problem.dinners[0].attendees))
    store.close()
    db = tmp_path / "club.db"
    before = dump(db)
    kill_inside_transaction("record", ["club", "record", "--db", db], tmp_path)
    assert dump(db) == before
    done = seating("club", "record", "--db", db)
    assert done.wait() == 0
    with ClubStore(db) as store:
        assert store.dinner(DAY) is not None and store.drafts() == []


def test_sigkill_while_an_import_writes_to_disk_never_leaves_half(tmp_path):
    """No test hook here: kill the real import as soon as its writes reach the journal."""
    members_csv, _, _, problem = club_files(tmp_path, num_members=60, num_history=1)
    ids = [m.id for m in problem.members]
    history = tmp_path / "big.csv"
    lines = ["date,table,member_id"]
    start = dt.date(1990, 1, 1)
    for k in range(600):  # 600 dinners, 36,000 seats
        day = (start + dt.timedelta(days=7 * k)).isoformat()
        lines += [f"{day},T{j // 10 + 1},{m}" for j, m in enumerate(ids)]
    history.write_text("\n".join(lines) + "\n")
    db = tmp_path / "club.db"
    wal = tmp_path / "club.db-wal"
    with ClubStore(db, create=True) as store:
        store.import_members(csvio.read_members_csv(members_csv)[0])
    before = dump(db)
    for attempt in range(3):
        with ClubStore(db) as store:  # recovers and checkpoints: the journal starts empty
            assert store.integrity_check() == "ok"
        assert not wal.exists() or wal.stat().st_size == 0
        process = seating("club", "import-history", history, "--db", db)
        for _ in range(200_000):  # poll until the first journal write (or the end)
            if process.poll() is not None or (wal.exists() and wal.stat().st_size > 0):
                break
            time.sleep(0.001 * (attempt + 1))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        with ClubStore(db) as store:
            assert store.integrity_check() == "ok"
            count = len(store.dinner_dates())
        assert count in (0, 600), "an import was left half-done"
        if count == 0:
            assert dump(db) == before
        else:
            break


def test_concurrent_writers_never_corrupt_the_database(tmp_path):
    db = tmp_path / "club.db"
    ClubStore(db, create=True).close()
    files = []
    for k in range(3):
        path = tmp_path / f"members{k}.csv"
        rows = [f"p{k}_{j},Person {k}.{j}" for j in range(200)]
        path.write_text("id,name\n" + "\n".join(rows) + "\n")
        files.append(path)
    processes = [seating("club", "import", f, "--db", db) for f in files]
    results = [(p.wait(), p.communicate()) for p in processes]
    assert all(code == 0 for code, _ in results), results
    with ClubStore(db) as store:
        assert store.integrity_check() == "ok"
        assert len(store.members()) == 600


def test_a_draft_changed_meanwhile_is_not_overwritten(tmp_path):
    store, problem = loaded_store(tmp_path)
    draft = small_draft(problem.dinners[0].attendees)
    store.save_draft(draft)
    mine = draft.model_copy(update={"pins": {draft.attendees[0]: "A"}})
    theirs = draft.model_copy(update={"method": "by hand"})
    store.save_draft(theirs, expected=draft)
    with pytest.raises(StoreError, match="was changed by another command meanwhile"):
        store.save_draft(mine, expected=draft)
    assert store.draft() == theirs


def test_a_failed_first_import_leaves_no_empty_club_file(tmp_path):
    """A command that created the database file and failed before saving anything removes
    it (a later command would take it for a club without members); a file with data stays."""
    from tests.club_helpers import club_files, run

    members, *_ = club_files(tmp_path, num_members=8, num_history=1)
    db = tmp_path / "new.db"
    with faults.installed(fail_at("import-members")):
        result = run("club", "import", members, "--db", db)
    assert isinstance(result.exception, InjectedFaultError)
    assert not db.exists()
    assert run("club", "import", members, "--db", db).exit_code == 0
    with faults.installed(fail_at("import-members")):
        run("club", "import", members, "--db", db)
    with ClubStore(db) as store:
        assert store.members()  # the club imported before the failure is still there


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("ALTER TABLE members DROP COLUMN joined", "table 'members' has no column 'joined'"),
        ("DROP TABLE undo_items", "no table 'undo_items'"),
    ],
)
def test_tables_that_do_not_match_the_version_are_one_line_not_a_traceback(tmp_path, damage, said):
    path = tmp_path / "c.db"
    with ClubStore(path, create=True) as store:
        store.import_members([ClubMember(id="m1", name="An")])
    db = sqlite3.connect(path)
    db.execute(damage)  # the version stays the latest: a file edited or pieced together by hand
    db.commit()
    db.close()
    before = dump(path)
    for command in (["status"], ["show"], ["export", "members", tmp_path / "m.csv"], ["undo"]):
        result = run("club", *command, "--db", path)
        one_line_error(result, 2, "does not match its schema version", said)
    assert dump(path) == before


def test_extra_tables_and_columns_of_the_club_are_not_a_mismatch(tmp_path):
    path = tmp_path / "c.db"
    ClubStore(path, create=True).close()
    db = sqlite3.connect(path)
    db.executescript("ALTER TABLE members ADD COLUMN email TEXT; CREATE TABLE notes (x TEXT);")
    db.close()
    with ClubStore(path) as store:
        assert store.members() == []
