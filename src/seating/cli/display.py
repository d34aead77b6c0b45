"""Rich terminal rendering of a plan: one panel per table, the metrics, the comparison."""

from __future__ import annotations

import numpy as np
from rich.columns import Columns
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from seating.compile.problem import DinnerProblem
from seating.models import ProblemInput
from seating.result import DinnerPlan, Metrics, Result


def table_panels(
    problem: ProblemInput, dinner: DinnerProblem, plan: DinnerPlan, index_of_dinner: int = 0
) -> Columns:
    """One panel per table: who sits there, their company, how many mates they met before."""
    by_id = {m.id: m for m in problem.members}
    index = {m: i for i, m in enumerate(dinner.member_ids)}
    hosts = {dinner.member_ids[i] for i in np.nonzero(dinner.host_table >= 0)[0]}
    # The input's capacity: the compiled one is clamped to the attendance.
    capacity = {t.id: t.capacity for t in problem.dinners[index_of_dinner].tables}
    panels = []
    for table in plan.tables:
        grid = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        grid.add_column("member")
        grid.add_column("company", style="dim")
        grid.add_column("met", justify="right")
        seated = [index[m] for m in table.members]
        for member in table.members:
            i = index[member]
            met = int(sum(dinner.meetings[i, j] > 0 for j in seated if j != i))
            name = by_id[member].display_name + (" (host)" if member in hosts else "")
            inviter = by_id[member].guest_of
            if inviter is not None and inviter in by_id:
                name += f" (guest of {by_id[inviter].display_name})"
            # Text, not str: names and companies are data and must never be read as markup.
            grid.add_row(Text(name), Text(by_id[member].company or ""), str(met) if met else "")
        title = Text(f"{table.id}  {len(table.members)}/{capacity[table.id]}")
        panels.append(Panel(grid, title=title, title_align="left", width=44))
    return Columns(panels)


def metrics_table(rows: dict[str, tuple[Metrics, float | None]]) -> Table:
    """Metrics side by side, one column per plan (e.g. the plan and a random seating)."""
    table = Table(title="plan quality", show_lines=False)
    table.add_column("")
    for name in rows:
        table.add_column(name, justify="right")
    fields = {
        "objective (lower is better)": lambda m, o: "-" if o is None else f"{o:g}",
        "pairs who met before": lambda m, o: str(m.repeat_pairs),
        "new pairs": lambda m, o: str(m.new_pairs),
        "most meetings of a pair": lambda m, o: str(m.max_meetings),
        "members with a repeat": lambda m, o: str(m.members_with_repeats),
        "most repeats of one member": lambda m, o: str(m.max_repeats_per_member),
    }
    for label, show in fields.items():
        table.add_row(label, *(show(m, o) for m, o in rows.values()))
    return table


def summary_line(result: Result) -> str:
    """:meth:`Result.summary <seating.result.Result.summary>` with the status in bold."""
    status = result.status.value
    return result.summary().replace(f"status {status}", f"status [bold]{status}[/bold]", 1)


def print_plan(
    console: Console,
    problem: ProblemInput,
    dinners: list[DinnerProblem],
    result: Result,
    titles: list[str] | None = None,
    *,
    status: bool = True,
) -> None:
    """Print every dinner (or course: ``titles`` name them) of a plan with its tables, then
    (``status``) the summary line."""
    for k, (dinner, plan) in enumerate(zip(dinners, result.dinners, strict=True)):
        panels = table_panels(problem, dinner, plan, k)
        title = titles[k] if titles else f"Dinner of {plan.date}"
        console.print(Group(f"[bold]{title}[/bold]", panels))
    if status:
        console.print(summary_line(result))
