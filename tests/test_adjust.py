"""Re-seating under stop criteria (its rules and fewest moves: tests/test_properties.py,
tests/solvers/test_cpsat_constraints.py and tests/cli/test_club_cli.py)."""

from __future__ import annotations

from helpers import CPSAT_TIME, SCENARIOS, checked
from seating.adjust import reseat
from seating.result import Status
from seating.stop import CancelFlag


def test_a_cancelled_reseat_returns_a_well_formed_result_without_a_plan():
    flag = CancelFlag()
    flag.cancel()
    problem = checked(SCENARIOS["everything"])
    draft = {"m1": "T1", "m2": "T2", "m3": "T3"}
    adjustment = reseat(problem, draft, time_limit=CPSAT_TIME, stop=flag)
    assert adjustment.result.status is Status.UNKNOWN
    assert adjustment.result.dinners == [] and adjustment.result.reason
    assert "cancelled" in adjustment.result.reason
    assert adjustment.moves == [] and adjustment.seated == [] and not adjustment.minimal
