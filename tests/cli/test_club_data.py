"""The organiser's data on the command line as it really comes: workbooks, Belgian CSV,
headers mapped, dates typed day first, members named by name (issue 13)."""

from __future__ import annotations

import openpyxl
import pytest

from club_helpers import club_files, dump, ok, one_line_error, run, write
from seating.club.store import ClubStore

DAY = "2025-04-05"


@pytest.fixture
def club(tmp_path):
    """30 members (3 hosts, names from the synthetic club) and 4 past dinners."""
    members_csv, history_csv, attendees, problem = club_files(tmp_path)
    db = tmp_path / "club.db"
    ok("club", "import", members_csv, "--db", db)
    ok("club", "import-history", history_csv, "--db", db)
    return db, attendees, problem


def workbook(path, rows, title="Leden"):
    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_import_members_from_a_workbook_with_dutch_headers(tmp_path):
    path = workbook(
        tmp_path / "leden.xlsx",
        [["Lidnummer", "Naam", "Bedrijf", "Gastheer"], ["M001", "An", "Acme", "ja"],
         ["M002", "Bo", "Brel", "nee"]],
    )  # fmt: skip
    db = tmp_path / "club.db"
    result = ok("club", "import", path, "--db", db)
    assert "2 members; 2 added" in result.stdout
    with ClubStore(db) as store:
        assert [(m.id, m.host) for m in store.members()] == [("M001", True), ("M002", False)]


def test_import_maps_unknown_headers_with_column(tmp_path):
    path = write(tmp_path, "m.csv", "Code;Werkgever\nM001;Acme\n")
    db = tmp_path / "club.db"
    one_line_error(run("club", "import", path, "--db", db), 2, "--column HEADER=id")
    assert not db.exists()
    ok("club", "import", path, "--column", "code=id", "--column", "Werkgever=company", "--db", db)
    with ClubStore(db) as store:
        assert store.members()[0].company == "Acme"


def test_a_bad_workbook_row_exits_2_and_stores_nothing(club, tmp_path):
    db, *_ = club
    before = dump(db)
    path = workbook(tmp_path / "h.xlsx", [["Datum", "Tafel", "Lid"], ["18/09/2025", "T1", "m001"],
                                          ["19/09/2025", "T1", "m0O1"]])  # fmt: skip
    one_line_error(
        run("club", "import-history", path, "--db", db),
        2,
        "h.xlsx (sheet 'Leden'), row 3, field 'Lid': unknown member id 'm0O1'",
    )
    assert dump(db) == before


def test_bad_options_for_files(club, tmp_path):
    db, *_ = club
    path = workbook(tmp_path / "m.xlsx", [["id"], ["m001"]])
    workbook_two = openpyxl.load_workbook(path)
    workbook_two.create_sheet("Other").append(["id", "m002"])
    workbook_two.save(path)
    before = dump(db)
    one_line_error(run("club", "import", path, "--db", db), 2, "name one with --sheet")
    one_line_error(run("club", "import", path, "--sheet", "Nope", "--db", db), 2, "no sheet")
    one_line_error(run("club", "import", path, "--column", "x", "--db", db), 2, "--column:")
    one_line_error(run("club", "export", "members", "-", "--separator", "|", "--db", db), 2)
    assert dump(db) == before


def test_plan_with_names_day_first_date_and_comments(club, tmp_path):
    db, _, problem = club
    first, second, third = problem.members[3:6]
    attendees = write(
        tmp_path,
        "a.txt",
        f"{first.id} # {first.name}\n{second.name}\n"
        + "\n".join(m.id for m in problem.members[6:20]),
    )
    args = ["--attendees", attendees, "--attendee", third.name, "--table-sizes", "6"]
    ok("club", "plan", "--date", "05/04/2025", *args, "--time-limit", "1", "--db", db)
    with ClubStore(db) as store:
        draft = store.draft()
    assert str(draft.date) == DAY
    assert {first.id, second.id, third.id} <= set(draft.attendees)
    assert len(draft.attendees) == 17


def test_cancel_pin_swap_and_explain_by_name(club):
    db, attendees, problem = club
    ok("club", "plan", "--date", DAY, "--attendees", attendees, "--table-sizes", "6",
       "--method", "local", "--time-limit", "1", "--db", db)  # fmt: skip
    with ClubStore(db) as store:
        draft = store.draft()
    names = {m.id: m.name for m in problem.members}
    twice = [n for n in names.values() if list(names.values()).count(n) > 1]
    # The synthetic club has namesakes: by name they are refused, naming both ids.
    if twice:
        one_line_error(run("club", "explain", "--member", twice[0], "--db", db), 2, "give the id")
    hosts = {m.id for m in problem.members[:3]}
    seated = [m for m in draft.attendees if names[m] not in twice and m not in hosts]
    a, b, c = (names[m] for m in seated[3:6])
    result = ok("club", "explain", "--member", a, "--db", db)
    assert a in result.stdout
    table = next(t.id for t in draft.tables if seated[3] not in t.members)
    ok("club", "pin", a, table, "--time-limit", "1", "--db", db)
    with ClubStore(db) as store:
        where = store.draft().table_of()
    other = next(m for m in seated if where[m] != where[seated[4]] and m != seated[3])
    ok("club", "swap", b, other, "--time-limit", "1", "--db", db)
    result = ok("club", "reseat", "--cancel", c, "--time-limit", "1", "--db", db)
    assert f"cancelled: {c}" in result.stdout
    with ClubStore(db) as store:
        after = store.draft()
    assert seated[5] not in after.attendees and after.table_of()[seated[3]] == table
    one_line_error(
        run("club", "reseat", "--cancel", seated[5][:-1] + "x" + "9", "--db", db), 2,
        "--cancel: unknown member",
    )  # fmt: skip


def test_typo_in_an_attendee_file_names_row_and_suggests(club, tmp_path):
    db, _, problem = club
    ids = [m.id for m in problem.members[:10]]
    typo = ids[4].replace("0", "O", 1)
    path = write(tmp_path, "a.txt", "\n".join([*ids[:4], typo, *ids[5:]]) + "\n")
    before = dump(db)
    one_line_error(
        run("club", "plan", "--date", DAY, "--attendees", path, "--db", db),
        2,
        f"a.txt, row 5: unknown member {typo!r} (did you mean {ids[4]}",
    )
    assert dump(db) == before


def test_export_for_a_belgian_club_uses_semicolons_or_a_workbook(club, tmp_path):
    db, *_ = club
    ok("club", "settings", "--language", "nl", "--db", db)
    ok("club", "export", "members", tmp_path / "m.csv", "--db", db)
    assert (tmp_path / "m.csv").read_bytes().startswith(b"\xef\xbb\xbfid;name;company")
    ok("club", "export", "history", tmp_path / "h.xlsx", "--db", db)
    sheet = openpyxl.load_workbook(tmp_path / "h.xlsx").active
    assert [c.value for c in sheet[1]] == ["date", "table", "member_id", "name"]
    one_line_error(run("club", "settings", "--language", "de", "--db", db), 2, "--language:")


def _plan(db, attendees, day, *extra):
    args = ["--attendees", attendees, "--table-sizes", "6", "--method", "local"]
    return run("club", "plan", "--date", day, *args, "--time-limit", "1", "--db", db, *extra)


def test_a_plan_before_the_last_recorded_dinner_is_refused_unless_allowed(club):
    db, attendees, problem = club
    last = max(d.date for d in problem.history)
    typo = last.replace(year=last.year - 1).isoformat()
    before = dump(db)
    one_line_error(
        _plan(db, attendees, typo), 2, f"--date: {typo} comes before the last recorded dinner"
    )
    assert dump(db) == before
    assert _plan(db, attendees, typo, "--allow-past").exit_code == 0


def test_a_future_record_is_refused_and_earlier_drafts_are_named(club):
    db, attendees, _ = club
    assert _plan(db, attendees, DAY).exit_code == 0
    assert _plan(db, attendees, "2999-01-07").exit_code == 0
    before = dump(db)
    one_line_error(
        run("club", "record", "--date", "2999-01-07", "--db", db),
        2,
        "--date: the dinner of 2999-01-07 is in the future",
    )
    assert dump(db) == before
    result = ok("club", "record", "--date", "2999-01-07", "--allow-future", "--db", db)
    assert f"the draft of {DAY} comes earlier and is not recorded" in result.stderr


def test_pin_moves_few_by_default_and_shows_the_moves(club):
    db, attendees, _ = club
    assert _plan(db, attendees, DAY).exit_code == 0
    with ClubStore(db) as store:
        draft = store.draft()
    hosts = {t.host for t in draft.tables}
    seat = draft.table_of()
    member = next(m for m in draft.attendees if m not in hosts)
    target = next(t.id for t in draft.tables if t.id != seat[member])
    result = ok("club", "pin", member, target, "--time-limit", "1", "--db", db)
    with ClubStore(db) as store:
        after = store.draft().table_of()
    moved = sorted(m for m in after if after[m] != seat[m])
    assert member in moved and len(moved) <= 3  # not 26: the pinned one and a few to make room
    assert f"{len(moved)} {'person' if len(moved) == 1 else 'people'} moved" in result.stdout


def test_plan_says_in_plain_words_what_the_plan_gives(club):
    db, attendees, _ = club
    result = _plan(db, attendees, DAY)
    assert result.exit_code == 0
    assert "new conversations, " in result.stdout and "meet again" in result.stdout


def test_import_of_one_member_says_member(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("id,name\nM001,An\n", encoding="utf-8")
    result = ok("club", "import", path, "--db", tmp_path / "club.db")
    assert f"{path}: 1 member; 1 added, 0 updated, 0 unchanged" in result.stdout
