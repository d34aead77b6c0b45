"""The rules of issue 12 in the club database: `seating club settings` stores a shared
language, newcomers, a soft cooldown and introductions (names accepted, undo takes them back),
and plan, pin, swap, reseat, print and record hold them or warn as for the other rules."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from club_helpers import dump, ok, one_line_error, run
from seating.club import workflow
from seating.club.records import ClubMember, Draft, DraftTable
from seating.club.store import ClubStore
from seating.compile.objective import violations
from seating.compile.plans import table_index
from seating.compile.problem import compile_dinner
from seating.models import Policy, Rules

DAY = dt.date(2026, 3, 5)
BOTH = ["nl", "fr"]
SPEAKS = {"n1": ["nl"], "n2": ["nl"], "f1": ["fr"], "f2": ["fr"],
          "b1": BOTH, "b2": BOTH, "b3": BOTH, "b4": BOTH}  # fmt: skip
NAMES = {"n1": "Nele Peeters", "f1": "François Dubois"}


@pytest.fixture
def club(tmp_path):
    """Two Dutch-only, two French-only and four bilingual members; a draft seating each
    Dutch-only member with a French-only one (which breaks the language rule once it is set)."""
    db = tmp_path / "club.db"
    with ClubStore(db, create=True) as store:
        store.import_members(
            [ClubMember(id=m, name=NAMES.get(m), languages=s) for m, s in SPEAKS.items()]
        )
        store.save_draft(
            Draft(
                date=DAY,
                tables=[
                    DraftTable(id="A", capacity=4, members=["n1", "f1", "b1", "b2"]),
                    DraftTable(id="B", capacity=4, members=["n2", "f2", "b3", "b4"]),
                ],
            )
        )
    return db


def broken(db, draft: Draft) -> list[str]:
    """The hard rules ``draft`` breaks with the club's settings now."""
    with ClubStore(db) as store:
        problem, _ = workflow.draft_problem(store, draft)
    dinner = compile_dinner(problem, 0)
    return violations(dinner, table_index(dinner, draft.table_of(), strict=True))


def shares_a_language(draft: Draft) -> bool:
    return all(
        set.intersection(*(set(SPEAKS[m]) for m in t.members)) for t in draft.tables if t.members
    )


def without_undo_log(db) -> dict:
    return {
        table: rows for table, rows in dump(db).items() if not table.startswith(("undo", "sqlite"))
    }


def test_settings_store_the_new_rules_by_id_or_name_and_undo_takes_them_back(club):
    before = without_undo_log(club)
    shown = ok(
        "club", "settings", "--table-language", "table", "--newcomer-dinners", "3",
        "--max-newcomers-per-table", "1", "--recent-penalty", "0.5", "--recent-dinners", "2",
        "--introduce", "Nele Peeters,f1", "--introduce", "b1,b2,2.5", "--db", club,
    )  # fmt: skip
    with ClubStore(club) as store:
        assert store.rules() == Rules(
            language="table", newcomer_dinners=3, max_newcomers_per_table=1
        )
        assert store.policy() == Policy(
            recent_penalty=0.5, recent_dinners=2, introduce=[("n1", "f1"), ("b1", "b2", 2.5)]
        )
    assert "table_language" in shown.stdout and "n1+f1, b1+b2 x2.5" in shown.stdout

    # The same pair again takes the new strength; --clear-introduce forgets the others.
    ok("club", "settings", "--introduce", "f1,n1,3", "--table-language", "2", "--db", club)
    with ClubStore(club) as store:
        assert store.policy().introduce == [("f1", "n1", 3.0), ("b1", "b2", 2.5)]
        assert store.rules().language == 2
    ok("club", "settings", "--clear-introduce", "--table-language", "off", "--db", club)
    with ClubStore(club) as store:
        assert store.policy().introduce == [] and store.rules().language is None

    for _ in range(3):
        ok("club", "undo", "--db", club)
    assert without_undo_log(club) == before


@pytest.mark.parametrize(
    ("args", "words"),
    [(["--table-language", "0"], ["--table-language: expected 'table', a number", "'0'"]),
     (["--table-language", "xyz"], ["--table-language", "'xyz'"]),
     (["--newcomer-dinners", "-1"], ["--newcomer-dinners: ", "greater than or equal to 1"]),
     (["--max-newcomers-per-table", "2"], ["--max-newcomers-per-table: needs the newcomer rule"]),
     (["--newcomer-dinners", "many"], ["--newcomer-dinners: expected a number"]),
     (["--max-newcomers-per-table", "0"], ["--max-newcomers-per-table: "]),
     (["--recent-penalty", "-1"], ["--recent-penalty: ", "greater than or equal to 0"]),
     (["--recent-dinners", "0"], ["--recent-dinners: "]),
     (["--introduce", "n1"], ["--introduce: expected two members", "'n1'"]),
     (["--introduce", "n1,zz"], ["--introduce: unknown member 'zz'"]),
     (["--introduce", "n1,Nele Peeters"], ["--introduce", "names 'n1' twice"]),
     (["--introduce", "n1,f1,0"], ["--introduce: the strength must be above 0"]),
     (["--introduce", "n1,f1,lots"], ["--introduce: expected 'a,b' or 'a,b,strength'"]),
     (["--introduce", "n1,f1,b1,b2"], ["--introduce: expected two members"]),
     (["--apart", "n1,zz"], ["--apart: unknown member 'zz'"])],
)  # fmt: skip
def test_bad_settings_exit_2_with_one_line_and_change_nothing(club, args, words):
    before = dump(club)
    one_line_error(run("club", "settings", *args, "--db", club), 2, *words)
    assert dump(club) == before


def test_a_shared_language_holds_in_plan_pin_swap_and_reseat(club):
    ok("club", "settings", "--table-language", "table", "--max-per-company", "none", "--db", club)
    with ClubStore(club) as store:
        draft = store.draft()
    assert len(broken(club, draft)) == 2

    ok("club", "plan", "--date", DAY, "--table-sizes", "4", "--replace", "--method", "cpsat",
       "--db", club)  # fmt: skip
    with ClubStore(club) as store:
        draft = store.draft()
    assert shares_a_language(draft) and broken(club, draft) == []
    seat = draft.table_of()
    assert seat["n1"] == seat["n2"] != seat["f1"] == seat["f2"]

    # A move that breaks the rule is named before the organiser makes it.
    with ClubStore(club) as store:
        said = workflow.check_move(store, draft, "f1", seat["n1"])
    assert any("no language that everyone at it speaks" in line for line in said), said

    # Pinning a bilingual member elsewhere moves others so that the rule still holds.
    other = next(t.id for t in draft.tables if t.id != seat["b1"])
    ok("club", "pin", "b1", other, "--method", "cpsat", "--db", club)
    with ClubStore(club) as store:
        pinned = store.draft()
    assert pinned.table_of()["b1"] == other and shares_a_language(pinned)

    # Swapping a Dutch-only and a French-only member moves the other two along.
    ok("club", "swap", "n1", "f1", "--method", "cpsat", "--db", club)
    with ClubStore(club) as store:
        swapped = store.draft()
    after = swapped.table_of()
    assert (after["n1"], after["f1"]) == (seat["f1"], seat["n1"]) and shares_a_language(swapped)

    # A French-only walk-in joins the French-speaking table.
    with ClubStore(club) as store:
        store.import_members([ClubMember(id="f3", languages=["fr"])])
    SPEAKS["f3"] = ["fr"]
    try:
        ok("club", "reseat", "--walk-in", "f3", "--add-table", "C:4", "--db", club)
        with ClubStore(club) as store:
            reseated = store.draft()
        assert "f3" in reseated.attendees and shares_a_language(reseated)
    finally:
        del SPEAKS["f3"]


def test_print_and_record_warn_when_the_draft_breaks_the_language_rule(club, tmp_path):
    ok("club", "settings", "--table-language", "table", "--db", club)
    printed = ok("club", "print", "--out", tmp_path / "p", "--db", club)
    expected = [
        f"warning: the draft breaks a rule now: table {t!r}: no language that everyone at it speaks"
        for t in ("A", "B")
    ]
    assert printed.stderr.strip().splitlines() == expected
    recorded = ok("club", "record", "--allow-future", "--db", club)
    assert recorded.stderr.strip().splitlines() == expected


def test_a_plan_not_found_in_time_says_how_to_find_one_or_why_none_exists(club):
    """n1 (Dutch only) kept together with f1 (French only) and a shared language at every
    table: no plan exists. A search cut short says so with what to try next; one that
    finished names the clash. Either way one line, exit code 1, nothing saved."""
    ok("club", "discard", "--db", club)
    ok("club", "settings", "--table-language", "table", "--together", "n1,f1", "--db", club)
    before = dump(club)
    result = run("club", "plan", "--date", "2026-04-02", "--table-sizes", "3",
                 "--time-limit", "0.05", "--db", club)  # fmt: skip
    one_line_error(result, 1, "error: no plan (")
    line = result.stderr.strip()
    if "(timeout)" in line:
        assert line.endswith(
            "(a longer --time-limit may find one; --method cpsat says which rules clash if "
            "none exists)"
        )
    else:
        assert "(infeasible): these rules clash" in line
    assert dump(club) == before


def test_newcomers_sit_with_a_long_standing_member_in_a_club_plan(club):
    # b1 and b2 dined twice; the others never did: with newcomer_dinners 2 they are newcomers.
    with ClubStore(club) as store:
        store.discard_draft(DAY)
    ok("club", "settings", "--newcomer-dinners", "2", "--max-newcomers-per-table", "3",
       "--max-per-company", "none", "--db", club)  # fmt: skip
    history = (
        "date,table,member_id\n2026-01-08,T1,b1\n2026-01-08,T1,b2\n"
        "2026-02-05,T1,b1\n2026-02-05,T1,b2\n"
    )
    path = tmp_path_file(club, "history.csv", history)
    ok("club", "import-history", path, "--db", club)
    ok("club", "plan", "--date", DAY, "--table-sizes", "4", "--method", "cpsat", "--db", club)
    with ClubStore(club) as store:
        draft = store.draft()
    assert broken(club, draft) == []
    for table in draft.tables:
        assert {"b1", "b2"} & set(table.members), table  # an anchor at every table
        assert len(set(table.members) - {"b1", "b2"}) <= 3
    shown = ok("club", "show", "--db", club)
    assert "newcomer" in shown.stdout


def tmp_path_file(db, name: str, text: str):
    path = db.parent / name
    path.write_text(text, encoding="utf-8")
    return path


def test_newcomer_status_in_the_club_is_the_solvers(club):
    """The club passes ``joined`` and the history; who is a newcomer is decided in compile/."""
    with ClubStore(club) as store:
        store.import_members(
            [ClubMember(id="b1", languages=["nl", "fr"], joined=dt.date(2026, 1, 1))]
        )
        store.save_settings(rules=Rules(newcomer_dinners=1, max_per_company=None))
        problem, _ = workflow.draft_problem(store, store.draft())
    dinner = compile_dinner(problem, 0)
    rules = dinner.table_rules
    newcomer = dict(zip(dinner.member_ids, np.asarray(rules.newcomer), strict=True))
    assert all(newcomer.values())  # no history at all: everyone is new
    assert problem.members[[m.id for m in problem.members].index("b1")].joined == dt.date(
        2026, 1, 1
    )
