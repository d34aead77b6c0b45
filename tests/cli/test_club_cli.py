"""`seating club`: the organiser's workflow end to end, bad input, re-seating with the fewest
moves (checked against brute force), pins and swaps, record/undo, print, report, progress."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import time

import numpy as np
import pytest
from rich.console import Console

from club_helpers import club_files, dump, ok, one_line_error, run, write
from seating.adjust import apply_pins, reseat
from seating.cli.club import progress_after
from seating.club.store import ClubStore
from seating.compile.objective import violations
from seating.compile.problem import compile_dinner
from seating.models import Dinner, Member, ProblemInput, Rules, Table

DAY = "2025-04-05"


@pytest.fixture
def club(tmp_path):
    """A club database with 30 members (3 hosts) and 4 past dinners; returns (db, files)."""
    members_csv, history_csv, attendees, problem = club_files(tmp_path)
    db = tmp_path / "club.db"
    ok("club", "import", members_csv, "--db", db)
    ok("club", "import-history", history_csv, "--db", db)
    return db, attendees, problem


def planned(club, *extra: object):
    db, attendees, _ = club
    args = ["--attendees", attendees, "--table-sizes", "6", "--method", "local"]
    ok("club", "plan", "--date", DAY, *args, "--time-limit", "2", "--db", db, *extra)
    with ClubStore(db) as store:
        return store.draft()


def check_rules(db, draft) -> None:
    """The draft holds every rule of the club as the planner sees it."""
    with ClubStore(db) as store:
        problem = ProblemInput(
            members=[m.to_member() for m in store.members()],
            history=store.history(),
            dinners=[
                Dinner(date=draft.date, attendees=draft.attendees, tables=draft.tables_input())
            ],
            policy=store.policy(),
            rules=store.rules(),
        )
    dinner = apply_pins(compile_dinner(problem, 0), draft.pins)
    seat = draft.table_of()
    table_of = np.array([dinner.table_ids.index(seat[m]) for m in dinner.member_ids])
    assert violations(dinner, table_of) == []


def test_import_reports_what_changed_and_is_idempotent(club, tmp_path):
    db, _, problem = club
    members_csv, history_csv, _, _ = club_files(tmp_path)
    again = ok("club", "import", members_csv, "--db", db)
    assert "30 members; 0 added, 0 updated, 30 unchanged" in again.stdout
    history = ok("club", "import-history", history_csv, "--db", db)
    assert "0 added, 0 replaced, 4 already recorded (nothing changed)" in history.stdout
    status = ok("club", "status", "--db", db)
    assert "members: 30 active, 0 left" in status.stdout
    assert f"recorded dinners: 4 ({problem.history[0].date}" in status.stdout


def test_export_round_trips_and_neutralises_formulas(club, tmp_path):
    db, *_ = club
    evil = write(tmp_path, "evil.csv", 'id,name,company\nm001,=HYPERLINK("x"),@corp\n')
    ok("club", "import", evil, "--db", db)
    exported = ok("club", "export", "members", "-", "--db", db).stdout
    assert 'm001,"\'=HYPERLINK(""x"")",\'@corp' in exported
    ok("club", "export", "members", tmp_path / "m.csv", "--db", db)
    ok("club", "export", "history", tmp_path / "h.csv", "--db", db)
    before = dump(db)
    ok("club", "import", tmp_path / "m.csv", "--db", db)
    result = ok("club", "import-history", tmp_path / "h.csv", "--db", db)
    assert "(nothing changed)" in result.stdout
    assert dump(db) == before


@pytest.mark.parametrize(
    ("command", "text", "words"),
    [
        ("import", "name\nAn\n", ["bad.csv, row 1, field 'id': missing column"]),
        ("import", "id\nm1\nm1\n", ["bad.csv, row 3, field 'id': duplicate member id 'm1'"]),
        ("import", b"id,name\nm1,Zo\xeb\n", ["bad.csv, row 2: not UTF-8 text"]),
        ("import", "", ["bad.csv: empty file"]),
        ("import-history", "date,table\n", ["bad.csv, row 1, field 'member_id': missing"]),
        ("import-history", "date,table,member_id\n2025-01-01,T1,m001\n2025-01-01,T1,zz\n",
         ["bad.csv, row 3, field 'member_id': unknown member id 'zz'"]),
        ("import-history", "date,table,member_id\n2025-02-30,T1,m001\n",
         ["bad.csv, row 2, field 'date': not a real date"]),
        ("import-history", "date,table,member_id\n3/2/25,T1,m001\n",
         ["bad.csv, row 2, field 'date': expected a date as YYYY-MM-DD or DD/MM/YYYY"]),
        ("import-history", b"date,table,member_id\n2025-01-01,T\xe9,m001\n",
         ["bad.csv, row 2: not UTF-8"]),
        ("import-history", "\n", ["bad.csv: empty file"]),
    ],
)  # fmt: skip
def test_bad_csv_exits_2_with_one_line_and_changes_nothing(club, tmp_path, command, text, words):
    db, *_ = club
    before = dump(db)
    bad = write(tmp_path, "bad.csv", text)
    one_line_error(run("club", command, bad, "--db", db), 2, *words)
    assert dump(db) == before


def test_a_bad_first_import_creates_no_database(tmp_path):
    bad = write(tmp_path, "bad.csv", "id\nm1\nm1\n")
    one_line_error(run("club", "import", bad, "--db", tmp_path / "new.db"), 2, "duplicate")
    assert not (tmp_path / "new.db").exists()
    one_line_error(run("club", "status", "--db", tmp_path / "none.db"), 2, "no club database")


def test_busy_database_exits_3_with_a_clear_message(club, tmp_path):
    db, *_ = club
    import sqlite3

    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        members_csv, *_ = club_files(tmp_path)
        result = run("club", "import", members_csv, "--db", db, "--busy-timeout", "0.1")
        one_line_error(result, 3, "is busy", "another seating command is writing")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_plan_uses_stored_rules_auto_hosts_and_saves_a_draft(club):
    db, _, problem = club
    ok("club", "settings", "--cooldown", "1", "--apart", "m001,m002", "--db", db)
    ok("club", "settings", "--cooldown", "none", "--max-per-company", "1", "--db", db)
    draft = planned(club)
    assert sorted(draft.attendees) == sorted(problem.dinners[0].attendees)
    hosts = {t.host for t in draft.tables} - {None}
    assert hosts and hosts <= {"m001", "m002", "m003"}
    check_rules(db, draft)
    again = run("club", "plan", "--date", DAY, "--table-sizes", "6", "--db", db)
    one_line_error(again, 2, "a draft plan for 2025-04-05 exists", "--replace")
    shown = ok("club", "show", "--db", db)
    assert "Dinner of 2025-04-05" in shown.stdout


def test_left_members_stay_in_history_but_are_not_planned(club, tmp_path):
    db, *_ = club
    left = write(tmp_path, "left.csv", "id,status\nm001,left\n")
    ok("club", "import", left, "--db", db)
    one_line_error(
        run("club", "plan", "--date", DAY, "--attendee", "m001,m002", "--db", db),
        2,
        "member 'm001'",
        "has left the club",
    )
    ok("club", "plan", "--date", DAY, "--method", "local", "--time-limit", "1", "--db", db)
    with ClubStore(db) as store:
        draft = store.draft()
        assert "m001" not in draft.attendees and len(draft.attendees) == 29
        assert any("m001" in d.seating() for d in store.dinners())


def test_pin_and_swap_hold_and_the_rest_is_reoptimised(club):
    db, *_ = club
    draft = planned(club)
    seat = draft.table_of()
    member = next(m for m in draft.attendees if m not in {t.host for t in draft.tables})
    target = next(t.id for t in draft.tables if t.id != seat[member])
    ok(
        "club",
        "pin",
        member,
        target,
        "--reoptimise",
        "--method",
        "local",
        "--time-limit",
        "1",
        "--db",
        db,
    )
    with ClubStore(db) as store:
        pinned = store.draft()
    assert pinned.table_of()[member] == target and pinned.pins == {member: target}
    check_rules(db, pinned)

    seat = pinned.table_of()
    a = next(
        m for m in pinned.attendees if m != member and m not in {t.host for t in pinned.tables}
    )
    b = next(m for m in pinned.attendees if seat[m] != seat[a] and m != member
             and m not in {t.host for t in pinned.tables})  # fmt: skip
    result = run("club", "swap", a, b, "--fewest-moves", "--time-limit", "2", "--db", db)
    if result.exit_code == 1:  # the swap breaks a rule no other move can fix: said so
        assert "no plan" in result.stderr
        return
    assert result.exit_code == 0, result.stderr
    with ClubStore(db) as store:
        swapped = store.draft()
    after = swapped.table_of()
    assert (after[a], after[b], after[member]) == (seat[b], seat[a], target)
    check_rules(db, swapped)
    assert "pinned to" in result.stdout

    ok("club", "unpin", a, "--db", db)
    with ClubStore(db) as store:
        assert a not in store.draft().pins
    one_line_error(
        run("club", "pin", "nobody", "T1", "--db", db), 2, "pin: unknown member 'nobody'"
    )


def test_reseat_after_late_changes_moves_few_and_says_why(club):
    db, _, problem = club
    draft = planned(club)
    before = draft.table_of()
    removed = draft.tables[-1]
    cancelled = next(m for m in draft.attendees if before[m] != removed.id)
    walk_in = next(m.id for m in problem.members if m.id not in before)
    result = ok(
        "club", "reseat", "--cancel", cancelled, "--walk-in", walk_in, "--remove-table",
        removed.id, "--add-table", "T9:6", "--time-limit", "3", "--db", db,
    )  # fmt: skip
    with ClubStore(db) as store:
        new = store.draft()
    after = new.table_of()
    assert cancelled not in after and walk_in in after
    assert removed.id not in {t.id for t in new.tables}
    check_rules(db, new)
    for member in removed.members:
        assert f"table {removed.id} was removed" in result.stdout
        assert after[member] != removed.id
    moved = [m for m in after if m in before and before[m] != after[m]]
    others = [m for m in moved if before[m] != removed.id]
    assert len(others) <= 2  # one freed seat and one new table: almost nobody else moves
    assert f"{len(moved)} {'person' if len(moved) == 1 else 'people'} moved" in result.stdout
    assert "new attendee" in result.stdout


def test_record_is_idempotent_and_can_be_undone(club, tmp_path):
    db, *_ = club
    draft = planned(club)
    absent = draft.attendees[-1]
    first = ok("club", "record", "--absent", absent, "--db", db)
    assert f"recorded the dinner of {DAY}: {len(draft.attendees) - 1} people" in first.stdout
    state = dump(db)
    second = ok("club", "record", "--db", db)
    assert "already recorded; nothing changed" in second.stdout
    third = ok("club", "record", "--date", DAY, "--db", db)
    assert "already recorded; nothing changed" in third.stdout
    assert dump(db) == state
    with ClubStore(db) as store:
        assert absent not in store.dinner(dt.date.fromisoformat(DAY)).seating()
    ok("club", "record", "--undo", "--db", db)
    with ClubStore(db) as store:
        assert store.dinner(dt.date.fromisoformat(DAY)) is None
        assert store.draft() == draft
    one_line_error(run("club", "record", "--undo", "--db", db), 2, "no recorded dinner to undo")


def test_print_writes_escaped_plan_and_cards(club, tmp_path):
    db, attendees, _ = club
    guest = attendees.read_text(encoding="utf-8").split()[0]  # seated in every plan
    evil = write(tmp_path, "evil.csv", f"id,name\n{guest},<script>alert(1)</script>\n")
    ok("club", "import", evil, "--db", db)
    ok("club", "settings", "--name", "Club <Gent>", "--db", db)
    draft = planned(club)
    out = tmp_path / "print"
    result = ok("club", "print", "--out", out, "--db", db)
    pages = -(-len(draft.attendees) // 8)
    assert f"{len(draft.attendees)} place cards on {pages} A4 page" in result.stdout
    plan = (out / f"dinner-{DAY}.html").read_text(encoding="utf-8")
    cards = (out / f"place-cards-{DAY}.html").read_text(encoding="utf-8")
    assert guest in draft.attendees
    for html in (plan, cards):
        assert "<script" not in html and "Club &lt;Gent&gt;" in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_report_tables_and_csv(club, tmp_path):
    db, _, problem = club
    result = ok("club", "report", "--top", "3", "--csv", tmp_path / "rep", "--db", db)
    assert "pairs who met most often" in result.stdout
    assert "pairs of active members have not met yet" in result.stdout
    meetings = (tmp_path / "rep" / "meetings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert meetings[0] == "member_a,name_a,member_b,name_b,times,last_met"
    seated_pairs = {
        tuple(sorted(p))
        for d in problem.history
        for table in d.tables
        for p in itertools.combinations(table, 2)
    }
    assert len(meetings) - 1 == len(seated_pairs)
    not_met = (tmp_path / "rep" / "not_met.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(not_met) - 1 + len(seated_pairs) == 30 * 29 // 2
    one = ok("club", "report", "--member", "m001", "--db", db)
    assert "met" in one.stdout
    one_line_error(run("club", "report", "--member", "zz", "--db", db), 2, "unknown member")


def test_progress_bar_shows_only_on_slow_work():
    slow = io.StringIO()
    console = Console(file=slow, force_terminal=True, width=100)
    with progress_after(console, "planning", 1.0, delay=0.01):
        time.sleep(0.4)
    assert "planning" in slow.getvalue()
    quick = io.StringIO()
    with progress_after(Console(file=quick, force_terminal=True), "planning", 1.0, delay=60):
        pass
    assert quick.getvalue() == ""


# -- fewest moves against brute force ------------------------------------------------------


def brute_force_moves(problem: ProblemInput, draft: dict[str, str]) -> int:
    dinner = compile_dinner(problem, 0)
    draft_at = [dinner.table_ids.index(draft[m]) if m in draft else -1 for m in dinner.member_ids]
    best = None
    for plan in itertools.product(range(dinner.num_tables), repeat=dinner.num_attendees):
        table_of = np.array(plan)
        if violations(dinner, table_of):
            continue
        moves = sum(1 for i, t in enumerate(plan) if draft_at[i] >= 0 and draft_at[i] != t)
        best = moves if best is None else min(best, moves)
    assert best is not None
    return best


@pytest.mark.parametrize("seed", range(6))
def test_reseat_moves_the_fewest_people_the_rules_allow(seed):
    rng = np.random.default_rng(seed)
    members = [Member(id=f"p{k}", company=f"C{rng.integers(4)}") for k in range(8)]
    ids = [m.id for m in members]
    present = ids[:6]
    draft = {m: ("A" if k < 3 else "B") for k, m in enumerate(present)}
    walk_ins = ids[6:8]
    apart = [tuple(rng.choice(ids, 2, replace=False))]
    tables = [Table(id="A", capacity=3), Table(id="B", capacity=3), Table(id="C", capacity=2)]
    dinner = Dinner(date=dt.date(2026, 1, 1), attendees=present[1:] + walk_ins, tables=tables)
    problem = ProblemInput(
        members=members, dinners=[dinner], rules=Rules(max_per_company=2, apart=apart)
    )
    try:
        fewest = brute_force_moves(problem, draft)
    except AssertionError:
        pytest.skip("this random instance admits no plan")
    adjustment = reseat(problem, draft, time_limit=5, seed=seed)
    assert adjustment.result.status.has_plan and adjustment.minimal
    assert len(adjustment.moves) == fewest
    assert {m.member for m in adjustment.seated} == set(walk_ins)
    assert all(m.why for m in adjustment.moves)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["plan", "--date", "2025-13-01"], ["--date: not a real date '2025-13-01'"]),
        (["plan", "--date", "18-09"], ["--date: expected a date as YYYY-MM-DD or DD/MM/YYYY"]),
        (["plan", "--date", DAY, "--table-sizes", "0"], ["--table-sizes: expected numbers"]),
        (["plan", "--date", DAY, "--table-sizes", "99999999999"], ["--table-sizes"]),
        (["plan", "--date", DAY, "--attendee", "m001,zz"], ["--attendee: unknown member 'zz'"]),
        (["plan", "--date", "2024-12-05"], ["already recorded"]),
        (["settings", "--cooldown", "often"], ["--cooldown: expected a number or 'none'"]),
        (["settings", "--max-per-company", "10000000000000"], ["too large"]),
        (["settings", "--repeat-weight", "5"], ["--repeat-weight: ", "less than or equal to 1"]),
        (["settings", "--apart", "m001"], ["--apart: expected two member ids"]),
        (["settings", "--apart", "m001,zz"], ["--apart: unknown member 'zz'"]),
        (["show"], ["no draft plan"]),
        (["reseat", "--add-table", "T9:x"], ["no draft plan"]),
        (["print", "--date", "2031-01-01"], ["no draft plan for 2031-01-01"]),
    ],
)
def test_bad_options_exit_2_with_one_line_and_change_nothing(club, args, words):
    db, *_ = club
    before = dump(db)
    one_line_error(run("club", *args, "--db", db), 2, *words)
    assert dump(db) == before


def test_bad_reseat_options_keep_the_draft(club, tmp_path):
    db, *_ = club
    draft = planned(club)
    for args, words in (
        (["--add-table", "T9:x"], ["--add-table: expected ID:CAPACITY"]),
        (["--remove-table", "T99"], ["the draft has no table 'T99'"]),
        (["--cancel", "m099"], ["--cancel: unknown member 'm099'"]),
        (["--walk-in", draft.attendees[0]], ["already has a seat"]),
        (["--remove-table", ",".join(t.id for t in draft.tables)], ["no table would be left"]),
    ):
        one_line_error(run("club", "reseat", *args, "--db", db), 2, *words)
    with ClubStore(db) as store:
        assert store.draft() == draft


def test_rich_markup_in_names_and_ids_prints_as_typed(club, tmp_path):
    db, *_ = club
    bad = write(tmp_path, "bad.csv", "id,name\n[/x],A\n[/x],B\n")
    one_line_error(run("club", "import", bad, "--db", db), 2, "duplicate member id '[/x]'")
    odd = write(tmp_path, "odd.csv", "id,name,company\nm001,[/b] Bob [red]x,[/]Acme\n")
    ok("club", "import", odd, "--db", db)
    ok("club", "settings", "--name", "[bold]Club[/]", "--db", db)
    assert "[bold]Club[/]" in ok("club", "status", "--db", db).stdout
    report = ok("club", "report", "--top", "50", "--db", db).stdout
    assert "[/b] Bob [red]x" in report
    assert "[/b] Bob [red]x" in ok("club", "report", "--member", "m001", "--db", db).stdout
    ok("club", "plan", "--date", DAY, "--attendee", "m001,m002,m004", "--db", db,
       "--method", "local", "--time-limit", "1")  # fmt: skip
    assert "[/b] Bob [red]x" in ok("club", "show", "--db", db).stdout


def test_reseat_says_why_someone_had_to_move():
    members = [
        Member(id="a", name="Ann", company="Acme"),
        Member(id="b", name="Bob", company="Bolt"),
        Member(id="c", name="Cas", company="Core"),
        Member(id="e", name="Eve", company="Acme"),
    ]
    tables = [Table(id="A", capacity=2), Table(id="B", capacity=2)]
    dinner = Dinner(date=dt.date(2026, 1, 1), attendees=["a", "b", "c", "e"], tables=tables)
    problem = ProblemInput(members=members, dinners=[dinner], rules=Rules(max_per_company=1))
    draft = {"a": "A", "b": "A", "c": "B", "d": "B"}  # d cancelled; Eve walks in, pinned to A
    adjustment = reseat(problem, draft, {"e": "A"}, time_limit=5)
    assert adjustment.minimal
    assert [(m.member, m.from_table, m.to_table) for m in adjustment.moves] == [("a", "A", "B")]
    assert adjustment.moves[0].why == "same company (Acme) as Eve (walk-in), who joined A"
    assert [(m.member, m.to_table) for m in adjustment.seated] == [("e", "A")]
