"""Season planning: several dinners at once (the generalised Social Golfer Problem)."""

from seating.season.golf import golf_problem
from seating.season.planner import SeasonSettings, plan_season

__all__ = ["SeasonSettings", "golf_problem", "plan_season"]
