"""Dinners with several courses in the club database: drafts with one seating per course,
recorded history with every course (and the schema step that made room for it), the history
file's ``course`` column, record and undo of a course dinner whole."""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3

import pytest

from club_helpers import (
    NINE,
    SEARCH,
    dump,
    nine_member_store,
    ok,
    one_line_error,
    run,
    small_store,
    write,
)
from seating.club import files as csvio
from seating.club import schema
from seating.club.records import ClubMember, Draft, DraftCourse, DraftTable
from seating.club.report.html import dinner_view, render_cards, render_plan, render_tents
from seating.club.report.meetings import meeting_stats
from seating.club.store import ClubStore
from seating.club.workflow import (
    FieldError,
    LateChanges,
    TableSizes,
    club_problem,
    course_of,
    course_problem,
    pinned,
    plan_club_season,
    plan_dinner,
    prepare_plan,
    prepare_repin,
    prepare_reseat,
    record_dinner,
    repin_draft,
    reseat_draft,
    undo_change,
    unpin,
    view_draft,
)
from seating.club.workflow.problems import DinnerSpec
from seating.compile.problem import compile_dinner
from seating.errors import InputError
from seating.models import Table

DAY = dt.date(2026, 3, 5)
LATER = dt.date(2026, 4, 2)


@pytest.fixture
def store(tmp_path):
    with nine_member_store(tmp_path) as store:
        yield store


def pairs(tables) -> set[frozenset[str]]:
    return {frozenset(p) for t in tables for p in itertools.combinations(t.members, 2)}


def course_draft(day: dt.date = DAY) -> Draft:
    """Nine members at three tables of three, two courses, nobody meets anyone twice."""
    first = [NINE[:3], NINE[3:6], NINE[6:]]
    second = [NINE[0::3], NINE[1::3], NINE[2::3]]
    tables = [[DraftTable(id=f"T{k + 1}", capacity=3, members=t) for k, t in enumerate(c)]
              for c in (first, second)]  # fmt: skip
    return Draft(date=day, tables=tables[0], later_courses=[{"tables": tables[1]}])


# -- drafts ----------------------------------------------------------------------------------


def test_plan_with_two_courses_seats_everyone_each_course_without_meeting_twice(store):
    planned = plan_dinner(store, DAY, tables=TableSizes((3,)), courses=2, **SEARCH)
    draft = store.draft(DAY)
    assert planned.draft == draft and draft.num_courses == 2
    hosts = {t.id: t.host for t in draft.tables}
    for tables in draft.course_tables():
        assert sorted(m for t in tables for m in t.members) == NINE
        assert [t.id for t in tables] == ["T1", "T2", "T3"]
        for table in tables:
            assert len(table.members) <= table.capacity
            assert table.host == hosts[table.id]
            assert table.host is None or table.host in table.members  # hosts stay put
    first, second = (pairs(tables) for tables in draft.course_tables())
    assert not first & second  # 3 tables of 3 and 2 courses allow an evening without repeats
    view = view_draft(store, DAY)
    assert view.broken == []
    plan = view.result.dinners[0]
    assert len(plan.courses) == 2
    assert view.result.objective == pytest.approx(sum(c.objective for c in plan.courses))


def test_one_course_stores_the_draft_as_before_and_old_drafts_load(store, tmp_path):
    plan_dinner(store, DAY, tables=TableSizes((3,)), **SEARCH)
    stored = store._db.execute("SELECT plan FROM drafts").fetchone()[0]
    assert "later_courses" not in stored and "course" not in stored
    old = '{"date":"2026-03-05","tables":[{"id":"T1","capacity":9,"host":null,"members":["p1"]}]}'
    draft = Draft.model_validate_json(old)
    assert draft.num_courses == 1 and draft.later_courses == []
    assert "later_courses" not in draft.model_dump_json()


@pytest.mark.parametrize("courses", [0, 51, -1, "2", 2.0, True])
def test_a_bad_number_of_courses_is_one_line_naming_the_field(store, courses):
    with pytest.raises(FieldError) as caught:
        prepare_plan(store, DAY, tables=TableSizes((3,)), courses=courses)
    assert caught.value.field == "courses"
    assert store.drafts() == []


def test_an_earlier_course_draft_counts_each_course_as_a_dinner(store):
    store.save_draft(course_draft(DAY))
    problem, notes = club_problem(store, [DinnerSpec(LATER, NINE, TableSizes((3,)).tables(9))])
    assert [d.date for d in problem.history] == [dt.date(2026, 2, 5), DAY, DAY]
    assert problem.history[1].tables == [t.members for t in course_draft().tables]
    assert len(notes) == 1 and str(DAY) in notes[0]


def test_course_asked_of_a_draft_that_has_not_that_many(store):
    draft = course_draft()
    assert draft.course(2).tables == draft.later_courses[0].tables
    with pytest.raises(ValueError, match="has 2 courses, not a course 3"):
        draft.course(3)


# -- recorded history ------------------------------------------------------------------------


def test_record_keeps_every_course_and_reads_back_one_past_dinner_per_course(store):
    draft = course_draft()
    store.save_draft(draft)
    recorded = record_dinner(store, DAY, absent=["p9"], today=LATER)
    assert (recorded.people, recorded.courses) == (8, 2)
    dinner = store.dinner(DAY)
    assert len(dinner.courses) == 2
    for kept, planned in zip(dinner.courses, draft.course_tables(), strict=True):
        assert [list(t.members) for t in kept] == [
            [m for m in t.members if m != "p9"] for t in planned
        ]
    history = store.history()
    assert [d.date for d in history] == [dt.date(2026, 2, 5), DAY, DAY]
    assert history[2].tables == [
        [m for m in t.members if m != "p9"] for t in draft.later_courses[0].tables
    ]
    assert record_dinner(store, DAY, today=LATER).changed is False  # recorded alike


def test_after_a_two_course_evening_cooldown_1_keeps_apart_the_mates_of_both_courses(store):
    """Last time was a two-course evening: "last dinner" is that evening, both courses (not
    only dessert), for the cooldown of the next dinner, planned from the command line."""
    draft = course_draft()
    store.save_draft(draft)
    record_dinner(store, DAY, today=LATER)
    store.save_settings(rules=store.rules().model_copy(update={"cooldown": 1}))
    first, second = (pairs(tables) for tables in draft.course_tables())
    problem, _ = club_problem(store, [DinnerSpec(LATER, NINE, TableSizes((3,)).tables(9))])
    compiled = compile_dinner(problem, 0)
    ids = compiled.member_ids
    assert {frozenset((ids[i], ids[j])) for i, j in compiled.cooldown_pairs} == first | second
    ok("club", "plan", "--date", LATER, "--table-sizes", "3", "--seed", "1",
       "--method", "local", "--time-limit", "5", "--db", store.path)  # fmt: skip
    planned = store.draft(LATER)
    assert sorted(m for t in planned.tables for m in t.members) == NINE
    assert not pairs(planned.tables) & (first | second)


def test_record_undo_and_undo_take_a_course_dinner_back_whole(store):
    draft = course_draft()
    store.save_draft(draft)
    before = store.history()
    record_dinner(store, DAY, today=LATER)
    assert store.undo_record() == DAY
    assert store.draft(DAY) == draft and store.history() == before
    record_dinner(store, DAY, today=LATER)
    assert undo_change(store) is not None
    assert store.draft(DAY) == draft and store.history() == before
    assert undo_change(store) is not None  # the record --undo: the dinner is back, two courses
    assert len(store.dinner(DAY).courses) == 2 and store.drafts() == []


def test_recording_a_course_draft_whose_attendee_left(store):
    store.save_draft(course_draft())
    store.import_members([ClubMember(id="p4", name="Person 4", active=False)])
    recorded = record_dinner(store, DAY, today=LATER)
    assert recorded.changed and recorded.courses == 2
    assert any("'p4'" in line and "left" in line for line in recorded.broken)
    assert "p4" in store.dinner(DAY).seatings()[1]  # what took place is kept


def test_a_course_dinner_is_refused_where_one_course_already_holds_the_date(store):
    one = course_draft().course(1)
    store.save_draft(one)
    record_dinner(store, DAY, today=LATER)
    with pytest.raises(Exception, match="different seating"):
        store.record(course_draft())


# -- the schema step -------------------------------------------------------------------------


def old_file(path, version: int) -> None:
    """A club file at schema ``version`` with two recorded dinners, written as seating wrote
    them then (no course column)."""
    db = sqlite3.connect(path)
    for statement in itertools.chain.from_iterable(schema.MIGRATIONS[:version]):
        db.execute(statement)
    db.executemany("INSERT INTO members (id) VALUES (?)", [(m,) for m in NINE])
    for day, tables in (
        ("2026-01-08", [NINE[5:], NINE[:5]]),
        ("2026-02-05", [NINE[::2], NINE[1::2]]),
    ):
        db.execute("INSERT INTO dinners VALUES (?, 'import', 'x')", (day,))
        for position, members in enumerate(tables):
            table = f"T{position + 1}"
            db.execute(
                "INSERT INTO dinner_tables (date, table_id, position, capacity, host)"
                " VALUES (?, ?, ?, 9, ?)",
                (day, table, position, members[0]),
            )
            db.executemany(
                "INSERT INTO seatings (date, table_id, member_id) VALUES (?, ?, ?)",
                [(day, table, m) for m in members],
            )
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()


@pytest.mark.parametrize("version", range(2, schema.latest_version()), ids=lambda v: f"schema-{v}")
def test_a_file_before_courses_upgrades_with_its_history_intact(tmp_path, version):
    path = tmp_path / "old.db"
    old_file(path, version)
    with ClubStore(path) as store:
        assert store.schema_version == schema.latest_version()
        dinners = store.dinners()
        assert [str(d.date) for d in dinners] == ["2026-01-08", "2026-02-05"]
        assert [[t.members for t in d.tables] for d in dinners] == [
            [tuple(NINE[5:]), tuple(NINE[:5])],
            [tuple(NINE[::2]), tuple(NINE[1::2])],
        ]  # tables in their order, members in theirs
        assert all(d.later_courses == () for d in dinners)
        assert [t.host for t in dinners[0].tables] == ["p6", "p1"]
        # The upgraded file takes a course dinner, and a member still sits once per course.
        store.save_draft(course_draft())
        store.record(course_draft())
        assert len(store.dinner(DAY).courses) == 2
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO seatings (date, course, table_id, member_id) VALUES (?, 2, 'T1', 'p1')",
            (str(DAY),),
        )
    db.close()


# -- the history file ------------------------------------------------------------------------


def test_history_file_with_courses_round_trips(store, tmp_path):
    store.save_draft(course_draft())
    record_dinner(store, DAY, today=LATER)
    header, rows = csvio.history_table(store.dinners())
    assert header == csvio.COURSE_HISTORY_COLUMNS
    assert {r[1] for r in rows if r[0] == str(DAY)} == {"1", "2"}
    assert {r[1] for r in rows if r[0] != str(DAY)} == {"1"}
    path = tmp_path / "history.csv"
    csvio.write_rows(path, header, rows)
    dinners, ignored = csvio.read_history_csv(path, known=set(NINE))
    assert [d.seatings() for d in dinners] == [d.seatings() for d in store.dinners()]
    assert ignored == []


def test_history_file_without_courses_is_written_as_before(store):
    header, rows = csvio.history_table(store.dinners())
    assert header == csvio.HISTORY_COLUMNS
    assert rows == csvio.history_rows(store.dinners())


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("date,course,table,member_id\n2026-01-01,x,T1,p1\n", ("row 2", "'course'", "'x'")),
        ("date,course,table,member_id\n2026-01-01,0,T1,p1\n", ("row 2", "1 to 50", "0")),
        ("date,course,table,member_id\n2026-01-01,2,T1,p1\n", ("'course'", "no course 1")),
        (
            "date,course,table,member_id\n2026-01-01,2,T1,p1\n2026-01-01,2,T2,p1\n",
            ("row 3", "twice on 2026-01-01, course 2"),
        ),
    ],
)
def test_bad_course_in_a_history_file_is_one_line(tmp_path, text, words):
    path = write(tmp_path, "history.csv", text)
    with pytest.raises(InputError) as caught:
        csvio.read_history_csv(path)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_import_of_a_course_dinner_and_of_the_same_again_changes_nothing(store, tmp_path):
    text = "date,course,table,member_id\n" + "".join(
        f"2026-03-05,{c},T{k % 3 + 1},{m}\n"
        for c in (1, 2)
        for k, m in enumerate(NINE if c == 1 else NINE[::-1])
    )
    dinners, _ = csvio.read_history_csv(write(tmp_path, "h.csv", text))
    first = store.import_history(dinners)
    assert first.added == (DAY,) and first.seats == 18
    assert store.import_history(dinners).unchanged == (DAY,)
    assert len(store.dinner(DAY).courses) == 2


# -- one course changed, the others kept -------------------------------------------------


def test_pin_in_course_two_keeps_course_one_and_counts_its_pairs_as_met(store):
    draft = course_draft()
    store.save_draft(draft)
    course = course_of(draft, 2)
    pins = pinned(course, "p2", "T1")
    adjusted = repin_draft(store, draft, pins, course=2, **SEARCH)
    new = store.draft(DAY)
    assert adjusted.draft == new and new.num_courses == 2
    assert new.tables == draft.tables and new.pins == {}  # course 1 untouched
    assert new.later_courses[0].pins == {"p2": "T1"}
    assert "p2" in next(t for t in new.later_courses[0].tables if t.id == "T1").members
    assert sorted(m for t in new.later_courses[0].tables for m in t.members) == NINE
    # The other course is history of the evening: its pairs counted as met once more.
    problem, _ = course_problem(store, draft, 2)
    assert problem.history[-1].tables == [t.members for t in draft.tables]
    assert view_draft(store, DAY).broken == []


def test_course_two_reseated_meets_nobody_of_course_one_when_the_tables_allow(store):
    draft = course_draft()
    twice = draft.model_copy(update={"later_courses": [DraftCourse(tables=draft.tables)]})
    store.save_draft(twice)  # course 2 seats everyone with their course-1 mates again
    store.save_settings(rules=store.rules().model_copy(update={"cooldown": 1}))
    adjusted = repin_draft(store, twice, {}, fewest_moves=False, course=2, **SEARCH)
    assert adjusted.result.status.has_plan
    new = store.draft(DAY)
    first, second = (pairs(tables) for tables in new.course_tables())
    assert new.tables == draft.tables and not first & second


def test_unpin_and_reseat_of_one_course(store):
    draft = course_draft()
    store.save_draft(draft)
    repin_draft(store, draft, {"p5": "T2"}, course=2, **SEARCH)
    pinned_draft = store.draft(DAY)
    with pytest.raises(InputError, match="not pinned in the draft \\(course 1\\)"):
        unpin(store, pinned_draft, "p5")
    assert unpin(store, pinned_draft, "p5", 2).later_courses[0].pins == {}
    changes = LateChanges(cancel=["p4"])
    adjusted = reseat_draft(store, store.draft(DAY), changes, course=2, time_limit=5.0, seed=1)
    new = store.draft(DAY)
    assert adjusted.cancelled == ["p4"]
    for tables in new.course_tables():  # who cancels leaves every course
        assert sorted(m for t in tables for m in t.members) == [m for m in NINE if m != "p4"]
    assert [t.members for t in new.tables] == [
        [m for m in t.members if m != "p4"] for t in draft.tables
    ]


@pytest.mark.parametrize(
    ("changes", "tables"),
    [
        (LateChanges(walk_in=["p10"], add_tables=[Table(id="T4", capacity=3)]), 4),
        (LateChanges(remove_tables=["T3"], add_tables=[Table(id="T4", capacity=4)]), 3),
        (LateChanges(walk_in=["p10"], cancel=["p9"]), 3),
    ],
)
def test_walk_ins_and_table_changes_reseat_every_course(store, changes, tables):
    store.import_members([ClubMember(id="p10")])
    draft = course_draft()
    store.save_draft(draft)
    adjusted = reseat_draft(store, draft, changes, course=2, time_limit=10.0, seed=1)
    new = store.draft(DAY)
    assert adjusted.draft == new and new.num_courses == 2
    everyone = sorted([*(m for m in NINE if m not in changes.cancel), *changes.walk_in])
    ids = sorted({t.id for t in draft.tables} - set(changes.remove_tables)) + [
        t.id for t in changes.add_tables
    ]
    for seated in new.course_tables():  # a seat in every course, the new tables in each
        assert sorted(m for t in seated for m in t.members) == everyone
        assert sorted(t.id for t in seated) == sorted(ids) and len(seated) == tables
        assert all(len(t.members) <= t.capacity for t in seated)
    assert view_draft(store, DAY).broken == []
    # The moves reported are those of the course asked for.
    before, after = draft.course(2).table_of(), new.course(2).table_of()
    assert sorted(m.member for m in adjusted.adjustment.moves) == sorted(
        m for m in after if m in before and before[m] != after[m]
    )
    assert [m.member for m in adjusted.adjustment.seated] == list(changes.walk_in)


def test_a_walk_in_without_a_seat_in_a_course_draft_changes_nothing(store):
    store.import_members([ClubMember(id="p10")])
    store.save_draft(course_draft())
    with pytest.raises(InputError, match="total capacity 9 is below attendance 10"):
        prepare_reseat(store, store.draft(DAY), LateChanges(walk_in=["p10"]), course=2)
    assert store.draft(DAY) == course_draft()


def test_a_course_the_draft_does_not_have_is_one_line_naming_the_field(store):
    store.save_draft(course_draft())
    one = course_draft().course(1)
    for draft, course in ((store.draft(DAY), 3), (store.draft(DAY), 0), (one, 2)):
        with pytest.raises(FieldError) as caught:
            prepare_repin(store, draft, {}, course=course)
        assert caught.value.field == "course" and f"course {course}" in caught.value.problem


def test_a_pin_to_an_unknown_table_in_course_two(store):
    store.save_draft(course_draft())
    job = prepare_repin(store, store.draft(DAY), {"p1": "T9"}, course=2)
    with pytest.raises(InputError, match="'p1' is pinned to table 'T9', which does not exist"):
        job.search(**SEARCH)
    assert store.draft(DAY) == course_draft()


# -- the command line --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["plan", "--date", "2026-03-05", "--courses", "0"], ("--courses", "1 to 50", "0")),
        (["plan", "--date", "2026-03-05", "--courses", "51"], ("--courses", "1 to 50", "51")),
        (["plan", "--date", "2026-03-05", "--courses", "abc"], ("--courses", "integer")),
        (["pin", "p1", "T2", "--course", "3"], ("--course", "2 courses, not a course 3")),
        (["swap", "p1", "p5", "--course", "3"], ("--course", "not a course 3")),
        (["unpin", "p1", "--course", "3"], ("--course", "not a course 3")),
        (["reseat", "--cancel", "p1", "--course", "3"], ("--course", "not a course 3")),
        (["explain", "--course", "3"], ("--course", "not a course 3")),
        (["pin", "p1", "T9", "--course", "2"], ("'p1'", "'T9'", "does not exist")),
        (["reseat", "--walk-in", "p10", "--course", "2"], ("capacity 9", "attendance 10")),
    ],
)
def test_bad_course_options_exit_2_with_one_line_and_change_nothing(store, args, words):
    store.import_members([ClubMember(id="p10")])
    store.save_draft(course_draft())
    before = dump(store.path)
    one_line_error(run("club", *args, "--db", store.path), 2, *words)
    assert dump(store.path) == before


def test_course_option_on_a_one_course_draft(store):
    store.save_draft(course_draft().course(1))
    result = run("club", "pin", "p1", "T2", "--course", "2", "--db", store.path)
    one_line_error(result, 2, "--course", "has 1 course, not a course 2")


def test_show_and_record_a_course_draft(store):
    store.save_draft(course_draft())
    shown = ok("club", "show", "--db", store.path).stdout
    assert "course 1 of 2" in shown and "course 2 of 2" in shown
    assert shown.count("new conversation") == 1  # one summary line for the evening
    told = ok("club", "explain", "--course", "2", "--member", "p5", "--db", store.path).stdout
    assert "Person 5 (p5) sits at table T2" in told and "p8 (Person 8)" in told  # course 2
    recorded = ok("club", "record", "--allow-future", "--db", store.path).stdout
    assert "2 courses" in recorded


def test_a_course_dinner_with_newcomers_and_a_guest_counts_each_newcomer_once(tmp_path):
    """p7-p9 have no dinner yet and a guest of p3 comes: 4 newcomers, newcomers at the main
    course and at dessert alike; the guest sits with p3 at both courses without a warning
    that a pair meets twice, and the summary line counts 4 newcomers, not one per course."""
    history = {"2026-02-05": [NINE[:3], NINE[3:6]]}
    with small_store(tmp_path, 9, hosts=("p1", "p2"), history=history) as club:
        ok("club", "settings", "--newcomer-dinners", "1", "--max-newcomers-per-table", "1",
           "--db", club.path)  # fmt: skip
        planned = ok("club", "plan", "--date", DAY, "--courses", "2", "--table-sizes", "3",
                     "--guest", "Gina Gast:p3", "--seed", "1", "--method", "local",
                     "--time-limit", "5", "--db", club.path)  # fmt: skip
        assert "4 newcomers (at most 1 at a table)" in planned.stdout
        assert "two courses" not in planned.stderr
        draft = club.draft(DAY)
        newcomers = {"p7", "p8", "p9", "guest-gina-gast"}
        for tables in draft.course_tables():
            assert any({"p3", "guest-gina-gast"} <= set(t.members) for t in tables)
            assert all(len(newcomers & set(t.members)) <= 1 for t in tables)
        shown = ok("club", "show", "--db", club.path).stdout
        assert "4 newcomers (at most 1 at a table)" in shown


# -- print-outs ------------------------------------------------------------------------------


def course_view(language: str = "en"):
    members = {m: ClubMember(id=m, name=f"Person {m[1:]}") for m in NINE}
    return dinner_view(course_draft(), members, title="Club", language=language)


def test_the_printed_plan_shows_each_course_and_where_everyone_sits_at_each():
    view = course_view()
    assert len(view.courses) == 2 and view.tables == view.courses[0]
    draft = course_draft()
    for seat in view.seats:
        expected = tuple(
            next(t.id for t in tables if seat.member in t.members)
            for tables in draft.course_tables()
        )
        assert seat.tables == expected and seat.table == expected[0]
    page = render_plan(view)
    assert page.count('<section class="plan" data-course=') == 2
    assert "<th>Course 1</th><th>Course 2</th>" in page
    row = '<tr class="where-row" data-member="p5"><td class="name">Person 5</td>'
    assert row + '<td class="table-id">T2</td><td class="table-id">T2</td></tr>' in page


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "Course 1: T1 · Course 2: T2"),
        ("nl", "Gang 1: T1 · Gang 2: T2"),
        ("fr", "Service 1 : T1 · Service 2 : T2"),
    ],
)
def test_place_and_tent_cards_say_the_table_of_each_course(language, line):
    view = course_view(language)
    for page in (render_cards(view), render_tents(view)):
        assert 'data-member="p2" data-table="T1">' in page  # put out on the first course's
        assert line in page
        assert "Table T1" not in page and "Tafel" not in page


def test_a_one_course_dinner_prints_as_before():
    members = {m: ClubMember(id=m) for m in NINE}
    view = dinner_view(course_draft().course(1), members, title="Club")
    assert view.courses == ()
    assert "Course" not in render_plan(view) + render_cards(view) + render_tents(view)


def test_meeting_stats_count_each_course_and_each_dinner_once(store):
    store.save_draft(course_draft())
    record_dinner(store, DAY, today=LATER)
    stats = meeting_stats(store.members(), store.dinners())
    index = {m.id: i for i, m in enumerate(store.members())}
    assert stats.counts[index["p1"], index["p2"]] == 2  # 2026-02-05 and course 1
    assert stats.counts[index["p1"], index["p4"]] == 1  # course 2
    assert list(stats.attended) == [2] * 9


def test_a_season_of_course_dinners_saves_a_course_draft_per_dinner(store):
    season = plan_club_season(
        store, {DAY: None, LATER: None}, tables=TableSizes((3,)), courses=2, **SEARCH
    )
    assert [d.num_courses for d in store.drafts()] == [2, 2] and season.drafts == store.drafts()
    for draft in season.drafts:
        for tables in draft.course_tables():
            assert sorted(m for t in tables for m in t.members) == NINE
    assert len(season.per_dinner) == 2
    total = season.result.metrics.repeat_pairs
    assert sum(m.repeat_pairs for m in season.per_dinner) == total
    problem, _ = club_problem(store, [DinnerSpec(LATER, NINE, TableSizes((3,)).tables(9))])
    assert [d.date for d in problem.history].count(DAY) == 2  # the earlier draft's courses
