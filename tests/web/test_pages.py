"""The organiser's pages on the real app and a real SQLite file: imports with previews and
per-row errors, the next dinner and its search, moves checked against every rule, re-seating
with fewest moves, record and undo, and the guards (CSRF, token, body size, escaping)."""

from __future__ import annotations

import io
import re
import threading

import pytest
from openpyxl import Workbook
from web_helpers import Client, chromium, message

from seating.club import workflow
from seating.club.store import ClubStore
from seating.web import create_app
from seating.web.jobs import JobBusyError, Jobs

DATE = "2030-01-10"


def _plan(client: Client, **fields) -> dict:
    """Plan the dinner of DATE through the dinner page; the job's final status."""
    form = {"date": DATE, "table_sizes": "5", "repeat_weight": "-1", "max_per_company": "1",
            "max_per_industry": "none", "cooldown": "none", "time_limit": "60"}  # fmt: skip
    form.update(fields)
    answer = client.form("/dinner/plan", form, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/jobs/"), message(
        client.get(answer.headers["location"])
    )
    return client.wait(answer.headers["location"])


def _store(client: Client) -> ClubStore:
    return ClubStore(client.app.app.state.web.db)


def _name(client: Client, member: str) -> str:
    """The member's display name, as the pages' messages say it."""
    with _store(client) as store:
        return workflow.directory(store).name(member)


# -- members and history ------------------------------------------------------------------


def test_preview_lists_every_bad_row_and_stores_nothing(client: Client, tmp_path):
    bad = tmp_path / "leden.csv"
    bad.write_text(
        "Lidnummer;Naam;Gastheer\nM1;An;ja\nM2;Bart;misschien\nM1;Carla;nee\nM4;Dirk;nee\n",
        encoding="utf-8",
    )
    page = client.upload("/members/preview", bad)
    assert page.status_code == 422
    assert "2 row(s) with errors" in page.text
    assert "leden.csv, row 3, field &#39;Gastheer&#39;: expected yes or no" in page.text
    assert (
        "leden.csv, row 4, field &#39;Lidnummer&#39;: duplicate member id &#39;M1&#39;" in page.text
    )
    assert 'name="key"' not in page.text  # no import button
    with _store(client) as store:
        assert store.members() == []


def test_preview_then_import_and_search(client: Client, club):
    page = client.upload("/members/preview", club["members"])
    assert page.status_code == 200
    assert page.text.count('<tr class="new">') == 14
    key = re.search(r'name="key" value="([^"]+)"', page.text)[1]
    landed = client.form("/members/import", {"key": key})
    assert message(landed) == "members.csv: 14 members; 14 added, 0 updated, 0 unchanged"
    with _store(client) as store:
        first = store.members()[0]
    found = client.get("/members", params={"q": first.name.upper()})
    assert found.text.count("<tr class=") == 1 and first.id in found.text
    # The preview is used once: importing it again asks for the file again.
    again = client.form("/members/import", {"key": key})
    assert message(again) == "the preview expired: upload the file again"


def test_an_excel_workbook_uploads_as_a_csv_file_does(client: Client, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Numéro", "Nom", "Société", "Hôte"])
    sheet.append(["f1", "Élise Dubois", "Acme", "oui"])
    sheet.append(["f2", "Marc Petit", "Bolt", "non"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "membres.xlsx"
    path.write_bytes(buffer.getvalue())
    page = client.upload("/members/preview", path)
    assert page.status_code == 200 and "Élise Dubois" in page.text
    key = re.search(r'name="key" value="([^"]+)"', page.text)[1]
    client.form("/members/import", {"key": key})
    with _store(client) as store:
        assert [(m.id, m.host) for m in store.members()] == [("f1", True), ("f2", False)]


def test_a_bad_history_row_is_named_and_nothing_is_stored(imported: Client, tmp_path):
    bad = tmp_path / "history.csv"
    bad.write_text("date,table,member_id\n2029-05-01,T1,m001\n2029-05-01,T1,m999\n", "utf-8")
    landed = imported.upload("/history/import", bad)
    assert message(landed) == (
        "history.csv, row 3, field 'member_id': unknown member id 'm999' (import members first)"
    )
    with _store(imported) as store:
        assert len(store.dinners()) == 2


def test_an_upload_never_names_a_path_of_this_computer(client: Client, club):
    page = client.upload("/members/preview", club["members"], name="../../etc/passwd")
    assert page.status_code == 200
    assert "<h1>Import passwd</h1>" in page.text


# -- the next dinner, the plan, moves ----------------------------------------------------


def test_plan_seats_every_attendee_and_holds_every_rule(imported: Client):
    status = _plan(imported, attendee=["m001", "m002", "m004", "m005", "m006", "m007", "m008"])
    assert status["state"] == "done" and status["outcome"]["saved"], status
    with _store(imported) as store:
        view = workflow.view_draft(store)
    assert sorted(view.draft.attendees) == ["m001", "m002", "m004", "m005", "m006", "m007", "m008"]
    assert view.broken == []
    assert all(len(t.members) <= t.capacity for t in view.draft.tables)
    page = imported.get(f"/plan?date={DATE}")
    assert page.status_code == 200
    assert page.text.count('class="seat"') == 7
    # Without JavaScript the job's page links to the plan once the search is done.
    assert (
        f'<a href="/plan?date={DATE}">Open the plan</a>'
        in imported.get(f"/jobs/{status['id']}").text
    )


def test_a_second_plan_of_the_same_dinner_is_refused_while_one_runs(imported: Client):
    jobs: Jobs = imported.app.app.state.web.jobs
    release = threading.Event()
    running = jobs.start(f"plan {DATE}", 60, lambda job: release.wait(30), lambda exc: None)
    try:
        form = {"date": DATE, "table_sizes": "5", "repeat_weight": "-1", "time_limit": "5",
                "max_per_company": "1", "max_per_industry": "none", "cooldown": "none"}  # fmt: skip
        landed = imported.form("/dinner/plan", form)
        assert message(landed).startswith(f"plan {DATE} is already running")
        with pytest.raises(JobBusyError):
            jobs.start(f"plan {DATE}", 60, lambda job: None, lambda exc: None)
    finally:
        release.set()
    assert imported.wait(f"/jobs/{running.id}")["state"] == "done"
    with _store(imported) as store:
        assert store.drafts() == []


def test_cancel_stops_the_search_and_keeps_its_best_plan(imported: Client):
    form = {"date": DATE, "table_sizes": "4", "repeat_weight": "-1", "time_limit": "600",
            "max_per_company": "none", "max_per_industry": "none", "cooldown": "none"}  # fmt: skip
    answer = imported.form("/dinner/plan", form, follow_redirects=False)
    job = answer.headers["location"].split("/")[-1]
    headers = {"X-CSRF-Token": imported.csrf, "Accept": "application/json"}  # as the page's script
    cancelled = imported.post(f"/jobs/{job}/cancel", headers=headers)
    assert cancelled.json()["cancelled"] is True
    status = imported.wait(f"/jobs/{job}")
    assert status["state"] == "done" and status["elapsed_s"] < 600
    assert status["outcome"]["cancelled"] is True
    if status["outcome"]["saved"]:  # a plan found before the flag was seen is kept
        with _store(imported) as store:
            assert len(store.draft().attendees) == 14


def test_bad_dinner_fields_are_named_in_one_line(imported: Client):
    cases = {
        "tables": (
            "tafel;plaatsen\nT1;lots",
            "tables, row 2, field 'plaatsen': expected a whole number of seats, 1 to 1000 "
            "(got 'lots')",
        ),
        "table_sizes": ("8,x", "table_sizes: expected numbers like 10,8 (got '8,x')"),
        "cooldown": ("soon", "cooldown: expected a number or 'none' (got 'soon')"),
        "date": ("31/02/2030", "date: "),
    }
    for field, (value, expected) in cases.items():
        form = {"date": DATE, "table_sizes": "5", "repeat_weight": "-1", "time_limit": "5",
                "max_per_company": "1", "max_per_industry": "none", "cooldown": "none"}  # fmt: skip
        landed = imported.form("/dinner/plan", {**form, field: value})
        assert message(landed).startswith(expected), field
    with _store(imported) as store:
        assert store.drafts() == []


def test_a_move_is_checked_against_every_rule_then_pinned_with_fewest_moves(imported: Client):
    nine = [f"m{k:03d}" for k in range(1, 10)]
    _plan(
        imported, tables="table, capacity, host\nT1, 3\nT2, 3\nT3, 3", table_sizes="", attendee=nine
    )
    with _store(imported) as store:
        draft = store.draft()
    full = draft.tables[0]
    mover = next(m for t in draft.tables[1:] for m in t.members if m != t.host)
    check = imported.post(
        "/plan/check",
        data={"date": DATE, "member": mover, "table": full.id},
        headers={"X-CSRF-Token": imported.csrf},
    )
    told = check.json()
    assert check.status_code == 200 and told["ok"] is False
    assert f"table '{full.id}' seats 4 > capacity 3" in told["broken"]
    with _store(imported) as store:
        assert told["broken"] == [
            store_line
            for store_line in [workflow.directory(store).with_names(line)
                               for line in workflow.check_move(store, draft, mover, full.id)]
        ]  # fmt: skip
    landed = imported.form("/plan/move", {"date": DATE, "member": mover, "table": full.id})
    said = message(landed).splitlines()
    assert said[0] == f"pinned {_name(imported, mover)} to {full.id}"
    moved = int(re.match(r"(\d+) (?:person|people) moved", said[1])[1])
    with _store(imported) as store:
        after = store.draft()
        view = workflow.view_draft(store)
    before, now = draft.table_of(), after.table_of()
    assert now[mover] == full.id and after.pins[mover] == full.id
    # The mover, and at least one other to make room at the full table; nobody else moved.
    assert moved == sum(before[m] != now[m] for m in now) >= 2
    assert view.broken == []


def test_late_changes_reseat_with_fewest_moves_then_record_and_undo(imported: Client):
    _plan(imported)
    with _store(imported) as store:
        draft = store.draft()
        everyone = [m.id for m in store.members(active_only=True)]
    guest = next(m for t in draft.tables for m in t.members if m != t.host)
    landed = imported.form("/plan/reseat", {"date": DATE, "cancel": guest})
    assert message(landed).splitlines()[:2] == [
        f"cancelled {_name(imported, guest)}",
        "0 people moved (the fewest the rules allow)",
    ]
    with _store(imported) as store:
        assert guest not in store.draft().attendees
        assert len(store.draft().attendees) == len(everyone) - 1
        absent = next(m for m in store.draft().attendees if m != guest)
    recorded = imported.form("/record", {"date": DATE, "absent": absent, "allow_future": "1"})
    assert message(recorded).startswith(
        f"recorded the dinner of {DATE}: {len(everyone) - 2} people"
    )
    again = imported.form("/record", {"date": DATE, "allow_future": "1"})
    assert message(again) == f"the dinner of {DATE} is already recorded; nothing changed"
    undone = imported.form("/record/undo", {"date": DATE})
    assert message(undone) == f"undid the record of {DATE}; its plan is a draft again"
    with _store(imported) as store:
        assert store.draft().date.isoformat() == DATE


def test_explain_print_history_and_plots(imported: Client):
    _plan(imported)
    with _store(imported) as store:
        member = store.draft().tables[0].members[0]
    assert imported.get(f"/plan/explain?date={DATE}&member={member}").status_code == 200
    printed = imported.get(f"/print/plan?date={DATE}")
    assert printed.status_code == 200 and "Where do I sit" in printed.text
    assert "Où est ma place" in imported.get(f"/print/plan?date={DATE}&lang=fr").text
    assert imported.get(f"/print/cards?date={DATE}").status_code == 200
    assert imported.get(f"/print/tents?date={DATE}").status_code == 200
    wrong = imported.get(f"/print/plan?date={DATE}&lang=de")
    assert wrong.status_code == 422 and "&#39;de&#39;" in wrong.text
    assert imported.get("/history").status_code == 200
    png = imported.get("/plots/pairs.png")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert imported.get("/plots/member.png", params={"member": member}).content.startswith(
        b"\x89PNG"
    )


# -- guards ---------------------------------------------------------------------------------


STATE_CHANGING = ["/members/preview", "/members/import", "/history/import", "/dinner/plan",
                  "/jobs/x/cancel", "/plan/check", "/plan/move", "/plan/reseat", "/plan/unpin",
                  "/record", "/record/undo", "/undo", "/members/change", "/members/edit",
                  "/plan/discard", "/season/plan", "/history/import/confirm"]  # fmt: skip


@pytest.mark.parametrize("url", STATE_CHANGING)
def test_every_state_changing_form_needs_the_csrf_token(client: Client, url):
    assert client.post(url, data={"date": DATE}).status_code == 403
    assert client.post(url, data={"date": DATE, "csrf_token": "0" * 64}).status_code == 403
    other = Client(client.app)  # another browser: its own session, so the token does not fit
    other.start()
    assert other.post(url, data={"date": DATE, "csrf_token": client.csrf}).status_code == 403


def test_the_token_guards_every_page_and_the_api(tmp_path):
    token = "s3cret-token-for-tests"
    client = Client(create_app(tmp_path / "club.db", token=token))
    assert client.get("/members").status_code == 401
    assert (
        client.post(
            "/api/plan", content="{}", headers={"content-type": "application/json"}
        ).status_code
        == 401
    )
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/members", headers=bearer).status_code == 200
    assert client.post("/login", data={"token": "wrong"}).status_code == 401
    client.post("/login", data={"token": token})
    assert client.get("/members").status_code == 200


def test_a_body_over_the_limit_is_refused_and_nothing_stored(tmp_path, club):
    client = Client(create_app(tmp_path / "club.db", max_body=600)).start()
    answer = client.upload("/members/preview", club["members"])
    assert answer.status_code == 413
    assert "at most 600 bytes" in answer.json()["detail"]


def test_what_members_typed_is_escaped_everywhere(client: Client, tmp_path):
    evil = tmp_path / "members.csv"
    evil.write_text(
        'id,name,company,host\nx1,<script>alert(1)</script>,"<b>Acme</b>",yes\nx2,Bob,Bolt,no\n',
        "utf-8",
    )
    page = client.upload("/members/preview", evil)
    key = re.search(r'name="key" value="([^"]+)"', page.text)[1]
    client.form("/members/import", {"key": key})
    members = client.get("/members").text
    assert "<script>alert(1)</script>" not in members
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in members
    _plan(client, table_sizes="2")
    plan = client.get(f"/plan?date={DATE}").text
    assert "<script>alert" not in plan and "<b>Acme</b>" not in plan
    assert "&lt;b&gt;Acme&lt;/b&gt;" in plan


def test_rules_typed_on_the_dinner_page_are_the_clubs_rules(imported: Client):
    with _store(imported) as store:
        first, second, third = [m.name for m in store.members()[3:6]]
    status = _plan(imported, together=f"{first}, {second}", apart=f"{second}, {third}")
    assert status["outcome"]["saved"], status
    with _store(imported) as store:
        rules = store.rules()
        seating = store.draft().table_of()
    assert rules.together == [["m004", "m005"]] and rules.apart == [("m005", "m006")]
    assert seating["m004"] == seating["m005"] != seating["m006"]
    page = imported.get("/dinner").text
    assert "m004, m005</textarea>" in page


def test_a_refused_plan_puts_the_settings_back(imported: Client):
    with _store(imported) as store:
        before = store.policy(), store.rules()
    landed = imported.form(
        "/dinner/plan",
        {"date": DATE, "repeat_weight": "0.5", "max_per_company": "none", "cooldown": "2",
         "tables": "table,capacity\nT1, 2", "max_per_industry": "none", "time_limit": "5"},
    )  # fmt: skip
    assert message(landed) == f"dinners[0] ({DATE}): total capacity 2 is below attendance 14"
    with _store(imported) as store:
        assert (store.policy(), store.rules()) == before
        assert store.drafts() == []


def test_mark_a_member_as_left_and_as_host(imported: Client):
    landed = imported.form("/members/change", {"member": "m004", "active": "no"})
    with _store(imported) as store:
        member = next(m for m in store.members() if m.id == "m004")
    assert message(landed) == f"{member.display_name} (m004): left the club"
    assert not member.active
    landed = imported.form("/members/change", {"member": "m004", "host": "yes"})
    assert message(landed) == f"{member.display_name} (m004): a host"
    status = _plan(imported)  # every active member: m004 left, so is not planned
    assert status["outcome"]["saved"]
    with _store(imported) as store:
        assert "m004" not in store.draft().attendees
        assert len(store.draft().attendees) == 13
    unknown = imported.form("/members/change", {"member": "m999", "host": "yes"})
    assert message(unknown) == "member: unknown member id 'm999'"


def test_discard_a_draft(imported: Client):
    _plan(imported)
    landed = imported.form("/plan/discard", {"date": DATE})
    assert message(landed) == f"discarded the draft of {DATE} (14 people at 3 tables)"
    with _store(imported) as store:
        assert store.drafts() == []


def test_every_answer_forbids_framing_and_foreign_scripts(client: Client):
    for url in ("/members", "/static/app.js", "/openapi.json"):
        headers = client.get(url).headers
        assert headers["x-frame-options"] == "DENY"
        assert "script-src" not in headers["content-security-policy"]  # default-src 'self'
        assert headers["content-security-policy"].startswith("default-src 'self';")


def test_a_season_from_dates_and_registrations(imported: Client, tmp_path):
    registrations = tmp_path / "registrations.csv"
    coming = [f"m{k:03d}" for k in range(1, 11)]
    registrations.write_text(
        "date,member_id\n" + "".join(f"2030-02-14,{m}\n" for m in coming), "utf-8"
    )
    # As the command line's season tests: a short search, checked for what every plan keeps.
    form = {"dates": "2030-01-10", "table_sizes": "5", "time_limit": "1"}
    answer = imported.upload("/season/plan", registrations, form)
    job = re.search(r'data-job="([^"]+)"', answer.text)
    assert job, message(answer)
    status = imported.wait(f"/jobs/{job[1]}")
    assert status["outcome"]["saved"], status
    with _store(imported) as store:
        drafts = {d.date.isoformat(): d for d in store.drafts()}
        assert sorted(drafts) == ["2030-01-10", "2030-02-14"]
        assert len(drafts["2030-01-10"].attendees) == 14
        assert sorted(drafts["2030-02-14"].attendees) == coming
        for day in drafts:
            assert workflow.view_draft(store, drafts[day].date).broken == []
    refused = imported.upload("/season/plan", registrations, form)
    assert message(refused).startswith("a draft plan for 2030-01-10 exists")


def test_undo_takes_back_the_last_change_of_any_kind(imported: Client):
    _plan(imported)
    with _store(imported) as store:
        draft = store.draft()
    mover = next(m for t in draft.tables[1:] for m in t.members if m != t.host)
    imported.form("/plan/move", {"date": DATE, "member": mover, "table": draft.tables[0].id})
    undone = imported.form("/undo", {"back": f"/plan?date={DATE}"})
    assert message(undone).startswith("undid ")
    assert undone.url.path == "/plan"
    with _store(imported) as store:
        assert store.draft() == draft  # the move is taken back whole
    imported.form("/undo")  # the plan itself
    with _store(imported) as store:
        assert store.drafts() == []
    away = imported.form("/undo", {"back": "//evil.example/"})
    assert away.url.host == "testserver"  # only pages of this app


def test_replacing_history_asks_first_and_undo_takes_it_back(imported: Client, tmp_path):
    with _store(imported) as store:
        first = store.dinners()[0]
    members = [m for t in first.tables for m in t.members]
    changed = tmp_path / "changed.csv"
    changed.write_text(
        "date,table,member_id\n" + "".join(f"{first.date},T9,{m}\n" for m in members), "utf-8"
    )
    refused = imported.upload("/history/import", changed)
    assert "recorded" in message(refused) and str(first.date) in message(refused)
    asked = imported.upload("/history/import", changed, {"replace": "1"})
    assert f"the recorded dinner of {first.date}" in asked.text  # shown, nothing replaced yet
    with _store(imported) as store:
        assert store.dinner(first.date) == first
    key = re.search(r'name="key" value="([^"]+)"', asked.text)[1]
    done = imported.form("/history/import/confirm", {"key": key})
    assert "1 replaced" in message(done)
    with _store(imported) as store:
        assert [t.id for t in store.dinner(first.date).tables] == ["T9"]
    imported.form("/undo")
    with _store(imported) as store:
        assert store.dinner(first.date) == first


def test_print_to_pdf(imported: Client):
    chromium()  # skipped where absent, except in CI
    _plan(imported)
    pdf = imported.get(f"/print/plan?date={DATE}&pdf=1")
    assert pdf.headers["content-type"] == "application/pdf", pdf.text[:500]
    assert pdf.content.startswith(b"%PDF")


def test_a_dinner_with_two_courses_shows_each_and_a_move_changes_one(imported: Client):
    nine = [f"m{k:03d}" for k in range(1, 10)]
    tables = "table, capacity, host\nT1, 3\nT2, 3\nT3, 3"
    status = _plan(imported, tables=tables, table_sizes="", attendee=nine, courses="2")
    assert status["state"] == "done" and status["outcome"]["saved"], status
    with _store(imported) as store:
        draft = store.draft()
    assert draft.num_courses == 2
    first = imported.get(f"/plan?date={DATE}")
    assert f'href="/plan?date={DATE}&amp;course=2"' in first.text
    assert first.text.count('class="seat"') == 9
    page = imported.get(f"/plan?date={DATE}&course=2")
    assert page.status_code == 200 and 'data-course="2"' in page.text
    assert '<input type="hidden" name="course" value="2">' in page.text
    second = draft.course(2)
    shown = {
        card.split('"', 1)[0]: sorted(
            re.findall(r'class="seat" draggable="true" data-member="([^"]+)"', card)
        )
        for card in page.text.split('<section class="card" data-table="')[1:]
    }
    assert shown == {t.id: sorted(t.members) for t in second.tables}  # course 2's tables
    mover = next(m for t in second.tables[1:] for m in t.members if m != t.host)
    target = second.tables[0].id
    landed = imported.form(
        "/plan/move", {"date": DATE, "member": mover, "table": target, "course": "2"}
    )
    said = f"pinned {_name(imported, mover)} to {target}"
    assert message(landed).startswith(said), message(landed)
    with _store(imported) as store:
        after = store.draft()
    assert after.tables == draft.tables  # course 1 as it was
    assert after.course(2).table_of()[mover] == target and after.later_courses[0].pins
    assert imported.get(f"/plan?date={DATE}&course=3").status_code == 422


def test_a_bad_number_of_courses_is_named_in_one_line(imported: Client):
    form = {"date": DATE, "table_sizes": "5", "repeat_weight": "-1", "time_limit": "5",
            "max_per_company": "1", "max_per_industry": "none", "cooldown": "none"}  # fmt: skip
    for typed, expected in (("0", "courses: expected 1 to 50"), ("two", "courses: expected a")):
        landed = imported.form("/dinner/plan", {**form, "courses": typed})
        assert message(landed).startswith(expected), message(landed)
    with _store(imported) as store:
        assert store.drafts() == []


def test_a_walk_in_on_a_dinner_with_courses_gets_a_seat_in_every_course(imported: Client):
    eight = [f"m{k:03d}" for k in range(1, 9)]
    tables = "table, capacity, host\nT1, 3\nT2, 3\nT3, 3"
    status = _plan(imported, tables=tables, table_sizes="", attendee=eight, courses="2")
    assert status["state"] == "done" and status["outcome"]["saved"], status
    landed = imported.form("/plan/reseat", {"date": DATE, "walk_in": "m009", "course": "2"})
    assert message(landed).startswith(f"walk-in {_name(imported, 'm009')}"), message(landed)
    with _store(imported) as store:
        draft = store.draft()
        view = workflow.view_draft(store)
    for tables_of_course in draft.course_tables():
        assert sorted(m for t in tables_of_course for m in t.members) == [*eight, "m009"]
    assert view.broken == []
