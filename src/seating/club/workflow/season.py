"""Plan several dinners jointly (a season) and save each as a draft.

The dinners are planned as one season (:func:`seating.solve` with several dinners), so a later
dinner counts the pairs seated at the earlier planned ones as meetings. As for one dinner
(:mod:`seating.club.workflow.planning`), :func:`prepare_season` checks everything before the
search, :meth:`SeasonJob.search` plans without touching the database, and :meth:`SeasonJob.save`
writes the drafts in one transaction: on bad input or without a plan, nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from seating.club.records import Draft
from seating.club.store import ClubStore
from seating.club.workflow.problems import (
    TABLES_OF_EIGHT,
    DinnerSpec,
    TableSizes,
    check_courses,
    club_problem,
    draft_from,
    unique,
    with_hosts,
)
from seating.compile.courses import expand_courses, flatten, has_courses
from seating.compile.metrics import combine
from seating.errors import InputError
from seating.models import ProblemInput, Table
from seating.result import DinnerPlan, Metrics, Result
from seating.season.evaluate import evaluate
from seating.solve import solve
from seating.stop import Stop

SeasonTables = Sequence[Table] | Mapping[dt.date | None, Sequence[Table]] | TableSizes
"""The tables of a season: the same every dinner, per date (``None``: every other date), or
sizes to make each dinner's tables from."""


@dataclass(frozen=True)
class SeasonPlanned:
    """What planning a season gave.

    Attributes
    ----------
    problem
        The season as planned (recorded history, dinners in date order).
    result
        The search's answer; without a plan, its status and reason say why.
    dinners
        The dinners planned, in date order, with the tables each was planned with.
    drafts
        The drafts saved, one per dinner; empty when the search found no plan (nothing was
        written).
    per_dinner
        Plan quality of each dinner, each counting the recorded dinners and the season's
        earlier ones (empty without a plan).
    notes
        What to tell the organiser besides (a host not coming, drafts counted as history).
    """

    problem: ProblemInput
    result: Result
    dinners: list[DinnerSpec]
    drafts: list[Draft]
    per_dinner: list[Metrics]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SeasonJob:
    """A checked request to plan a season: :meth:`search`, then :meth:`save`."""

    dinners: list[DinnerSpec]
    problem: ProblemInput
    replace: bool
    notes: list[str]

    def search(
        self,
        *,
        method: str = "auto",
        time_limit: float = 10.0,
        seed: int = 0,
        stop: Stop | None = None,
    ) -> Result:
        """Plan the season (as :func:`seating.solve`); reads and writes no database."""
        return solve(self.problem, method=method, time_limit=time_limit, seed=seed, stop=stop)

    def save(self, store: ClubStore, result: Result) -> SeasonPlanned:
        """Save a draft per dinner of ``result``, all in one transaction (nothing without a
        plan).

        Raises
        ------
        StoreError
            A draft cannot be written now (see :meth:`ClubStore.save_drafts`); nothing is
            written.
        """
        if not result.status.has_plan:
            return SeasonPlanned(self.problem, result, self.dinners, [], [], self.notes)
        drafts = [
            draft_from(result, spec.date, spec.tables, {}, dinner=k)
            for k, spec in enumerate(self.dinners)
        ]
        store.save_drafts(drafts, replace=self.replace)
        per_dinner = per_dinner_metrics(self.problem, result.dinners)
        return SeasonPlanned(self.problem, result, self.dinners, drafts, per_dinner, self.notes)


def check_season_dates(store: ClubStore, dates: Sequence[dt.date], *, replace: bool) -> None:
    """The season (``dates`` in order) must come after the recorded history, and not overwrite
    drafts unasked.

    Raises
    ------
    StoreError
        A date is recorded, or has a draft and not ``replace``.
    InputError
        A recorded dinner after the first date, or a draft between the dates that is not
        one of them.
    """
    store.check_dates(dates, replace=replace)
    later = [day for day in store.dinner_dates() if day > dates[0]]
    if later:
        # Planned dinners count as history for the ones after them only in date order: a
        # recorded dinner in the middle of the season would be counted in the wrong place.
        raise InputError(
            f"the dinner of {later[-1]} is recorded but comes after {dates[0]}, the first "
            f"dinner to plan: a season must come after the recorded dinners"
        )
    planned = set(dates)
    for draft in store.drafts():
        if dates[0] < draft.date < dates[-1] and draft.date not in planned:
            # It would count for the dinners after it, but the season is planned without it.
            raise InputError(
                f"a draft plan for {draft.date} lies between the dinners to plan: add its date "
                f"(with --replace) or discard it first "
                f"(`seating club discard --date {draft.date}`)"
            )


def season_tables(
    dinners: Mapping[dt.date, Sequence[str]],
    tables: SeasonTables,
    *,
    source: str = "the tables",
) -> tuple[list[DinnerSpec], list[str]]:
    """Each dinner with its tables: the same ``tables`` every time, per date, or made to
    measure.

    Parameters
    ----------
    dinners
        Date -> attendee ids.
    tables
        The tables of every dinner; or date -> tables (the key ``None``: the tables of every
        date without its own); or sizes to make each dinner's tables from.
    source
        Where ``tables`` came from, for messages (``"the tables of tables.csv"``).

    Returns
    -------
    dinners, notes
        The dinners with their tables; a note for each host who does not come to a dinner
        (the table has no fixed host that night, rather than making the season impossible).

    Raises
    ------
    InputError
        A dinner with more attendees than ``tables`` seat.
    """
    if isinstance(tables, TableSizes):
        return [DinnerSpec(day, ppl, tables.tables(len(ppl))) for day, ppl in dinners.items()], []
    per_date = tables if isinstance(tables, Mapping) else {None: list(tables)}
    specs: list[DinnerSpec] = []
    notes: list[str] = [
        f"{source} has tables for {day}, which is not a dinner of this season"
        for day in per_date
        if day is not None and day not in dinners
    ]
    for day, people in dinners.items():
        own = per_date.get(day, per_date.get(None))
        if own is None:
            raise InputError(f"dinner {day}: {source} has no tables for that date")
        seats = sum(t.capacity for t in own)
        if len(people) > seats:
            where = f" for {day}" if day in per_date else ""
            raise InputError(
                f"dinner {day}: {len(people)} attendees but {source}{where} seat {seats}"
            )
        coming = set(people)
        that_night = []
        for table in own:
            if table.host is not None and table.host not in coming:
                notes.append(
                    f"{day}: {table.host!r}, host of table {table.id}, is not coming; "
                    f"the table has no fixed host that night"
                )
                table = Table(id=table.id, capacity=table.capacity)
            that_night.append(table)
        specs.append(DinnerSpec(day, people, that_night))
    return specs, notes


def prepare_season(
    store: ClubStore,
    dinners: Mapping[dt.date, Sequence[str] | None],
    *,
    tables: SeasonTables = TABLES_OF_EIGHT,
    tables_source: str = "the tables",
    auto_hosts: bool = True,
    replace: bool = False,
    courses: int = 1,
) -> SeasonJob:
    """Check a request to plan a season and build its problem.

    Parameters
    ----------
    store
        The club database (read only here).
    dinners
        Date -> member ids of who comes; None: every active member.
    tables
        The tables of every dinner, date -> tables (see :func:`season_tables`), or sizes to
        make each dinner's tables from.
    tables_source
        Where ``tables`` came from, for messages.
    auto_hosts
        Give tables without a host one of the attending members flagged as hosts.
    replace
        Plan afresh over existing drafts of these dates.
    courses
        The courses of every dinner (members change tables between them; a draft then holds
        one seating per course).

    Raises
    ------
    FieldError
        ``courses``: not 1 to 50.
    InputError
        No dinner; dates the season cannot have (:func:`check_season_dates`); more attendees
        than seats; an attendee who is unknown or has left (named with the dinner's date).
    StoreError
        A date recorded, or with a draft and not ``replace``.
    """
    courses = check_courses(courses)
    if not dinners:
        raise InputError("no dinners to plan")
    everybody = [m.id for m in store.members(active_only=True)]
    chosen = {day: list(everybody if ppl is None else ppl) for day, ppl in sorted(dinners.items())}
    check_season_dates(store, list(chosen), replace=replace)
    specs, host_notes = season_tables(chosen, tables, source=tables_source)
    problem, notes = club_problem(store, specs, courses=courses)  # ids checked before hosts
    if auto_hosts:
        members = {m.id: m for m in store.members()}
        specs = [
            spec._replace(tables=with_hosts(spec.tables, spec.attendees, members)) for spec in specs
        ]
        problem, notes = club_problem(store, specs, courses=courses)
    return SeasonJob(specs, problem, replace, unique(host_notes, notes))


def plan_club_season(
    store: ClubStore,
    dinners: Mapping[dt.date, Sequence[str] | None],
    *,
    tables: SeasonTables = TABLES_OF_EIGHT,
    tables_source: str = "the tables",
    auto_hosts: bool = True,
    replace: bool = False,
    courses: int = 1,
    method: str = "auto",
    time_limit: float = 10.0,
    seed: int = 0,
) -> SeasonPlanned:
    """Plan several dinners jointly and save a draft for each: :func:`prepare_season`,
    :meth:`SeasonJob.search`, :meth:`SeasonJob.save` in one call."""
    job = prepare_season(
        store,
        dinners,
        tables=tables,
        tables_source=tables_source,
        auto_hosts=auto_hosts,
        replace=replace,
        courses=courses,
    )
    return job.save(store, job.search(method=method, time_limit=time_limit, seed=seed))


def per_dinner_metrics(problem: ProblemInput, plans: Sequence[DinnerPlan]) -> list[Metrics]:
    """Plan quality of each dinner of a season, each counting the earlier ones as history.

    Parameters
    ----------
    problem
        The season's problem (recorded history, dinners in date order).
    plans
        One plan per dinner of ``problem``, in the same order.

    Returns
    -------
    list of Metrics
        Per dinner: pairs who met before (at a recorded dinner or an earlier planned one, or
        an earlier course), new pairs, most meetings of a pair, ... (of dinners with several
        courses: over their courses, each counting the earlier ones as history).
    """
    if not has_courses(problem):
        return evaluate(problem, plans).per_dinner
    per_course = evaluate(expand_courses(problem), flatten(list(plans))).per_dinner
    out, start = [], 0
    for dinner in problem.dinners:
        out.append(combine(per_course[start : start + dinner.courses]))
        start += dinner.courses
    return out
