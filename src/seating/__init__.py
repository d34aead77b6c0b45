"""seating: decide who sits at which table at a business-club dinner.

>>> import seating
>>> problem = seating.ProblemInput.from_file("problem.json")  # doctest: +SKIP
>>> result = seating.solve(problem, time_limit=5, seed=1)  # doctest: +SKIP
>>> print(result.to_json())  # doctest: +SKIP
"""

from seating.errors import InputError
from seating.models import (
    Dinner,
    Member,
    PastDinner,
    Policy,
    ProblemInput,
    Rules,
    Table,
    problem_json_schema,
)
from seating.problem import DinnerProblem, check_references, compile_dinner
from seating.result import DinnerPlan, Metrics, Result, Status, TablePlan
from seating.solve import solve

__all__ = [
    "Dinner",
    "DinnerPlan",
    "DinnerProblem",
    "InputError",
    "Member",
    "Metrics",
    "PastDinner",
    "Policy",
    "ProblemInput",
    "Result",
    "Rules",
    "Status",
    "Table",
    "TablePlan",
    "check_references",
    "compile_dinner",
    "problem_json_schema",
    "solve",
]

__version__ = "0.1.0"
