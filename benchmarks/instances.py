"""The benchmark instances of the dinner solvers (issue 2, "Performance"), deterministic per seed.

Every instance is a synthetic club (:func:`seating.policies.synthetic.synthetic_club`): past dinners
seated at random, each member attending with probability 0.65, the next dinner's attendees
drawn at random, tables cycling through the given sizes, the first tables hosted, and at most
one member per company at a table. The policy avoids repeats (``repeat_weight = -1``), so the
objective is the number of earlier meetings of the pairs seated together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from seating.models import ProblemInput
from seating.policies.synthetic import synthetic_club


@dataclass(frozen=True)
class Instance:
    """A family of benchmark dinners, one per seed."""

    name: str
    description: str
    build: Callable[[int], ProblemInput]

    def problem(self, seed: int) -> ProblemInput:
        return self.build(seed)


def dinner_80(seed: int) -> ProblemInput:
    """80 of 160 members, 30 dinners of history, 9 tables (10/8 seats), 4 hosts."""
    return synthetic_club(
        num_members=160, num_history=30, next_attendees=80, num_hosts=4, seed=seed
    )


def dinner_24(seed: int) -> ProblemInput:
    """24 of 48 members, 12 dinners of history, 3 tables of 8, 2 hosts."""
    return synthetic_club(
        num_members=48,
        num_history=12,
        next_attendees=24,
        table_sizes=(8,),
        num_hosts=2,
        seed=seed,
    )


def dinner_40(seed: int) -> ProblemInput:
    """40 of 80 members, 20 dinners of history, 5 tables of 8, 3 hosts."""
    return synthetic_club(
        num_members=80,
        num_history=20,
        next_attendees=40,
        table_sizes=(8,),
        num_hosts=3,
        seed=seed,
    )


def dinner_80_eights(seed: int) -> ProblemInput:
    """80 of 160 members, 30 dinners of history, 10 tables of 8, 6 hosts (issue 15's dinner)."""
    return synthetic_club(
        num_members=160,
        num_history=30,
        next_attendees=80,
        table_sizes=(8,),
        num_hosts=6,
        seed=seed,
    )


def dinner_1000(seed: int) -> ProblemInput:
    """1,000 of 1,000 members, 100 dinners of history, 100 tables of 10, 10 hosts."""
    return synthetic_club(
        num_members=1000,
        num_history=100,
        next_attendees=1000,
        table_sizes=(10,),
        num_hosts=10,
        seed=seed,
    )


INSTANCES: dict[str, Instance] = {
    "dinner80": Instance("dinner80", dinner_80.__doc__ or "", dinner_80),
    "dinner24": Instance("dinner24", dinner_24.__doc__ or "", dinner_24),
    "dinner40": Instance("dinner40", dinner_40.__doc__ or "", dinner_40),
    "dinner80x8": Instance("dinner80x8", dinner_80_eights.__doc__ or "", dinner_80_eights),
    "dinner1000": Instance("dinner1000", dinner_1000.__doc__ or "", dinner_1000),
}
