"""Two browser tabs and the command line at once never corrupt the club database: every change
of a draft either lands whole (one after the other, as the store's transactions serialise
them) or is refused in one line because the draft changed meanwhile; the draft left always
seats everyone once and keeps every rule."""

from __future__ import annotations

import subprocess
import sys
import threading

from web_helpers import Client, message

from seating.club import workflow
from seating.club.store import ClubStore
from seating.web import create_app

DATE = "2030-01-10"


def test_two_tabs_and_the_command_line_change_one_draft_at_once(imported: Client, tmp_path):
    form = {"date": DATE, "table_sizes": "5", "repeat_weight": "-1", "max_per_company": "none",
            "max_per_industry": "none", "cooldown": "none", "time_limit": "60"}  # fmt: skip
    answer = imported.form("/dinner/plan", form, follow_redirects=False)
    assert imported.wait(answer.headers["location"])["outcome"]["saved"]
    db = imported.app.app.state.web.db
    with ClubStore(db) as store:
        draft = store.draft()
    guests = [m for t in draft.tables for m in t.members if m != t.host]
    mover, gone, other = guests[0], guests[-1], guests[1]
    target = next(t.id for t in draft.tables if mover not in t.members)
    elsewhere = next(t.id for t in draft.tables if other not in t.members)
    second_tab = Client(create_app(db)).start()
    said: dict[str, str] = {}

    def move() -> None:
        landed = imported.form("/plan/move", {"date": DATE, "member": mover, "table": target})
        said["move"] = message(landed)

    def cancel() -> None:
        landed = second_tab.form("/plan/reseat", {"date": DATE, "cancel": gone})
        said["cancel"] = message(landed)

    command = [sys.executable, "-m", "seating.cli", "club", "pin", other, elsewhere,
               "--date", DATE, "--db", str(db), "--time-limit", "60"]  # fmt: skip
    tabs = [threading.Thread(target=move), threading.Thread(target=cancel)]
    cli = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for tab in tabs:
        tab.start()
    _, err = cli.communicate(timeout=300)
    for tab in tabs:
        tab.join(timeout=300)
    refused = "was changed by another command"
    with ClubStore(db) as store:
        after = store.draft()
        view = workflow.view_draft(store)
    assert view.broken == []
    seated = after.attendees
    assert len(seated) == len(set(seated))  # nobody twice
    if said["move"].startswith("pinned"):
        assert after.pins.get(mover) == target and after.table_of()[mover] == target
    else:
        assert refused in said["move"], said
    if said["cancel"].startswith("cancelled"):
        assert gone not in seated and len(seated) == 13
    else:
        assert refused in said["cancel"], said
        assert gone in seated and len(seated) == 14
    if cli.returncode == 0:
        assert after.pins.get(other) == elsewhere and after.table_of()[other] == elsewhere
    else:
        assert cli.returncode == 2 and refused in err and len(err.strip().splitlines()) == 1
    landed = [refused not in said["move"], refused not in said["cancel"], cli.returncode == 0]
    assert any(landed)  # the first to save always lands
