"""Issue 11's bad input on the command line: each refused with one line and exit code 2, no
traceback, and the club database exactly as it was (each of these was a traceback or a silent
wrong result before)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from tests.club_helpers import club_files, dump, ok, one_line_error, run, write

from seating.club.store import ClubStore, StoreError


@pytest.fixture
def club(tmp_path: Path) -> tuple[Path, Path]:
    members, history, attendees, _ = club_files(tmp_path, num_members=24, num_history=2)
    db = tmp_path / "club.db"
    ok("club", "import", members, "--db", db)
    ok("club", "import-history", history, "--db", db)
    return db, attendees


def _refused(db: Path, args: list[object], *words: str) -> None:
    """``seating ARGS --db DB`` exits 2 with one line holding ``words``; DB is unchanged."""
    before = dump(db)
    one_line_error(run(*args, "--db", db), 2, *words)
    assert dump(db) == before


@pytest.mark.parametrize(
    ("capacity", "shown"),
    [("²", "'²'"), ("9" * 5000, "99999999999999999999..."), ("٣", "'٣'"), ("-1", "'-1'")],
    ids=["superscript", "5000-digits", "arabic-digit", "negative"],
)
def test_a_capacity_int_cannot_read_is_refused(club, tmp_path, capacity, shown):
    db, attendees = club
    tables = write(tmp_path, "tables.csv", f"table,capacity\nT1,12\nT2,{capacity}\n")
    args = ["club", "plan", "--date", "2030-01-10", "--attendees", attendees, "--tables", tables]
    _refused(db, args, "row 3", "capacity", shown)


def test_an_unterminated_quote_is_refused_at_its_row(club, tmp_path):
    db, _ = club
    members = write(tmp_path, "m.csv", 'id,name\nq1,"Unterminated\nq2,Bob\nq3,Carl\n')
    _refused(db, ["club", "import", members], "m.csv, row 2", "never closed")


def test_a_stray_quote_in_the_header_does_not_echo_the_file(club, tmp_path):
    db, _ = club
    rows = "".join(f"x{i},Name {i}\n" for i in range(6000))
    members = write(tmp_path, "m.csv", '"id,name\n' + rows)
    result = run("club", "import", members, "--db", db)
    one_line_error(result, 2, "row 1")
    assert len(result.stderr) < 300


def test_an_attendee_file_with_only_a_header_plans_nobody(club, tmp_path):
    db, _ = club
    attendees = write(tmp_path, "a.csv", "member_id\n")
    args = ["club", "plan", "--date", "2030-01-10", "--attendees", attendees, "--table-sizes", "8"]
    _refused(db, args, "a.csv", "only a header")


def test_a_bad_byte_after_a_byte_order_mark_is_named(club, tmp_path):
    db, _ = club
    members = write(tmp_path, "m.csv", b"\xef\xbb\xbfid,name\nz1,Ab\xe9\n")
    _refused(db, ["club", "import", members], "row 2", "0xe9")


@pytest.mark.parametrize("command", ["import", "import-history"])
def test_an_endless_file_is_refused_with_its_size(club, command):
    db, _ = club
    _refused(db, ["club", command, "/dev/zero"], "/dev/zero", "too large", "64 MiB")


def test_an_endless_problem_file_is_refused_with_its_size():
    one_line_error(run("plan", "/dev/zero"), 2, "/dev/zero", "too large")


def test_a_huge_problem_file_is_refused_with_its_size(tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(100 * 2**20)  # sparse: no disk used
    one_line_error(run("plan", huge), 2, "huge.json", "100 MiB")


@pytest.mark.parametrize(
    ("name", "text"),
    [("m.csv", "id,name\ne1,Ev\x1b]0;title\x07il\n"), ("m2.csv", "id,name\ne\x1b[2J1,Eve\n")],
    ids=["name", "id"],
)
def test_terminal_escapes_in_a_members_file_are_refused(club, tmp_path, name, text):
    db, _ = club
    _refused(db, ["club", "import", write(tmp_path, name, text)], "row 2", "control character")


def test_terminal_escapes_in_an_attendee_list_are_refused(club, tmp_path):
    db, _ = club
    attendees = write(tmp_path, "a.txt", "Ev\x1b[31mil\n")
    args = ["club", "plan", "--date", "2030-01-10", "--attendees", attendees, "--table-sizes", "8"]
    _refused(db, args, "row 1", "control character")


def test_terminal_escapes_in_a_problem_are_refused(tmp_path):
    problem = write(
        tmp_path,
        "p.json",
        '{"members": [{"id": "a", "name": "Ev\\u001b[31mil"}, {"id": "b"}],'
        ' "dinners": [{"date": "2026-12-03", "tables": [{"id": "T1", "capacity": 2}]}]}',
    )
    one_line_error(run("plan", problem), 2, "members[0].name", "control character")


def test_an_empty_database_file_is_refused_not_taken_for_a_new_club(club, tmp_path):
    _, _ = club
    members = tmp_path / "members.csv"
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for args in (["club", "status"], ["club", "import", members]):
        one_line_error(run(*args, "--db", empty), 2, "empty.db", "0 bytes")
    assert empty.read_bytes() == b""


def _damaged(db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "damaged.db"
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(db, copy)
    raw = bytearray(copy.read_bytes())
    raw[4096:] = b"Z" * (len(raw) - 4096)  # every page after the first
    copy.write_bytes(bytes(raw))
    return copy


@pytest.mark.parametrize(
    "args",
    [
        ["club", "status"],
        ["club", "report"],
        ["club", "import", "MEMBERS"],
        ["club", "plan", "--date", "2030-01-10", "--attendees", "ATTENDEES", "--table-sizes", "8"],
    ],
    ids=["status", "report", "import", "plan"],
)
def test_a_damaged_database_is_one_line(club, tmp_path, args):
    db, attendees = club
    damaged = _damaged(db, tmp_path)
    before = damaged.read_bytes()
    files = {"MEMBERS": tmp_path / "members.csv", "ATTENDEES": attendees}
    result = run(*[files.get(a, a) for a in args], "--db", damaged)
    one_line_error(result, 2, "database")
    assert damaged.read_bytes() == before


def test_a_write_the_database_refuses_is_a_store_error(tmp_path):
    # Root may write any file, so the read-only file is SQLite's own read-only mode.
    store = ClubStore(tmp_path / "club.db", create=True)
    store._db.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match="cannot write the club database"):
        store.save_settings(language="nl")
    store.close()


def test_export_into_an_existing_folder_is_one_line(club, tmp_path):
    db, _ = club
    folder = tmp_path / "exports"
    folder.mkdir()
    one_line_error(run("club", "export", "members", folder, "--db", db), 2, "exports")


def test_simulate_into_a_missing_folder_says_so_before_simulating(tmp_path):
    result = run("simulate", "--csv", tmp_path / "missing" / "s.csv", "--dinners", "2")
    one_line_error(result, 2, "--csv", "no folder")


def test_history_for_a_date_with_a_draft_is_refused(club, tmp_path):
    # The draft used to stay behind, and `record` then failed on it.
    db, attendees = club
    args = ["--attendees", attendees, "--table-sizes", "4", "--method", "local"]
    ok("club", "plan", "--date", "2030-01-10", *args, "--time-limit", "20", "--db", db)
    members = [m for m in attendees.read_text().split() if m][:3]
    rows = "".join(f"2030-01-10,T1,{m}\n" for m in members)
    history = write(tmp_path, "late.csv", "date,table,member_id\n" + rows)
    _refused(db, ["club", "import-history", history], "2030-01-10", "draft")
    ok("club", "record", "--allow-future", "--db", db)  # the draft can still be recorded


def test_out_through_a_symlink_never_writes_outside_its_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("keep me\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    link = work / "plan.json"
    link.symlink_to(secret)
    problem = write(
        work,
        "p.json",
        '{"members": [{"id": "a"}, {"id": "b"}],'
        ' "dinners": [{"date": "2026-12-03", "tables": [{"id": "T1", "capacity": 2}]}]}',
    )
    ok("plan", problem, "--out", link, "--method", "local", "--time-limit", "10")
    assert secret.read_text(encoding="utf-8") == "keep me\n"
    assert not link.is_symlink() and '"status"' in link.read_text(encoding="utf-8")
    # A link within the folder is followed: the file it names gets the plan.
    inside = work / "real.json"
    inside.write_text("old\n", encoding="utf-8")
    (work / "alias.json").symlink_to(inside)
    ok("plan", problem, "--out", work / "alias.json", "--method", "local", "--time-limit", "10")
    assert '"status"' in inside.read_text(encoding="utf-8")
    assert (work / "alias.json").is_symlink()


def test_a_name_with_an_escape_stored_before_never_reaches_the_terminal(club, tmp_path):
    db, attendees = club
    ids = attendees.read_text(encoding="utf-8").split()
    with sqlite3.connect(db) as connection:  # as an older seating stored it
        connection.execute("UPDATE members SET name = 'Ev\x1b[2Jil' WHERE id = ?", (ids[0],))
    args = ["club", "plan", "--date", "2030-01-10", "--attendee", ",".join(ids[:8])]
    ok(*args, "--table-sizes", "4", "--method", "local", "--time-limit", "20", "--db", db)
    shown = ok("club", "show", "--db", db).stdout + ok("club", "report", "--db", db).stdout
    assert "\x1b" not in shown
    assert "Ev\ufffd[2Jil" in shown


@pytest.mark.parametrize("option", ["--tables", "--registrations"])
def test_a_control_character_in_an_echoed_header_stays_on_one_line(club, tmp_path, option):
    # Found by benchmarks/fuzz.py: U+0085 (NEL) in a header split the one error line.
    db, attendees = club
    odd = write(tmp_path, "odd.csv", b"\n0\xc2\x85\n")
    if option == "--tables":
        args = ["club", "plan", "--date", "2030-01-10", "--attendees", attendees, option, odd]
    else:
        args = ["club", "plan-season", option, odd, "--table-sizes", "4"]
    result = run(*args, "--db", db)
    one_line_error(result, 2, "missing column", "\\x85")


def test_a_warning_line_escapes_control_characters():
    """Warnings (printed through ``warnings.formatwarning``) stay one line, with control
    characters escaped as in error lines: a name or header quoted in a warning cannot break
    the line or send an escape sequence to the terminal."""
    from seating.cli.app import _one_line

    line = _one_line(UserWarning("guest Ann\x1b[31m\nBob\x85 attends alone"))
    assert line == "warning: guest Ann\\x1b[31m\\nBob\\x85 attends alone\n"
