"""The rules of issue 12 on the web pages: the dinner page's settings (shared language,
newcomers, soft cooldown, introductions) become the club's, bad ones are refused in one line
with the settings put back, guests come through the dinner page, and the members page shows
when members joined and whose guest they are, in Dutch and French too."""

from __future__ import annotations

import datetime as dt
import re

from web_helpers import Client, message

from seating.club.records import ClubMember
from seating.club.store import ClubStore
from seating.models import Policy, Rules

DATE = "2030-01-10"
FORM = {"date": DATE, "table_sizes": "5", "repeat_weight": "-1", "max_per_company": "1",
        "max_per_industry": "none", "cooldown": "none", "time_limit": "60"}  # fmt: skip


def _store(client: Client) -> ClubStore:
    return ClubStore(client.app.app.state.web.db)


def _plan(client: Client, **fields) -> dict:
    answer = client.form("/dinner/plan", {**FORM, **fields}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/jobs/"), message(
        client.get(answer.headers["location"])
    )
    return client.wait(answer.headers["location"])


def test_the_dinner_page_shows_and_saves_the_new_rules(imported: Client):
    page = imported.get("/dinner").text
    for field in ("table_language", "newcomer_dinners", "max_newcomers_per_table",
                  "recent_penalty", "recent_dinners", "introduce", "guests"):  # fmt: skip
        assert f'name="{field}"' in page, field
    with _store(imported) as store:
        first, second = [m.name for m in store.members()[3:5]]
    status = _plan(
        imported,
        table_language="off",
        newcomer_dinners="1",
        max_newcomers_per_table="2",
        recent_penalty="0.5",
        recent_dinners="2",
        introduce=f"{first}, {second}, 3\nm007, m008\n",
    )
    assert status["outcome"]["saved"], status
    with _store(imported) as store:
        assert store.rules().model_dump(include={"language", "newcomer_dinners",
                                                 "max_newcomers_per_table"}) == {
            "language": None, "newcomer_dinners": 1, "max_newcomers_per_table": 2}  # fmt: skip
        policy = store.policy()
        seating = store.draft().table_of()
    assert policy.introduce == [("m004", "m005", 3.0), ("m007", "m008")]
    assert (policy.recent_penalty, policy.recent_dinners) == (0.5, 2)
    assert seating["m004"] == seating["m005"]  # a strong wish, and nothing against it here
    page = imported.get("/dinner").text
    assert "m004, m005, 3.0\nm007, m008\n</textarea>" in page
    assert 'name="newcomer_dinners" value="1"' in page


def test_bad_rules_on_the_dinner_page_are_one_line_and_the_settings_stay(imported: Client):
    with _store(imported) as store:
        store.save_settings(policy=Policy(introduce=[("m001", "m002")]), rules=Rules(cooldown=1))
        before = store.policy(), store.rules()
    for fields, said in (
        ({"table_language": "0"}, "table_language: expected 'table', a number of table mates"),
        ({"table_language": "xyz"}, "table_language: expected 'table'"),
        ({"newcomer_dinners": "-1"}, "newcomer_dinners: Input should be greater than or equal"),
        ({"introduce": "m001"}, "introduce: expected two members 'a,b' or 'a,b,strength'"),
        ({"introduce": "m001, zz"}, "introduce: unknown member 'zz'"),
        ({"guests": "Jan Peeters"}, "guest: expected 'NAME:INVITER'"),
        ({"guests": "Jan Peeters: zz"}, "guest: unknown member 'zz'"),
    ):
        landed = imported.form("/dinner/plan", {**FORM, **fields})
        assert message(landed).startswith(said), (fields, message(landed))
        with _store(imported) as store:
            assert (store.policy(), store.rules()) == before
            assert store.drafts() == []


def test_a_guest_typed_on_the_dinner_page_is_planned_with_the_inviter(imported: Client):
    with _store(imported) as store:
        inviter = store.members()[5]
    status = _plan(imported, guests=f"Jan Peeters: {inviter.name}\n")
    assert status["outcome"]["saved"], status
    with _store(imported) as store:
        seating = store.draft().table_of()
        guest = {m.id: m for m in store.members()}["guest-jan-peeters"]
    assert guest.guest_of == inviter.id and not guest.active
    assert seating["guest-jan-peeters"] == seating[inviter.id]
    plan = imported.get(f"/plan?date={DATE}").text
    assert "Jan Peeters" in plan


def test_the_plan_page_of_each_course_marks_a_guest_and_counts_pairs_in_the_language_and_record(
    imported: Client,
):
    """A two-course dinner with a guest: the cards of both courses say whose guest they are
    (as the print-outs and the command line do), and a table's pair counts are in the
    page's language with the right plural ('1 nouveau binôme', not '1 nouveaux binômes')."""
    with _store(imported) as store:
        inviter = store.members()[5]
    status = _plan(imported, guests=f"Jan Peeters: {inviter.id}\n", courses="2")
    assert status["outcome"]["saved"], status
    for course in (1, 2):
        plan = imported.get(f"/plan?date={DATE}&course={course}&lang=en").text
        assert f"guest of {inviter.name}" in plan
        french = imported.get(f"/plan?date={DATE}&course={course}&lang=fr").text
        assert f"invité de {inviter.name}" in french
        counts = re.findall(r"(\d+) (nouveaux? binômes?), (\d+) déjà rencontrés?", french)
        assert counts
        for num, words, _ in counts:
            assert words == ("nouveau binôme" if int(num) <= 1 else "nouveaux binômes")
    # At course 2 the guest met their inviter one course (a dinner of the history) ago.
    why = imported.get(f"/plan/explain?date={DATE}&member=guest-jan-peeters&course=2&lang=en")
    assert "1 dinner ago<" in why.text
    why = imported.get(f"/plan/explain?date={DATE}&member=guest-jan-peeters&course=2&lang=fr")
    assert "il y a 1 dîner<" in why.text
    # Recorded, the message says the courses, as `seating club record` does.
    recorded = imported.form("/record", {"date": DATE, "allow_future": "1", "lang": "fr"})
    assert re.match(r"dîner du 2030-01-10 enregistré : \d+ personnes à \d+ tables, 2 services",
                    message(recorded))  # fmt: skip


def test_the_members_page_shows_joined_and_guest_of_in_three_languages(imported: Client):
    with _store(imported) as store:
        store.import_members([ClubMember(id="m001", name="Ursula Wouters", host=True,
                                         joined=dt.date(2024, 9, 1)),
                              ClubMember(id="g1", name="Jan Peeters", active=False,
                                         guest_of="m001")])  # fmt: skip
    page = imported.get("/members?lang=en").text
    assert "member since" in page and "2024-09-01" in page
    row = page[page.index("<td>g1</td>") :].split("</tr>")[0]
    assert "guest" in row and "Ursula Wouters" in row
    dutch = imported.get("/members?lang=nl").text
    assert "lid sinds" in dutch and "gast van" in dutch
    french = imported.get("/members?lang=fr").text
    assert "membre depuis" in french and "invité de" in french


def test_a_members_upload_names_inviters_of_the_club_and_refuses_bad_rows(
    imported: Client, tmp_path
):
    with _store(imported) as store:
        inviter = store.members()[0]
    good = tmp_path / "gasten.csv"
    good.write_text(f"id,naam,lid sinds,gast van\ng1,Jan Peeters,2025-09-01,{inviter.name}\n",
                    encoding="utf-8")  # fmt: skip
    preview = imported.upload("/members/preview", good)
    assert preview.status_code == 200 and "2025-09-01" in preview.text
    key = re.search(r'name="key" value="([^"]+)"', preview.text)
    assert key, preview.text
    imported.form("/members/import", {"key": key.group(1)})
    with _store(imported) as store:
        guest = {m.id: m for m in store.members()}["g1"]
    assert (guest.joined, guest.guest_of) == (dt.date(2025, 9, 1), inviter.id)

    bad = tmp_path / "slecht.csv"
    bad.write_text("id,lid sinds,gast van\nx1,2999-01-01,\nx2,,zz\nx3,,x3\n", encoding="utf-8")
    page = imported.upload("/members/preview", bad)
    assert page.status_code == 422 and "3 row(s) with errors" in page.text
    assert "slecht.csv, row 2, field &#39;lid sinds&#39;: 2999-01-01 is in the future" in page.text
    assert "slecht.csv, row 3, field &#39;gast van&#39;: unknown member &#39;zz&#39;" in page.text
    assert "row 4, field &#39;gast van&#39;: &#39;x3&#39; cannot be their own guest" in page.text
    with _store(imported) as store:
        assert "x1" not in store.member_ids()
