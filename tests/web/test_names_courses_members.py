"""The walk-through of issue 12/14 on the web pages: messages name people as the command line
does (in the page's language), every guest's card says whose guest they are (their inviter
absent too), the history says how many courses a dinner had and shows each course's seating,
and a member's company, languages and joined date can be changed (checked as an import
checks them, one named change in the undo log)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from web_helpers import Client, message

from seating.club import workflow
from seating.club.store import ClubStore

DATE = "2030-01-10"
FORM = {"date": DATE, "table_sizes": "5", "repeat_weight": "-1", "max_per_company": "1",
        "max_per_industry": "none", "cooldown": "none", "time_limit": "5"}  # fmt: skip


def _store(client: Client) -> ClubStore:
    return ClubStore(client.app.app.state.web.db)


def _plan(client: Client, **fields) -> dict:
    answer = client.form("/dinner/plan", {**FORM, **fields}, follow_redirects=False)
    assert answer.headers["location"].startswith("/jobs/"), message(
        client.get(answer.headers["location"])
    )
    status = client.wait(answer.headers["location"])
    assert status["outcome"]["saved"], status
    return status


def _speak(client: Client, language: str) -> None:
    client.get(f"/members?lang={language}")  # the browser's choice, kept in a cookie


def test_messages_name_people_and_a_guest_without_their_inviter_is_marked(imported: Client):
    with _store(imported) as store:
        members = store.members()
    inviter = members[5]
    attendees = [m.id for m in members if m.id != inviter.id]
    _plan(imported, guests=f"Sophie Martin: {inviter.id}\n", attendee=attendees)
    guest = "guest-sophie-martin"
    with _store(imported) as store:
        draft = store.draft()
        names = workflow.directory(store).names()
    assert guest in draft.attendees and inviter.id not in draft.attendees

    # The guest's card says whose guest she is, though her inviter does not come.
    for language, said in (("en", "guest of"), ("fr", "invité de"), ("nl", None)):
        page = imported.get(f"/plan?date={DATE}&lang={language}").text
        seat = re.search(rf'data-member="{guest}".*?</li>', page, re.S)
        assert seat and inviter.name in seat[0] and 'class="guest-mark"' in seat[0], language
        if said:
            assert f"{said} {inviter.name}" in seat[0]

    # Pin, unpin, cancel: the messages say names, in French.
    _speak(imported, "fr")
    mover = next(m for t in draft.tables[1:] for m in t.members if m != t.host and m != guest)
    target = draft.tables[0].id
    landed = imported.form("/plan/move", {"date": DATE, "member": mover, "table": target})
    first = message(landed).splitlines()[0]
    assert first == f"{names[mover]} fixé à {target}", first
    released = imported.form("/plan/unpin", {"date": DATE, "member": mover})
    assert message(released) == f"{names[mover]} n'est plus fixé"
    cancelled = imported.form("/plan/reseat", {"date": DATE, "cancel": guest})
    first = message(cancelled).splitlines()[0]
    assert first == "désistement de Sophie Martin", first
    # Named by its name rather than chosen from the list, a walk-in is said by name too.
    _speak(imported, "nl")
    walked = imported.form("/plan/reseat", {"date": DATE, "walk_in": inviter.name.upper()})
    first = message(walked).splitlines()[0]
    assert first == f"{inviter.name} schuift onverwacht aan", first


def test_the_history_says_the_courses_and_shows_each_courses_seating(imported: Client):
    nine = [f"m{k:03d}" for k in range(1, 10)]
    tables = "table, capacity, host\nT1, 3\nT2, 3\nT3, 3"
    _plan(imported, tables=tables, table_sizes="", attendee=nine, courses="2")
    imported.form("/record", {"date": DATE, "allow_future": "1"})
    for language, said in (("en", "2 courses"), ("nl", "2 gangen"), ("fr", "2 services")):
        page = imported.get(f"/history?lang={language}").text
        rows = dict(re.findall(r'<li data-date="([^"]+)">(.*?)</li>', page, re.S))
        assert said in rows[DATE], (language, rows[DATE])
        # The imported one-course dinners do not speak of courses.
        others = [row for day, row in rows.items() if day != DATE]
        assert others and not any(re.search(r"\d+ (courses?|gangen|gang|services?)\b", row)
                                  for row in others)  # fmt: skip
    printed = imported.get(f"/print/plan?date={DATE}&lang=en").text
    with _store(imported) as store:
        dinner = store.dinner(dt.date.fromisoformat(DATE))
    assert dinner is not None and len(dinner.courses) == 2
    assert 'data-course="1"' in printed and 'data-course="2"' in printed
    for number, course in enumerate(dinner.courses, start=1):
        section = printed.split(f'data-course="{number}"', 1)[1].split("</section>", 1)[0]
        for table in course:
            assert table.id in section


def test_change_a_members_company_languages_and_joined_date_then_undo(imported: Client):
    with _store(imported) as store:
        before = store.members()[3]
        changes_before = store.last_change()
    page = imported.get(f"/members/edit?member={before.id}")
    assert page.status_code == 200 and 'name="languages"' in page.text
    assert f'href="/members/edit?member={before.id}"' in imported.get("/members").text
    landed = imported.form(
        "/members/edit",
        {
            "member": before.id,
            "company": " Acme ",
            "languages": "NL; fr,en",
            "joined": "18/09/2025",
        },
    )
    said = message(landed)
    assert said == f"{before.name} ({before.id}): changed company, languages, member since"
    with _store(imported) as store:
        after = {m.id: m for m in store.members()}[before.id]
        logged = store.last_change()
    assert (after.company, after.languages, after.joined) == ("Acme", ["nl", "fr", "en"],
                                                              dt.date(2025, 9, 18))  # fmt: skip
    assert (after.host, after.active, after.name) == (before.host, before.active, before.name)
    assert logged is not None and logged.what == f"the change of member {before.id} ({before.name})"
    # Saved again unchanged: nothing is written, nothing to undo.
    same = {"member": before.id, "company": "Acme", "languages": "nl, fr, en",
            "joined": "2025-09-18"}  # fmt: skip
    assert message(imported.form("/members/edit", same)).endswith(": nothing changed")
    with _store(imported) as store:
        assert store.last_change() == logged
    undone = imported.form("/undo", {"back": "/members"})
    assert message(undone).startswith(f"undid the change of member {before.id} ({before.name})")
    with _store(imported) as store:
        assert {m.id: m for m in store.members()}[before.id] == before
        assert store.last_change() == changes_before


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"joined": "2025-13-01"}, "joined: not a real date '2025-13-01'"),
        ({"joined": "next week"}, "joined: expected a date as"),
        ({"joined": "2999-01-01"}, "joined: 2999-01-01 is in the future (today is"),
        ({"member": "zz"}, "member: unknown member id 'zz'"),
    ],
)
def test_a_bad_member_change_is_one_line_and_stores_nothing(imported: Client, fields, said):
    with _store(imported) as store:
        before, last = store.members(), store.last_change()
    form = {"member": "m004", "company": "Acme", "languages": "nl", "joined": "", **fields}
    landed = imported.form("/members/edit", form)
    assert message(landed).startswith(said), message(landed)
    with _store(imported) as store:
        assert (store.members(), store.last_change()) == (before, last)


def test_the_edit_page_of_an_unknown_member_says_so(imported: Client):
    landed = imported.get("/members/edit?member=zz&lang=fr")
    assert message(landed) == "pas de membre zz"
