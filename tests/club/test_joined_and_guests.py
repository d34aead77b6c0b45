"""Members' ``joined`` and ``guest_of`` in the club database: read from members files with
Dutch, French or English headers (inviters by id or name), refused in one line naming row and
field, written back by export, kept by the store and its undo, and an older database upgraded
with its data."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import openpyxl
import pytest

from club_helpers import dump, ok, one_line_error, run, write
from seating.club import files as csvio
from seating.club.files import CsvError
from seating.club.records import ClubMember
from seating.club.schema import MIGRATIONS, latest_version
from seating.club.store import ClubStore, StoreError

TODAY = dt.date(2026, 3, 1)


def test_joined_and_guest_of_are_read_with_dutch_french_or_english_headers(tmp_path):
    for header in ("id,name,lid sinds,gast van", "id,name,membre depuis,invité de",
                   "ID,Name,Joined,Guest of", "id,name,since,Invited by"):  # fmt: skip
        path = write(
            tmp_path,
            "m.csv",
            f"{header}\nm1,An Peeters,18/09/2025,\nm2,Jan Smet,2026-01-15,An Peeters\n"
            "m3,Els Maes,,m1\n",
        )
        members, ignored = csvio.read_members_csv(path, today=TODAY)
        assert ignored == [], header
        assert members == [
            ClubMember(id="m1", name="An Peeters", joined=dt.date(2025, 9, 18)),
            ClubMember(id="m2", name="Jan Smet", joined=dt.date(2026, 1, 15), guest_of="m1"),
            ClubMember(id="m3", name="Els Maes", guest_of="m1"),
        ]


def test_an_inviter_may_be_a_member_of_the_club_not_in_the_file(tmp_path):
    path = write(tmp_path, "m.csv", "id,guest_of\ng1,Ursula Lambert\n")
    known = [ClubMember(id="M001", name="Ursula Lambert")]
    members, _ = csvio.read_members_csv(path, known=known, today=TODAY)
    assert members == [ClubMember(id="g1", guest_of="M001")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("id,joined\nm1,yesterday\n", "m.csv, row 2, field 'joined': "),
     ("id,joined\nm1,2026-02-30\n", "m.csv, row 2, field 'joined': not a real date"),
     ("id,joined\nm1,2026-03-02\n",
      "m.csv, row 2, field 'joined': 2026-03-02 is in the future (today is 2026-03-01)"),
     ("id,guest_of\nm1,\nm2,zz\n", "m.csv, row 3, field 'guest_of': unknown member 'zz'"),
     ("id,name,guest_of\nm1,An,An\n", "m.csv, row 2, field 'guest_of': 'm1' cannot be their own"),
     ("id,Gast van\nm1,m1\n", "m.csv, row 2, field 'Gast van': 'm1' cannot be their own guest"),
     ("id,name,guest_of\nm1,An,\nm2,An,\nm3,,An\n",
      "m.csv, row 4, field 'guest_of': 'An' names 2 members (m1, m2): give the id"),
     ("id,status\nm1,\nm2,guest\n",
      "m.csv, row 3, field 'status': a guest needs 'guest_of', the member who invited them"),
     ("id,status,gast van\nm1,,\nm2,gast,\n",
      "m.csv, row 3, field 'status': a guest needs 'gast van', the member who invited them"),
     ("id,status\nm1,gone\n", "m.csv, row 2, field 'status': expected active, left or guest"),
     ("id,status,guest_of\nm1,,\ng1,guest,m1\ng2,guest,g1\n",
      "m.csv, row 4, field 'guest_of': the inviter g1 is a guest too")],
)  # fmt: skip
def test_bad_joined_and_guest_of_name_row_and_field(tmp_path, text, expected):
    path = write(tmp_path, "m.csv", text)
    with pytest.raises(CsvError) as caught:
        csvio.read_members_csv(path, today=TODAY)
    assert "/m.csv, row " in str(caught.value) and expected in str(caught.value)
    rows, _ = csvio.preview_members(path, today=TODAY)  # the preview names the same row
    assert [error for _, _, error in rows if error] == [str(caught.value)]


def test_export_writes_joined_and_guest_of_back(tmp_path):
    members = [
        ClubMember(id="m1", name="An", joined=dt.date(2025, 9, 18), host=True),
        ClubMember(id="m2", guest_of="m1", joined=dt.date(2026, 1, 15)),
        ClubMember(id="g1", name="Jan Peeters", guest_of="m1", active=False),  # a dinner guest
        ClubMember(id="m3", active=False),  # left
    ]
    out = tmp_path / "out.csv"
    csvio.write_csv(out, csvio.MEMBER_COLUMNS, csvio.member_rows(members))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "id,name,company,industry,languages,host,status,joined,guest_of"
    assert lines[3] == "g1,Jan Peeters,,,,no,guest,,m1" and lines[4].endswith(",left,,")
    again, _ = csvio.read_members_csv(out, today=TODAY)
    assert again == members
    book = openpyxl.Workbook()
    for row in [list(csvio.MEMBER_COLUMNS), *csvio.member_rows(members)]:
        book.active.append(row)
    book.save(tmp_path / "m.xlsx")
    assert csvio.read_members_csv(tmp_path / "m.xlsx", today=TODAY)[0] == members


def test_the_cli_round_trip_through_export_and_bad_rows_save_nothing(tmp_path):
    db = tmp_path / "club.db"
    members = write(
        tmp_path,
        "m.csv",
        "id,name,joined,guest_of\nm1,An Peeters,2025-09-18,\nm2,Jan Smet,,An Peeters\n",
    )
    ok("club", "import", members, "--db", db)
    said = ok("club", "export", "members", tmp_path / "out.csv", "--db", db).stdout
    assert said.startswith("wrote 2 member rows to ")
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "m1,An Peeters,,,,no,active,2025-09-18," in text
    assert "m2,Jan Smet,,,,no,active,,m1" in text
    before = dump(db)
    again = ok("club", "import", tmp_path / "out.csv", "--db", db)
    assert "0 added, 0 updated, 2 unchanged" in again.stdout
    # An inviter named by a member of the club, not of the file.
    guest = write(tmp_path, "g.csv", "id,name,gast van\ng1,Guest One,Jan Smet\n")
    ok("club", "import", guest, "--db", db)
    with ClubStore(db) as store:
        assert {m.id: m.guest_of for m in store.members()}["g1"] == "m2"
    ok("club", "undo", "--db", db)
    assert {k: v for k, v in dump(db).items() if not k.startswith(("undo", "sqlite"))} == {
        k: v for k, v in before.items() if not k.startswith(("undo", "sqlite"))
    }
    for text, words in (
        ("id,joined\nm9,2999-01-01\n", ["row 2, field 'joined'", "is in the future"]),
        ("id,joined\nm9,soon\n", ["row 2, field 'joined'"]),
        ("id,guest_of\nm9,zz\n", ["row 2, field 'guest_of': unknown member 'zz'"]),
        ("id,guest_of\nm9,m9\n", ["row 2, field 'guest_of': 'm9' cannot be their own guest"]),
    ):
        before = dump(db)
        one_line_error(run("club", "import", write(tmp_path, "bad.csv", text), "--db", db), 2,
                       "bad.csv", *words)  # fmt: skip
        assert dump(db) == before


def test_the_store_refuses_an_unknown_inviter_and_saves_nothing(tmp_path):
    with ClubStore(tmp_path / "c.db", create=True) as store:
        store.import_members([ClubMember(id="m1")])
        before = dump(store.path)
        with pytest.raises(StoreError, match="guest_of: unknown member id 'zz'"):
            store.import_members([ClubMember(id="m2"), ClubMember(id="g1", guest_of="zz")])
        assert dump(store.path) == before
        # An inviter later in the same import is fine.
        store.import_members([ClubMember(id="g1", guest_of="m2"), ClubMember(id="m2")])
        assert {m.id: m.guest_of for m in store.members()} == {"g1": "m2", "m1": None, "m2": None}


def schema_2_file(path) -> None:
    """A club database as seating wrote it at schema version 2 (before joined/guest_of)."""
    db = sqlite3.connect(path)
    for statements in MIGRATIONS[:2]:
        for statement in statements:
            db.execute(statement)
    db.execute("PRAGMA user_version = 2")
    db.executemany(
        "INSERT INTO members (id, name, languages, is_host, active) VALUES (?, ?, ?, ?, ?)",
        [("m1", "An", json.dumps(["nl"]), 1, 1), ("m2", "Bo", "[]", 0, 0)],
    )
    db.execute("INSERT INTO dinners VALUES ('2025-09-18', 'import', '2025-09-19T00:00:00')")
    db.execute("INSERT INTO dinner_tables VALUES ('2025-09-18', 'T1', 0, 8, 'm1')")
    db.executemany("INSERT INTO seatings VALUES ('2025-09-18', 'T1', ?)", [("m1",), ("m2",)])
    db.execute("INSERT INTO settings VALUES ('rules', ?)", (json.dumps({"cooldown": 2}),))
    db.commit()
    db.close()


def test_a_schema_2_database_is_upgraded_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.db"
    schema_2_file(path)
    with ClubStore(path) as store:
        assert store.schema_version == latest_version()
        assert store.members() == [
            ClubMember(id="m1", name="An", languages=["nl"], host=True),
            ClubMember(id="m2", name="Bo", active=False),
        ]
        assert [d.seating() for d in store.dinners()] == [{"m1": "T1", "m2": "T1"}]
        assert store.rules().cooldown == 2
        store.import_members([ClubMember(id="m3", joined=dt.date(2025, 1, 1), guest_of="m1")])
        assert store.members()[-1].joined == dt.date(2025, 1, 1)
        store.undo()  # the member written by the new schema is undone like any
        assert [m.id for m in store.members()] == ["m1", "m2"]
