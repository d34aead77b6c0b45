"""`seating club plan-season`: several dinners planned jointly and saved as drafts in one
transaction; registrations files; bad input changes nothing; a SIGKILL while saving neither."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from club_helpers import (
    club_files,
    dump,
    kill_inside_transaction,
    ok,
    one_line_error,
    run,
    seating,
    write,
)
from seating.club import files as csvio
from seating.club.records import Draft, DraftTable
from seating.club.store import ClubStore, StoreError
from seating.compile.objective import violations
from seating.compile.plans import table_index
from seating.compile.problem import compile_dinner
from seating.models import Dinner, ProblemInput

DATES = ("2025-05-01", "2025-06-05", "2025-07-03")
DRAFTED = "2025-09-04"
"""A date the ``club`` fixture already holds a hand-made draft for."""

FAST = ("--time-limit", "0.5", "--seed", "1")


@pytest.fixture
def club(tmp_path):
    """30 members (3 hosts), 4 recorded dinners (the last on 2025-03-05), one draft."""
    members_csv, history_csv, _, problem = club_files(tmp_path)
    db = tmp_path / "club.db"
    ok("club", "import", members_csv, "--db", db)
    ok("club", "import-history", history_csv, "--db", db)
    with ClubStore(db) as store:
        draft = Draft(
            date=dt.date.fromisoformat(DRAFTED),
            tables=[DraftTable(id="T1", capacity=4, members=["m004", "m005", "m006"])],
        )
        store.save_draft(draft)
    return db, problem


def small_club(tmp_path: Path, size: int, companies: dict[str, str] | None = None) -> Path:
    """A club of ``size`` members p1, p2, ... without history, hosts or (by default)
    companies: a Social Golfer instance when everybody comes."""
    companies = companies or {}
    rows = [f"p{k},Person {k},{companies.get(f'p{k}', '')}" for k in range(1, size + 1)]
    members = write(tmp_path, "small.csv", "id,name,company\n" + "\n".join(rows) + "\n")
    db = tmp_path / "small.db"
    ok("club", "import", members, "--db", db)
    return db


def registrations(tmp_path: Path, dinners: dict[str, list[str]]) -> Path:
    rows = [f"{day},{m}" for day, members in dinners.items() for m in members]
    return write(tmp_path, "registrations.csv", "date,member_id\n" + "\n".join(rows) + "\n")


def pair_counts(tables: list[list[str]]) -> Counter:
    return Counter(frozenset(p) for t in tables for p in itertools.combinations(t, 2))


def met_before_per_dinner(history: list[list[list[str]]], drafts: list[Draft]) -> list[int]:
    """Pairs seated at each draft who sat together at a recorded or an earlier drafted
    dinner, counted by hand."""
    seen = Counter()
    for tables in history:
        seen += pair_counts(tables)
    result = []
    for draft in drafts:
        now = pair_counts([t.members for t in draft.tables])
        result.append(sum(1 for pair in now if seen[pair]))
        seen += now
    return result


def table_rows(stdout: str) -> dict[str, list[int]]:
    """The rows of the printed season table: dinner (or 'season') -> its numbers."""
    rows = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) == 6 and cells[1].isdigit():
            rows[cells[0]] = [int(c) for c in cells[1:]]
    return rows


def test_season_seats_every_registered_attendee_and_holds_every_rule(club, tmp_path):
    db, problem = club
    # Cooldown 1: no pair may sit together at two dinners in a row, planned ones included,
    # so the later dinners must account for the earlier planned ones.
    ok("club", "settings", "--cooldown", "1", "--db", db)
    ids = [m.id for m in problem.members]
    registered = {DATES[0]: ids[:20], DATES[1]: ids[6:29], DATES[2]: ids}
    reg = registrations(tmp_path, registered)
    # Small tables: ten people sat at one table at the last recorded dinner.
    result = ok("club", "plan-season", "--registrations", reg, "--table-sizes", "3", *FAST,
                "--db", db)  # fmt: skip
    with ClubStore(db) as store:
        drafts = [store.draft(dt.date.fromisoformat(d)) for d in DATES]
        history = store.history()
        members = [m.to_member() for m in store.members()]
        rules = store.rules()
        assert store.draft(dt.date.fromisoformat(DRAFTED)).attendees == ["m004", "m005", "m006"]
    company = {m.id: m.company for m in members}
    season = ProblemInput(
        members=members,
        history=history,
        dinners=[
            Dinner(date=d.date, attendees=d.attendees, tables=d.tables_input()) for d in drafts
        ],
        rules=rules,
    )
    for k, (day, draft) in enumerate(zip(DATES, drafts, strict=True)):
        seated = draft.attendees
        assert sorted(seated) == sorted(registered[day]) and len(set(seated)) == len(seated)
        for table in draft.tables:
            assert len(table.members) <= table.capacity
            named = [company[m] for m in table.members if company[m]]
            assert len(named) == len(set(named)), f"two of one company at {table.id}"
        assert {t.host for t in draft.tables} - {None} <= {"m001", "m002", "m003"}
        # Every rule (hosts, companies, capacities, cooldown) against the recorded dinners
        # and the season's earlier drafts.
        dinner = compile_dinner(season, k, [d.as_past() for d in drafts[:k]])
        assert violations(dinner, table_index(dinner, draft.table_of(), strict=True)) == []
        shown = ok("club", "show", "--date", day, "--db", db)
        assert f"Dinner of {day}" in shown.stdout
    expected = met_before_per_dinner([d.tables for d in history], drafts)
    rows = table_rows(result.stdout)
    assert [rows[day][2] for day in DATES] == expected
    tables = [len(d.tables) for d in drafts]
    assert [rows[day][:2] for day in DATES] == [[20, 7], [23, 8], [30, 10]] and tables == [7, 8, 10]
    assert rows["season"][:3] == [73, 25, sum(expected)]
    assert f"season: {sum(expected)} pairs met before (lower bound " in result.stdout
    assert f"saved 3 drafts ({', '.join(DATES)}) in {db}" in result.stdout
    assert f"seating club show --date {DATES[0]}" in result.stdout


def test_a_repeat_free_season_is_found_where_one_exists(tmp_path):
    db = small_club(tmp_path, 9)  # 9 members at 3 tables of 3, 4 dinners: an affine plane
    dates = ["2026-01-08", "2026-02-05", "2026-03-05", "2026-04-02"]
    result = ok("club", "plan-season", "--date", ",".join(dates[:2]), "--date", dates[2],
                "--date", dates[3], "--table-sizes", "3", *FAST, "--db", db)  # fmt: skip
    with ClubStore(db) as store:
        drafts = store.drafts()
    assert [str(d.date) for d in drafts] == dates
    meetings = sum((pair_counts([t.members for t in d.tables]) for d in drafts), Counter())
    assert len(meetings) == 36 and max(meetings.values()) == 1
    assert all(sorted(d.attendees) == sorted(f"p{k}" for k in range(1, 10)) for d in drafts)
    assert "season: 0 pairs met before (lower bound 0)" in result.stdout


def test_later_dinners_count_the_earlier_planned_ones(tmp_path):
    # 4 members at 2 tables of 2: three dinners meet all 6 pairs, the fourth must repeat 2.
    db = small_club(tmp_path, 4)
    dates = ["2026-01-08", "2026-02-05", "2026-03-05", "2026-04-02"]
    result = ok("club", "plan-season", "--date", ",".join(dates), "--table-sizes", "2", *FAST,
                "--verbose", "--db", db)  # fmt: skip
    with ClubStore(db) as store:
        drafts = store.drafts()
    per_dinner = met_before_per_dinner([], drafts)
    assert sorted(per_dinner) == [0, 0, 0, 2]
    rows = table_rows(result.stdout)
    assert [rows[day][2] for day in dates] == per_dinner
    assert rows["season"][2] == 2
    assert "season: 2 pairs met before (lower bound 2)" in result.stdout
    assert "status optimal" in result.stdout


def test_tables_per_date_from_a_tables_file_with_a_date_column(tmp_path):
    """Rows with a date are that dinner's tables (its own host too), rows without one the
    tables of every other dinner; a date that is no dinner is a note, not an error."""
    db = small_club(tmp_path, 9)
    dates = ["2026-01-08", "2026-02-05", "2026-03-05"]
    tables = write(tmp_path, "tables.csv", "date,table,capacity,host\n"
                   ",A,3,\n,B,3,\n,C,3,\n"
                   "2026-02-05,Big,5,p1\n2026-02-05,Small,4,\n"
                   "2026-06-04,X,9,\n")  # fmt: skip
    result = ok("club", "plan-season", "--date", ",".join(dates), "--tables", tables, *FAST,
                "--db", db)  # fmt: skip
    with ClubStore(db) as store:
        drafts = {str(d.date): d for d in store.drafts()}
    assert [t.id for t in drafts["2026-01-08"].tables] == ["A", "B", "C"]
    assert [t.id for t in drafts["2026-03-05"].tables] == ["A", "B", "C"]
    february = {t.id: t for t in drafts["2026-02-05"].tables}
    assert sorted(february) == ["Big", "Small"]
    assert "p1" in february["Big"].members and len(february["Big"].members) <= 5
    assert "2026-06-04, which is not a dinner of this season" in result.stderr


BAD_CASES = [
    ({"r.csv": "date,member_id\n2025-05-01,m001\n2025-05-01,zz\n"}, ["--registrations", "r.csv"],
     ["r.csv, row 3, field 'member_id': unknown member 'zz'"]),
    ({"r.csv": "date,member\n2025-05-01,m001\n2025-06-05,m002\n2025-05-01,m001\n"},
     ["--registrations", "r.csv"],
     ["r.csv, row 4, field 'member': member 'm001' is registered twice for 2025-05-01 "
      "(first on row 2)"]),
    ({"r.csv": "date,id\n2025-05-01,m001\n5/6/25,m002\n"}, ["--registrations", "r.csv"],
     ["r.csv, row 3, field 'date': expected a date as YYYY-MM-DD or DD/MM/YYYY (got '5/6/25')"]),
    ({"r.csv": "date,member_id\n2025-02-30,m001\n"}, ["--registrations", "r.csv"],
     ["r.csv, row 2, field 'date': not a real date"]),
    ({"r.csv": "date,member_id\n2025-05-01,\n"}, ["--registrations", "r.csv"],
     ["r.csv, row 2, field 'member_id': empty member id"]),
    ({"r.csv": "date,name\n2025-05-01,An\n"}, ["--registrations", "r.csv"],
     ["r.csv, row 2, field 'name': unknown member 'An'"]),
    ({}, ["--date", "2025-05-01,2025-13-01"], ["--date: not a real date '2025-13-01'"]),
    ({}, ["--date", "2025-05-01", "--date", "2025-03-05"],
     ["the dinner of 2025-03-05 is already recorded"]),
    ({}, ["--date", "2025-03-01", "--date", "2025-05-01"],
     ["the dinner of 2025-03-05 is recorded but comes after 2025-03-01"]),
    ({}, ["--date", "2025-05-01", "--date", DRAFTED],
     [f"a draft plan for {DRAFTED} exists", "--replace"]),
    ({"t.csv": "table,capacity\nT1,8\nT2,8\n"}, ["--date", "2025-05-01", "--tables", "t.csv"],
     ["dinner 2025-05-01: 30 attendees but the tables of", "t.csv seat 16"]),
    ({"r.csv": "date,member_id\n2025-05-01,m001\n"},
     ["--registrations", "r.csv", "--date", "2025-05-01"],
     ["--date 2025-05-01: the date is also in", "give it once"]),
    ({}, ["--table-sizes", "6"], ["no dinners to plan"]),
    ({"t.csv": "date,table,capacity\n2025-05-01,T1,40\n"},
     ["--date", "2025-05-01,2025-06-05", "--tables", "t.csv"],
     ["dinner 2025-06-05: the tables of", "t.csv has no tables for that date"]),
    ({"t.csv": "date,table,capacity\n2025-05-01,T1,8\n,T1,40\n"},
     ["--date", "2025-05-01", "--tables", "t.csv"],
     ["dinner 2025-05-01: 30 attendees but the tables of", "t.csv for 2025-05-01 seat 8"]),
    ({"t.csv": "date,table,capacity\n2025-05-01,T1,40\n2025-05-01,T1,8\n"},
     ["--date", "2025-05-01", "--tables", "t.csv"],
     ["t.csv, row 3, field 'table': duplicate table id 'T1' on 2025-05-01 (first on row 2)"]),
    ({}, ["--date", "2025-05-01", "--table-sizes", "0"], ["--table-sizes: expected numbers"]),
]  # fmt: skip


@pytest.mark.parametrize(("files", "args", "words"), BAD_CASES)
def test_bad_input_exits_2_with_one_line_and_changes_nothing(club, tmp_path, files, args, words):
    db, _ = club
    for name, text in files.items():
        write(tmp_path, name, text)
    args = [str(tmp_path / a) if a in files else a for a in args]
    before = dump(db)
    one_line_error(run("club", "plan-season", *args, *FAST, "--db", db), 2, *words)
    assert dump(db) == before


def test_a_member_who_left_cannot_be_planned(club, tmp_path):
    db, _ = club
    ok("club", "import", write(tmp_path, "left.csv", "id,status\nm007,left\n"), "--db", db)
    before = dump(db)
    reg = registrations(tmp_path, {"2025-05-01": ["m001", "m002"], "2025-06-05": ["m007"]})
    one_line_error(
        run("club", "plan-season", "--registrations", reg, *FAST, "--db", db),
        2,
        "dinner 2025-06-05: member 'm007'",
        "has left the club",
    )
    assert dump(db) == before
    # A date given by --date alone seats every active member: m007 is not among them.
    ok("club", "plan-season", "--date", "2025-05-01", "--table-sizes", "6", *FAST, "--db", db)
    with ClubStore(db) as store:
        assert len(store.draft(dt.date(2025, 5, 1)).attendees) == 29


def test_replace_plans_existing_drafts_afresh_and_leaves_the_others(club):
    db, _ = club
    with ClubStore(db) as store:
        other = Draft(
            date=dt.date(2025, 12, 4), tables=[DraftTable(id="T1", capacity=2, members=["m001"])]
        )
        store.save_draft(other)
    ok("club", "plan-season", "--date", f"2025-05-01,{DRAFTED}", "--table-sizes", "8",
       "--replace", *FAST, "--db", db)  # fmt: skip
    with ClubStore(db) as store:
        assert len(store.draft(dt.date.fromisoformat(DRAFTED)).attendees) == 30
        assert store.draft(dt.date(2025, 12, 4)) == other
        for day in ("2025-05-01", DRAFTED):
            hosts = {t.host for t in store.draft(dt.date.fromisoformat(day)).tables}
            assert hosts == {"m001", "m002", "m003", None}  # auto hosts, 4 tables


def test_rules_that_clash_exit_1_and_save_nothing(tmp_path):
    # Four members of one company, three tables, at most one per company at a table.
    db = small_club(tmp_path, 9, companies={f"p{k}": "Acme" for k in range(1, 5)})
    before = dump(db)
    # A generous limit: the clash is proven at once, but not always within 0.5 s under load.
    result = run("club", "plan-season", "--date", "2026-01-08,2026-02-05", "--table-sizes", "3",
                 "--time-limit", "60", "--seed", "1", "--db", db)  # fmt: skip
    one_line_error(result, 1, "no plan (infeasible)", "company")
    assert dump(db) == before


def test_sigkill_while_saving_a_season_leaves_no_draft(tmp_path):
    db = small_club(tmp_path, 9)
    dates = "2026-01-08,2026-02-05,2026-03-05,2026-04-02"
    args = ["club", "plan-season", "--date", dates, "--table-sizes", "3", *FAST, "--db", db]
    before = dump(db)
    kill_inside_transaction("save-drafts", args, tmp_path)
    assert dump(db) == before
    with ClubStore(db) as store:
        assert store.integrity_check() == "ok" and store.drafts() == []
    again = seating(*args)
    assert again.wait() == 0, again.communicate()
    with ClubStore(db) as store:
        assert len(store.drafts()) == 4


def test_save_drafts_writes_all_or_nothing(club):
    db, _ = club
    before = dump(db)
    day = dt.date(2025, 5, 1)
    good = Draft(date=day, tables=[DraftTable(id="T1", capacity=3, members=["m001"])])
    with ClubStore(db) as store:
        for later, replace, words in (
            (dt.date.fromisoformat(DRAFTED), False, "a draft plan for 2025-09-04 exists"),
            (dt.date(2025, 3, 5), True, "the dinner of 2025-03-05 is already recorded"),
            (day, True, "two draft plans for 2025-05-01"),
        ):
            bad = good.model_copy(update={"date": later})
            with pytest.raises(StoreError, match=words):
                store.save_drafts([good, bad], replace=replace)
        unknown = Draft(date=day, tables=[DraftTable(id="T1", capacity=3, members=["zz"])])
        with pytest.raises(StoreError, match="unknown member id 'zz'"):
            store.save_drafts([unknown], replace=False)
    assert dump(db) == before
    with ClubStore(db) as store:
        store.save_drafts([good], replace=False)
        assert store.draft(day) == good


def test_registrations_columns_order_and_delimiters(tmp_path):
    path = write(
        tmp_path, "r.csv", "Name;Member;Date\nAn;m2;2025-06-05\nBo;m1;2025-05-01\n;m1;2025-06-05\n"
    )
    assert csvio.read_registrations_csv(path) == {
        dt.date(2025, 5, 1): ["m1"],
        dt.date(2025, 6, 5): ["m2", "m1"],
    }
    by_id = write(tmp_path, "i.csv", "date,id\n2025-05-01,m3\n")
    assert csvio.read_registrations_csv(by_id) == {dt.date(2025, 5, 1): ["m3"]}
    with pytest.raises(csvio.CsvError, match="only a header"):
        csvio.read_registrations_csv(write(tmp_path, "e.csv", "date,member_id\n"))


def test_a_host_who_does_not_come_leaves_the_table_without_a_fixed_host(club, tmp_path):
    db, problem = club
    ids = [m.id for m in problem.members]
    tables = write(tmp_path, "t.csv", "table,capacity,host\nT1,10,m004\nT2,10\nT3,10\n")
    away = [m for m in ids if m != "m004"]
    reg = registrations(tmp_path, {"2025-05-01": ids[:24], "2025-06-05": away[:24]})
    result = ok("club", "plan-season", "--registrations", reg, "--tables", tables,
                "--no-auto-hosts", *FAST, "--db", db)  # fmt: skip
    assert "note: 2025-06-05: 'm004', host of table T1, is not coming" in result.stderr
    with ClubStore(db) as store:
        first = store.draft(dt.date(2025, 5, 1))
        second = store.draft(dt.date(2025, 6, 5))
    assert [t.host for t in first.tables if t.id == "T1"] == ["m004"]
    assert "m004" in next(t.members for t in first.tables if t.id == "T1")
    assert all(t.host is None for t in second.tables)


def test_an_earlier_unrecorded_draft_counts_as_if_it_took_place(club):
    """The hand-made draft seats m004, m005 and m006 together. With cooldown 1 a later plan
    may not seat any two of them together again: the draft counts as the last dinner."""
    db, _ = club
    ok("club", "settings", "--cooldown", "1", "--db", db)
    later = ("--table-sizes", "3", *FAST, "--db", db)
    season = ok("club", "plan-season", "--date", "2025-10-02,2025-11-06", *later)
    single = ok("club", "plan", "--date", "2025-12-04", *later)
    shown = ok("club", "show", "--date", "2025-10-02", "--db", db)
    note = f"note: counting the draft of {DRAFTED} as if it took place (not recorded yet)"
    assert note in season.stderr and note in shown.stderr
    assert f"the drafts of {DRAFTED}, 2025-10-02, 2025-11-06 as if" in single.stderr
    with ClubStore(db) as store:
        first = store.draft(dt.date(2025, 10, 2))
    trio = {"m004", "m005", "m006"}
    for table in first.tables:
        assert len(trio & set(table.members)) <= 1, table
    # A season before the draft does not count it.
    assert "note" not in ok("club", "plan-season", "--date", "2025-05-01", *later).stderr


def _meetings(tables: list[list[str]], a: str, b: str) -> int:
    return sum(1 for t in tables if a in t and b in t)


def test_club_explain_names_each_pair_with_its_meetings_and_fails_in_one_line(club):
    db, _ = club
    with ClubStore(db) as store:
        recorded = [t for d in store.history() for t in d.tables]
    result = ok("club", "explain", "--date", DRAFTED, "--table", "T1", "--json", "--db", db)
    data = json.loads(result.stdout)
    (table,) = data["tables"]
    assert table["table"] == "T1" and sorted(table["members"]) == ["m004", "m005", "m006"]
    assert len(table["pairs"]) == 3
    for pair in table["pairs"]:
        assert pair["meetings"] == _meetings(recorded, pair["a"], pair["b"])
    text = ok("club", "explain", "--date", DRAFTED, "--member", "m004", "--db", db).stdout
    assert "sits at table T1" in text
    one_line_error(run("club", "explain", "--date", DRAFTED, "--table", "ZZ", "--db", db), 2,
                   "--table: unknown table id 'ZZ'")  # fmt: skip
    one_line_error(run("club", "explain", "--date", DRAFTED, "--member", "m001", "--db", db), 2,
                   "'m001' is not seated")  # fmt: skip
    one_line_error(
        run("club", "explain", "--table", "T1", "--member", "m004", "--date", DRAFTED, "--db", db),
        2,
        "not both",
    )


def test_club_explain_of_a_later_draft_counts_the_earlier_one(club):
    db, _ = club
    ok("club", "plan-season", "--date", "2025-10-02", "--table-sizes", "3", *FAST, "--db", db)
    with ClubStore(db) as store:
        recorded = [t for d in store.history() for t in d.tables]
        drafted = [t.members for t in store.draft(dt.date.fromisoformat(DRAFTED)).tables]
        later = store.draft(dt.date(2025, 10, 2))
    one_line_error(run("club", "explain", "--db", db), 2, "several draft plans")
    mate = next(t.members for t in later.tables if "m004" in t.members)
    result = ok("club", "explain", "--date", "2025-10-02", "--member", "m004", "--json",
                "--db", db)  # fmt: skip
    assert f"counting the draft of {DRAFTED}" in result.stderr
    mates = json.loads(result.stdout)["member"]["mates"]
    assert sorted(m["b"] for m in mates) == sorted(m for m in mate if m != "m004")
    for m in mates:
        expected = _meetings(recorded, "m004", m["b"]) + _meetings(drafted, "m004", m["b"])
        assert m["meetings"] == expected


def test_discard_deletes_one_draft_and_it_stops_counting(club):
    db, _ = club
    ok("club", "plan-season", "--date", "2025-10-02,2025-11-06", "--table-sizes", "8", *FAST,
       "--db", db)  # fmt: skip
    one_line_error(run("club", "discard", "--db", db), 2, "several draft plans")
    result = ok("club", "discard", "--date", "2025-10-02", "--db", db)
    assert (
        "discarded the draft of 2025-10-02 (30 people at 4 tables; seating club undo"
        in result.stdout
    )
    with ClubStore(db) as store:
        assert [str(d.date) for d in store.drafts()] == [DRAFTED, "2025-11-06"]
    shown = ok("club", "show", "--date", "2025-11-06", "--db", db)
    assert f"counting the draft of {DRAFTED} as if it took place" in shown.stderr
    before = dump(db)
    one_line_error(run("club", "discard", "--date", "2025-10-02", "--db", db), 2,
                   "no draft plan for 2025-10-02")  # fmt: skip
    assert dump(db) == before


def test_a_draft_between_the_dinners_of_a_season_is_refused(club):
    db, _ = club
    before = dump(db)
    one_line_error(
        run("club", "plan-season", "--date", "2025-08-07,2025-10-02", *FAST, "--db", db),
        2,
        f"a draft plan for {DRAFTED} lies between the dinners to plan",
        f"seating club discard --date {DRAFTED}",
    )
    assert dump(db) == before


def test_a_draft_whose_date_is_recorded_meanwhile_is_not_counted_twice(club, tmp_path):
    db, _ = club
    ok("club", "plan-season", "--date", "2025-10-02", "--table-sizes", "8", *FAST, "--db", db)
    # The hand-made draft's dinner is imported as history (say, from a spreadsheet): refused
    # while the draft is there (issue 11), then with --replace the record takes its place.
    rows = "".join(f"{DRAFTED},T1,{m}\n" for m in ("m004", "m005", "m006"))
    history = write(tmp_path, "h.csv", "date,table,member_id\n" + rows)
    one_line_error(run("club", "import-history", history, "--db", db), 2, "has a draft plan")
    ok("club", "import-history", history, "--replace", "--yes", "--db", db)
    with ClubStore(db) as store:
        assert DRAFTED not in {str(d.date) for d in store.drafts()}
    result = ok("club", "explain", "--date", "2025-10-02", "--member", "m004", "--json",
                "--db", db)  # fmt: skip
    assert "note" not in result.stderr
    with ClubStore(db) as store:
        recorded = [t for d in store.history() for t in d.tables]
    for mate in json.loads(result.stdout)["member"]["mates"]:
        assert mate["meetings"] == _meetings(recorded, "m004", mate["b"])


def test_a_season_without_a_plan_still_says_which_drafts_counted(tmp_path):
    # 4 members at tables of 2, p1 kept apart from p3 and p4: the only seating is p1+p2 and
    # p3+p4, which cooldown 1 forbids at the next dinner, because the draft counts.
    db = small_club(tmp_path, 4)
    ok("club", "settings", "--cooldown", "1", "--apart", "p1,p3", "--apart", "p1,p4",
       "--db", db)  # fmt: skip
    ok("club", "plan", "--date", "2026-01-08", "--table-sizes", "2", *FAST, "--db", db)
    result = run("club", "plan", "--date", "2026-02-05", "--table-sizes", "2", *FAST, "--db", db)
    assert result.exit_code == 1, result.stderr
    assert "note: counting the draft of 2026-01-08 as if it took place" in result.stderr


def test_changing_an_earlier_draft_notes_a_later_draft_it_now_breaks(tmp_path):
    # 4 members at tables of 2 with cooldown 1: plan two dinners, then swap the first so that
    # it repeats a pair of the second: the second draft now breaks the cooldown.
    db = small_club(tmp_path, 4)
    ok("club", "settings", "--cooldown", "1", "--db", db)
    dates = "2026-01-08,2026-02-05"
    ok("club", "plan-season", "--date", dates, "--table-sizes", "2", *FAST, "--db", db)
    with ClubStore(db) as store:
        second = store.draft(dt.date(2026, 2, 5))
    a, b = second.tables[0].members
    with ClubStore(db) as store:
        table_of = store.draft(dt.date(2026, 1, 8)).table_of()
    # Seat a next to b at the first dinner: swap b with whoever sits with a.
    partner = next(m for m, t in table_of.items() if t == table_of[a] and m != a)
    result = ok("club", "swap", b, partner, "--date", "2026-01-08", *FAST, "--db", db)
    x, y = sorted((a, b))
    assert (
        f"note: the draft of 2026-02-05 now breaks a rule: '{x}' and '{y}' may not sit together"
        in result.stderr
    )
