"""The organiser's files as they really come: Excel workbooks (written by openpyxl and by
XlsxWriter), Belgian CSV (semicolons, a byte-order mark, Dutch and French headers, ja/nee,
dd/mm/yyyy), the organiser's own header mapping, and files written with the umask's mode."""

from __future__ import annotations

import datetime as dt
import os
import stat

import openpyxl
import pytest
import xlsxwriter

from club_helpers import write
from seating.club import files as csvio
from seating.club.files import CsvError, ReadOptions
from seating.club.records import ClubMember
from seating.club.values import TypedValueError, parse_date, parse_flag
from seating.club.workbook import WorkbookError
from seating.club.writing import separator_for, write_text_atomically

DUTCH = [
    ["Lidnummer", "Naam", "Bedrijf", "Gastheer", "Taal"],
    ["M001", "Ursula Lambert", "Acme", "ja", "nl, fr"],
    ["M002", "Wim Peeters", "Brel", "nee", "nl"],
    ["M003", "Élise Dubois", "Citroën", "oui", "fr"],
]


def openpyxl_book(path, sheets: dict[str, list[list[object]]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def xlsxwriter_book(path, rows: list[list[object]]):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Leden")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dates)
            else:
                sheet.write(r, c, value)
    book.close()
    return path


def test_members_from_an_openpyxl_workbook_with_dutch_headers(tmp_path):
    path = openpyxl_book(tmp_path / "leden.xlsx", {"Leden": DUTCH})
    members, ignored = csvio.read_members_csv(path)
    assert ignored == []
    assert [m.id for m in members] == ["M001", "M002", "M003"]
    assert members[0] == ClubMember(
        id="M001", name="Ursula Lambert", company="Acme", languages=["nl", "fr"], host=True
    )
    assert not members[1].host and members[2].host and members[2].company == "Citroën"


def test_history_from_an_xlsxwriter_workbook_with_date_cells_and_numbers(tmp_path):
    rows = [["Datum", "Tafel", "Lid"]]
    rows += [[dt.date(2025, 9, 18), 1, "M001"], [dt.date(2025, 9, 18), 1, "M002"]]
    rows += [["18/10/2025", "Rubens", "M001"], [dt.date(2025, 10, 18), "Rubens", "M003"]]
    path = xlsxwriter_book(tmp_path / "history.xlsx", rows)
    dinners, _ = csvio.read_history_csv(path, {"M001", "M002", "M003"})
    assert [d.date for d in dinners] == [dt.date(2025, 9, 18), dt.date(2025, 10, 18)]
    assert dinners[0].seating() == {"M001": "1", "M002": "1"}  # 1.0 in the cell, table "1"
    assert dinners[1].seating() == {"M001": "Rubens", "M003": "Rubens"}


def test_formulas_are_read_as_their_values_not_as_formulas(tmp_path):
    path = tmp_path / "tables.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Tafel", "Plaatsen"])
    sheet.write_row(1, 0, ["Rubens", 8])
    sheet.write_formula(2, 0, '="Ma"&"gritte"', None, "Magritte")
    sheet.write_formula(2, 1, "=B2+2", None, 10)
    book.close()
    tables = csvio.read_tables_csv(path)
    assert [(t.id, t.capacity) for t in tables] == [("Rubens", 8), ("Magritte", 10)]


def test_belgian_csv_french_headers_and_day_first_dates(tmp_path):
    text = "\ufeffNuméro;Nom;Société;Hôte\r\nM001;Ursula Lambert;Acme;oui\r\nM002;Wim;Brel;non\r\n"
    members, _ = csvio.read_members_csv(write(tmp_path, "membres.csv", text.encode()))
    assert [(m.id, m.name, m.company, m.host) for m in members] == [
        ("M001", "Ursula Lambert", "Acme", True),
        ("M002", "Wim", "Brel", False),
    ]
    history = write(tmp_path, "h.csv", "Datum;Tafel;Lid\n18/09/2025;T1;M001\n18.09.2025;T1;M002\n")
    dinners, _ = csvio.read_history_csv(history)
    assert [d.date for d in dinners] == [dt.date(2025, 9, 18)]


def test_unknown_headers_are_mapped_by_the_organiser(tmp_path):
    path = write(tmp_path, "m.csv", "Code;Volledige naam;Werkgever\nM001;An;Acme\n")
    with pytest.raises(CsvError, match=r"field 'id': missing column .*--column HEADER=id"):
        csvio.read_members_csv(path)
    options = ReadOptions(columns={"code": "id", "werkgever": "company"})
    members, _ = csvio.read_members_csv(path, options=options)
    assert members == [ClubMember(id="M001", name="An", company="Acme")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-09-18", dt.date(2025, 9, 18)),
        ("18/09/2025", dt.date(2025, 9, 18)),
        ("3/12/2026", dt.date(2026, 12, 3)),
        ("03-12-2026", dt.date(2026, 12, 3)),
        ("2025-09-18 00:00:00", dt.date(2025, 9, 18)),
    ],
)
def test_dates_as_people_type_them(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["18/09/25", "09/18/2025", "2025/09/18", "31/02/2026", "soon"])
def test_dates_that_are_refused(text):
    with pytest.raises(TypedValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("ja", True), ("Oui", True), ("x", True), ("nee", False), ("non", False), ("", False)],
)
def test_yes_and_no_in_three_languages(text, value):
    assert parse_flag(text) is value


def test_a_bad_cell_of_a_workbook_names_file_sheet_row_header_and_value(tmp_path):
    rows = [*DUTCH, ["M004", "Jan", "Acme", "misschien", "nl"]]
    path = openpyxl_book(tmp_path / "leden.xlsx", {"Leden": rows})
    with pytest.raises(CsvError) as info:
        csvio.read_members_csv(path)
    message = str(info.value).replace(str(tmp_path) + "/", "")
    assert message.startswith("leden.xlsx (sheet 'Leden'), row 5, field 'Gastheer': expected yes")
    assert "'misschien'" in message and "\n" not in message


def test_several_sheets_ask_for_one(tmp_path):
    path = openpyxl_book(tmp_path / "club.xlsx", {"Leden": DUTCH, "Tafels": [["Tafel"], ["T1"]]})
    with pytest.raises(WorkbookError, match=r"several sheets \('Leden', 'Tafels'\).*--sheet"):
        csvio.read_members_csv(path)
    members, _ = csvio.read_members_csv(path, options=ReadOptions(sheet="Leden"))
    assert len(members) == 3
    with pytest.raises(WorkbookError, match=r"no sheet 'Members' \(the sheets are 'Leden'"):
        csvio.read_members_csv(path, options=ReadOptions(sheet="Members"))


def test_empty_extra_sheets_are_no_choice(tmp_path):
    path = openpyxl_book(tmp_path / "club.xlsx", {"Blad1": DUTCH, "Blad2": [], "Blad3": []})
    assert len(csvio.read_members_csv(path)[0]) == 3


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "password-protected or old-format"),
        (b"PK\x03\x04 not really a zip", "not a readable .xlsx workbook"),
        (b"id,name\nm1,An\n", "not a readable .xlsx workbook"),
    ],
)
def test_encrypted_old_or_corrupt_workbooks_are_one_line(tmp_path, content, words):
    path = write(tmp_path, "members.xlsx", content)
    with pytest.raises(WorkbookError) as info:
        csvio.read_members_csv(path)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_xlsx_export_imports_back_and_formulas_stay_text(tmp_path):
    members = [
        ClubMember(id="007", name='=HYPERLINK("x")', company="Acme", host=True),
        ClubMember(id="M2", name="Zoë", languages=["nl", "fr"], active=False),
    ]
    path = tmp_path / "out.xlsx"
    csvio.write_rows(path, csvio.MEMBER_COLUMNS, csvio.member_rows(members), title="members")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "members"
    assert sheet["A2"].value == "007" and sheet["B2"].data_type == "s"
    assert csvio.read_members_csv(path)[0] == members


def test_csv_export_uses_the_separator_of_the_club_language(tmp_path):
    assert separator_for("nl") == ";" and separator_for("fr") == ";" and separator_for("en") == ","
    path = tmp_path / "out.csv"
    members = [ClubMember(id="M1", name="Peeters, Jan", languages=["nl", "fr"])]
    csvio.write_rows(path, csvio.MEMBER_COLUMNS, csvio.member_rows(members), separator=";")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid;name;company;") and b"\r\n" in raw
    assert csvio.read_members_csv(path)[0] == members


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_written_files_get_the_mode_of_the_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        write_text_atomically(tmp_path / "plan.html", "<p>hi</p>")
        csvio.write_rows(tmp_path / "m.xlsx", ["id"], [["m1"]])
    finally:
        os.umask(old)
    for name in ("plan.html", "m.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~mask
