"""How fast do the web app's pages answer? Every page and the rule check of a drag, on the
160-member club, against the club workflow's own call behind each page.

    .venv/bin/python benchmarks/web_pages.py [--members 160] [--seeds 0 1 2] [--repeats 7]
        [--out FILE]

For each seed: a synthetic club (``seating.policies.synthetic.synthetic_club``: 160 members,
24 recorded dinners, the next dinner's attendees) goes into a fresh club database, its next
dinner is planned once (local search, 3 s, seed 0; not measured: planning is the search), and
then each page is fetched ``--repeats`` times through FastAPI's test client on the real app
(the whole ASGI stack, templates, a new database connection per request; no network). The
baseline is the workflow call the page is built on, in the same process, just before:

| page | request | baseline |
|---|---|---|
| members | ``GET /members`` | ``store.members()`` |
| dinner | ``GET /dinner`` | ``store.members(active_only=True)``, policy, rules |
| plan | ``GET /plan?date=D`` | ``workflow.view_draft`` + ``explain`` |
| drag check | ``POST /plan/check`` | ``workflow.check_move`` |
| explain | ``GET /plan/explain`` | ``workflow.view_draft`` + ``explain(...).member`` |
| history | ``GET /history`` | ``meeting_stats`` over the recorded dinners |
| print | ``GET /print/plan`` | ``workflow.printable`` + ``render_plan`` |
| plot | ``GET /plots/pairs.png`` | (none: drawn once per history, then from memory) |
| plot, first draw | the same, its cache emptied first | (none: the plot is the work) |

Prints a Markdown table: the median milliseconds over seeds (of each seed's median over the
repeats), the slowest seed's median, the baseline's median, the ratio page / baseline, and
whether the median stays under the 300 ms of issue 14. No assertion: the table goes to
``docs/web.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from seating.club import workflow
from seating.club.records import ClubMember, RecordedDinner, SeatedTable
from seating.club.report.html import render_plan
from seating.club.report.meetings import meeting_stats
from seating.club.store import ClubStore
from seating.explain import explain
from seating.policies.synthetic import synthetic_club
from seating.web import create_app
from seating.web.history import _pairs_png

BUDGET_MS = 300.0


def _club(folder: Path, members: int, seed: int) -> tuple[Path, str, str, str]:
    """A club database with history and a planned draft; (db, date, a mover, a table)."""
    problem = synthetic_club(num_members=members, seed=seed)
    db = folder / f"club-{seed}.db"
    with ClubStore(db, create=True) as store:
        store.import_members(
            [ClubMember(id=m.id, name=m.name, company=m.company, industry=m.industry,
                        languages=list(m.languages)) for m in problem.members]
        )  # fmt: skip
        store.import_history(
            [
                RecordedDinner(d.date, tuple(SeatedTable(f"T{k + 1}", tuple(t))
                                             for k, t in enumerate(d.tables)))
                for d in problem.history
            ]
        )  # fmt: skip
        dinner = problem.dinners[0]
        planned = workflow.plan_dinner(
            store, dinner.date, attendees=dinner.attendees, tables=dinner.tables,
            method="local", time_limit=3.0, seed=0,
        )  # fmt: skip
        assert planned.draft is not None, planned.result.reason
        draft = planned.draft
    mover = draft.tables[0].members[-1]
    return db, draft.date.isoformat(), mover, draft.tables[1].id


def _median_ms(call: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(folder: Path, members: int, seed: int, repeats: int) -> dict[str, tuple[float, float]]:
    """Page name -> (page median ms, baseline median ms) for one seeded club."""
    db, date, mover, table = _club(folder, members, seed)
    client = TestClient(create_app(db))
    page = client.get("/members")
    token = page.text.split('name="csrf-token" content="')[1].split('"')[0]

    def with_store(work: Callable[[ClubStore], object]) -> Callable[[], object]:
        def run() -> object:
            with ClubStore(db) as store:
                return work(store)

        return run

    def plan_view(store: ClubStore) -> object:
        view = workflow.view_draft(store)
        return explain(view.problem, view.result)

    cases: dict[str, tuple[Callable[[], object], Callable[[], object] | None]] = {
        "members": (lambda: client.get("/members"), with_store(lambda s: s.members())),
        "dinner": (
            lambda: client.get("/dinner"),
            with_store(lambda s: (s.members(active_only=True), s.policy(), s.rules())),
        ),
        "plan": (lambda: client.get(f"/plan?date={date}"), with_store(plan_view)),
        "drag check": (
            lambda: client.post(
                "/plan/check",
                data={"date": date, "member": mover, "table": table},
                headers={"X-CSRF-Token": token},
            ),
            with_store(lambda s: workflow.check_move(s, s.draft(), mover, table)),
        ),
        "explain": (
            lambda: client.get(f"/plan/explain?date={date}&member={mover}"),
            with_store(lambda s: plan_view(s).member(mover)),  # type: ignore[attr-defined]
        ),
        "history": (
            lambda: client.get("/history"),
            with_store(lambda s: meeting_stats(s.members(), s.dinners())),
        ),
        "print": (
            lambda: client.get(f"/print/plan?date={date}"),
            with_store(lambda s: render_plan(workflow.printable(s))),
        ),
        "plot": (lambda: client.get("/plots/pairs.png"), None),
        "plot, first draw": (
            lambda: (_pairs_png.cache_clear(), client.get("/plots/pairs.png"))[1],
            None,
        ),
    }
    results = {}
    for name, (page_call, base_call) in cases.items():
        answer = page_call()  # once unmeasured: templates, imports, caches
        assert answer.status_code == 200, (name, answer.status_code, answer.text[:300])
        base = float("nan")
        if base_call is not None:
            base_call()
            base = _median_ms(base_call, repeats)
        results[name] = (_median_ms(page_call, repeats), base)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=160)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    per_seed: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for seed in args.seeds:
            for name, figures in measure(Path(folder), args.members, seed, args.repeats).items():
                per_seed.setdefault(name, []).append(figures)
    lines = [
        f"{args.members}-member club, seeds {' '.join(map(str, args.seeds))}, {args.repeats} "
        f"repeats each; {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}",
        "",
        "| page | median ms | slowest seed ms | baseline ms | page / baseline | under 300 ms |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, figures in per_seed.items():
        page = statistics.median(f[0] for f in figures)
        slowest = max(f[0] for f in figures)
        base = statistics.median(f[1] for f in figures)
        ratio = "-" if base != base else f"{page / base:.1f}"
        shown = "-" if base != base else f"{base:.1f}"
        under = "yes" if page < BUDGET_MS else "no"
        lines.append(f"| {name} | {page:.1f} | {slowest:.1f} | {shown} | {ratio} | {under} |")
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
