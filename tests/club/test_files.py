"""CSV formats of the club workflow: reading, validation messages, formula neutralisation."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from club_helpers import club_files, write
from seating.club import files as csvio
from seating.club.files import CsvError
from seating.club.records import ClubMember


def test_members_round_trip_through_export(tmp_path):
    members_csv, *_ = club_files(tmp_path)
    members, ignored = csvio.read_members_csv(members_csv)
    assert ignored == [] and len(members) == 30
    assert members[0].host and not members[5].host and all(m.active for m in members)
    out = tmp_path / "out.csv"
    csvio.write_csv(out, csvio.MEMBER_COLUMNS, csvio.member_rows(members))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheets read accents right
    again, _ = csvio.read_members_csv(out)
    assert again == members


def test_members_columns_are_matched_loosely_and_semicolons_work(tmp_path):
    path = write(
        tmp_path,
        "m.csv",
        "\ufeffID ; Name;Company;Languages;Is Host;Status;Notes\n"
        "a1;Zoë Ümit;Acme;NL, en;x;left;something\n"
        "a2;;;;;;\n",
    )
    members, ignored = csvio.read_members_csv(path)
    assert ignored == ["notes"]
    assert members[0] == ClubMember(
        id="a1", name="Zoë Ümit", company="Acme", languages=["nl", "en"], host=True, active=False
    )
    assert members[1] == ClubMember(id="a2")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "m.csv: empty file"),
        ("\ufeff\n\n", "m.csv: empty file"),
        ("name,company\nAn,Acme\n", "m.csv, row 1, field 'id': missing column"),
        ("id,name\n", "m.csv: no members in the file"),
        ("id,name\nm1,An\nm2,Bo\nm1,Cy\n", "m.csv, row 4, field 'id': duplicate member id 'm1'"),
        ("id,name\nm1,An\n,Bo\n", "m.csv, row 3, field 'id': empty member id"),
        ("id,host\nm1,maybe\n", "m.csv, row 2, field 'host': expected yes or no"),
        ("id,status\nm1,gone\n", "m.csv, row 2, field 'status': expected active, left or guest"),
        ("id,name\nm1,An,extra\n", "m.csv, row 2: 3 cells but the header names 2"),
        ("id,id\nm1,m1\n", "m.csv, row 1, field 'id': the column appears twice"),
    ],
)
def test_bad_members_files_name_file_row_and_field(tmp_path, text, expected):
    path = write(tmp_path, "m.csv", text)
    with pytest.raises(CsvError) as info:
        csvio.read_members_csv(path)
    message = str(info.value).replace(str(tmp_path) + "/", "")
    assert message.startswith(expected)
    assert "\n" not in message


def test_wrong_encoding_names_the_row(tmp_path):
    path = write(tmp_path, "m.csv", "id,name\nm1,An\nm2,Zo\xeb\n".encode("latin-1"))
    with pytest.raises(CsvError, match=r"m\.csv, row 3: not UTF-8 text \(byte 0xeb\)"):
        csvio.read_members_csv(path)


def test_history_groups_seats_into_dinners(tmp_path):
    _, history_csv, _, problem = club_files(tmp_path)
    dinners, ignored = csvio.read_history_csv(history_csv, {m.id for m in problem.members})
    assert ignored == []
    assert [d.date for d in dinners] == [d.date for d in problem.history]
    assert [d.as_past().tables for d in dinners] == [d.tables for d in problem.history]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date,table\n2025-01-01,T1\n", "h.csv, row 1, field 'member_id': missing column"),
        ("date,table,member_id\n2025-13-01,T1,m1\n", "h.csv, row 2, field 'date': not a real"),
        ("date,table,member_id\n2025/02/01,T1,m1\n", "h.csv, row 2, field 'date': expected a"),
        ("date,table,member_id\n2025-01-01,T1,m1\n2025-01-01,T1,zz\n", "h.csv, row 3, field "
         "'member_id': unknown member id 'zz'"),
        ("date,table,member_id\n2025-01-01,T1,m1\n2025-01-01,T2,m1\n", "h.csv, row 3, field "
         "'member_id': member 'm1' is seated twice on 2025-01-01 (first on row 2)"),
        ("date,table,member_id\n2025-01-01,,m1\n", "h.csv, row 2, field 'table': empty table"),
        ("date,table,member_id\n", "h.csv: no seats"),
        ("", "h.csv: empty file"),
    ],
)  # fmt: skip
def test_bad_history_files_name_file_row_and_field(tmp_path, text, expected):
    path = write(tmp_path, "h.csv", text)
    with pytest.raises(CsvError) as info:
        csvio.read_history_csv(path, {"m1", "m2"})
    assert str(info.value).replace(str(tmp_path) + "/", "").startswith(expected)


def test_history_name_column_is_allowed(tmp_path):
    path = write(tmp_path, "h.csv", "date,table,member_id,name\n2025-01-01,T1,m1,An\n")
    dinners, ignored = csvio.read_history_csv(path, {"m1"})
    assert ignored == [] and dinners[0].date == dt.date(2025, 1, 1)


@pytest.mark.parametrize("cell", ["=1+1", "+31 2", "-2", "@SUM(A1)", "\tx", "=cmd|' /C calc'!A0"])
def test_formula_cells_are_neutralised_on_export(cell):
    text = csvio.csv_text(["name"], [[cell]])
    written = next(csv.reader(text.splitlines()[1:]))[0]
    assert written == "'" + cell
    assert csvio.restore(written) == cell


def test_exported_formula_names_import_back_unchanged(tmp_path):
    members = [
        ClubMember(id="m1", name='=HYPERLINK("http://x")', company="+Acme"),
        ClubMember(id="m2", name="@home", industry="-"),
        ClubMember(id="m3", name="'quoted"),
    ]
    out = tmp_path / "out.csv"
    csvio.write_csv(out, csvio.MEMBER_COLUMNS, csvio.member_rows(members))
    raw = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw and "'+Acme" in raw and "'@home" in raw
    again, _ = csvio.read_members_csv(out)
    assert again == members


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20))
def test_neutralise_then_restore_is_identity(cell):
    assert csvio.restore(csvio.neutralise(cell)) == cell
    assert not csvio.neutralise(cell).startswith(csvio.FORMULA_START)


def test_id_lists_and_tables(tmp_path):
    plain = write(tmp_path, "a.txt", "# next dinner\nm1\n\nm2\n")
    assert csvio.read_id_list(plain) == ["m1", "m2"]
    with_header = write(tmp_path, "b.csv", "name;member_id\nAn;m3\nBo;m4\n")
    assert csvio.read_id_list(with_header) == ["m3", "m4"]
    twice = write(tmp_path, "c.txt", "m1\nm2\nm1\n")
    with pytest.raises(CsvError, match=r"c\.txt, row 3: member 'm1' is listed twice"):
        csvio.read_id_list(twice)
    tables = write(tmp_path, "t.csv", "table,capacity,host\nT1,8,m1\nT2,10,\n")
    assert [(t.id, t.capacity, t.host) for t in csvio.read_tables_csv(tables)] == [
        ("T1", 8, "m1"),
        ("T2", 10, None),
    ]
    bad = write(tmp_path, "u.csv", "table,capacity\nT1,eight\n")
    with pytest.raises(CsvError, match=r"u\.csv, row 2, field 'capacity'"):
        csvio.read_tables_csv(bad)
