"""seating: decide who sits at which table at a business-club dinner.

>>> import seating
>>> problem = seating.read_problem("problem.json")  # doctest: +SKIP
>>> result = seating.solve(problem, time_limit=5, seed=1)  # doctest: +SKIP
>>> print(result.to_json())  # doctest: +SKIP

The whole public API is re-exported here. The season planner, the notebook analytics
(:func:`simulate`, the presets, the season metrics) and the plots load on first use: they (and
pandas and matplotlib behind them) cost more to import than planning one dinner, so
``import seating`` (and ``seating plan``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# First: it tells numba where to cache before any module imports numba.
from seating import _numba_cache  # noqa: F401
from seating.adjust import Adjustment as Adjustment
from seating.adjust import Move as Move
from seating.adjust import reseat as reseat
from seating.adjust import solve_pinned as solve_pinned
from seating.compile.problem import DinnerProblem as DinnerProblem
from seating.compile.problem import check_references as check_references
from seating.compile.problem import compile_dinner as compile_dinner
from seating.errors import InputError as InputError
from seating.explain import DinnerExplanation as DinnerExplanation
from seating.explain import explain as explain
from seating.models import Dinner as Dinner
from seating.models import Member as Member
from seating.models import PastDinner as PastDinner
from seating.models import Policy as Policy
from seating.models import ProblemInput as ProblemInput
from seating.models import Rules as Rules
from seating.models import Table as Table
from seating.read import problem_json_schema as problem_json_schema
from seating.read import read_plan as read_plan
from seating.read import read_problem as read_problem
from seating.read import sample_problem as sample_problem
from seating.result import CoursePlan as CoursePlan
from seating.result import DinnerPlan as DinnerPlan
from seating.result import Metrics as Metrics
from seating.result import Result as Result
from seating.result import Status as Status
from seating.result import TablePlan as TablePlan
from seating.solve import solve as solve
from seating.stop import AnyOf as AnyOf
from seating.stop import CancelFlag as CancelFlag
from seating.stop import NoImprovement as NoImprovement
from seating.stop import Stop as Stop
from seating.stop import TimeBudget as TimeBudget

if TYPE_CHECKING:
    from seating.plotting import plot_contacts as plot_contacts
    from seating.plotting import plot_member_network as plot_member_network
    from seating.plotting import plot_over_season as plot_over_season
    from seating.plotting import plot_pair_matrix as plot_pair_matrix
    from seating.policies.presets import Preset as Preset
    from seating.policies.presets import get_preset as get_preset
    from seating.policies.season_metrics import season_metrics as season_metrics
    from seating.policies.simulate import SimulationResult as SimulationResult
    from seating.policies.simulate import simulate as simulate
    from seating.season.golf import golf_problem as golf_problem
    from seating.season.planner import SeasonSettings as SeasonSettings
    from seating.season.planner import plan_season as plan_season

_LAZY = {
    "plot_contacts": "seating.plotting",
    "plot_member_network": "seating.plotting",
    "plot_over_season": "seating.plotting",
    "plot_pair_matrix": "seating.plotting",
    "Preset": "seating.policies.presets",
    "get_preset": "seating.policies.presets",
    "season_metrics": "seating.policies.season_metrics",
    "SimulationResult": "seating.policies.simulate",
    "simulate": "seating.policies.simulate",
    "golf_problem": "seating.season.golf",
    "SeasonSettings": "seating.season.planner",
    "plan_season": "seating.season.planner",
}
"""Public names whose modules are imported on first use (PEP 562)."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'seating' has no attribute {name!r}")


__all__ = [
    "Adjustment",
    "AnyOf",
    "CancelFlag",
    "CoursePlan",
    "Dinner",
    "DinnerExplanation",
    "DinnerPlan",
    "DinnerProblem",
    "InputError",
    "Member",
    "Metrics",
    "Move",
    "NoImprovement",
    "PastDinner",
    "Policy",
    "Preset",
    "ProblemInput",
    "Result",
    "Rules",
    "SeasonSettings",
    "SimulationResult",
    "Status",
    "Stop",
    "Table",
    "TablePlan",
    "TimeBudget",
    "check_references",
    "compile_dinner",
    "explain",
    "get_preset",
    "golf_problem",
    "plan_season",
    "plot_contacts",
    "plot_member_network",
    "plot_over_season",
    "plot_pair_matrix",
    "problem_json_schema",
    "read_plan",
    "read_problem",
    "reseat",
    "sample_problem",
    "season_metrics",
    "simulate",
    "solve",
    "solve_pinned",
]

__version__ = "0.1.0"
