"""The organiser's workflow on the club database, for every face (command line, web app).

Plain functions and data: they read and write the :class:`~seating.club.store.ClubStore`
they are given, return what happened (with notes for the organiser) and raise
:class:`~seating.errors.InputError` (:class:`FieldError` when one field of the request is
wrong) or :class:`~seating.club.store.StoreError`, always with one line naming the id or field.
They print nothing and know no command line.

- planning: :func:`plan_dinner` (:func:`prepare_plan` -> :meth:`PlanJob.search` ->
  :meth:`PlanJob.save`), :func:`view_draft`; guests for one dinner (``guests=["Name:inviter"]``,
  :mod:`seating.club.workflow.guests`);
- a season: :func:`plan_club_season` (:func:`prepare_season` -> :class:`SeasonJob`);
- changing a draft: :func:`check_move` (the rules a move would break), :func:`pinned`,
  :func:`swapped`, :func:`repin_draft`, :func:`unpin`, :func:`reseat_draft`
  (:func:`prepare_repin`, :func:`prepare_reseat` -> :class:`AdjustJob`, or for walk-ins and
  table changes of a draft with several courses :class:`EveningJob`); of one course of such a
  draft: :func:`course_of`, :func:`course_problem`;
- print-outs: :func:`printable` (and :func:`draft_warnings`, :func:`broken_rules`); after
  the dinner: :func:`record_dinner`;
- changes that overwrite: :func:`history_overwrites` (ask first), :func:`undo_change` (or
  :func:`undo`, which says when there is nothing to undo);
- the club's settings: :func:`change_settings` (:func:`table_language`,
  :func:`introduction` read what the organiser typed);
- a member's host flag, or their leaving: :func:`change_member`;
- members as the organiser names them (id or name, "did you mean"): :func:`directory`,
  :func:`member_named`, :func:`members_named`;
- building blocks: :func:`club_problem` (earlier drafts count as history), :class:`TableSizes`,
  :func:`evaluate_draft`.

The search step of each job reads and writes no database, so a face can run it elsewhere (a
progress bar, a worker thread) between the checks and the save.
"""

from seating.club.workflow.adjusting import Adjusted as Adjusted
from seating.club.workflow.adjusting import AdjustJob as AdjustJob
from seating.club.workflow.adjusting import check_move as check_move
from seating.club.workflow.adjusting import pinned as pinned
from seating.club.workflow.adjusting import prepare_repin as prepare_repin
from seating.club.workflow.adjusting import prepare_reseat as prepare_reseat
from seating.club.workflow.adjusting import repin_draft as repin_draft
from seating.club.workflow.adjusting import reseat_draft as reseat_draft
from seating.club.workflow.adjusting import swapped as swapped
from seating.club.workflow.adjusting import unpin as unpin
from seating.club.workflow.changes import Overwrite as Overwrite
from seating.club.workflow.changes import history_overwrites as history_overwrites
from seating.club.workflow.changes import undo as undo
from seating.club.workflow.changes import undo_change as undo_change
from seating.club.workflow.courses import course_of as course_of
from seating.club.workflow.courses import course_problem as course_problem
from seating.club.workflow.errors import FieldError as FieldError
from seating.club.workflow.evening import EveningJob as EveningJob
from seating.club.workflow.late import LateChanges as LateChanges
from seating.club.workflow.late import check_late_changes as check_late_changes
from seating.club.workflow.people import change_member as change_member
from seating.club.workflow.people import directory as directory
from seating.club.workflow.people import member_named as member_named
from seating.club.workflow.people import members_named as members_named
from seating.club.workflow.planning import DraftView as DraftView
from seating.club.workflow.planning import PlanJob as PlanJob
from seating.club.workflow.planning import Planned as Planned
from seating.club.workflow.planning import check_plan_date as check_plan_date
from seating.club.workflow.planning import plan_dinner as plan_dinner
from seating.club.workflow.planning import prepare_plan as prepare_plan
from seating.club.workflow.planning import view_draft as view_draft
from seating.club.workflow.printing import broken_rules as broken_rules
from seating.club.workflow.printing import draft_warnings as draft_warnings
from seating.club.workflow.printing import printable as printable
from seating.club.workflow.problems import DinnerSpec as DinnerSpec
from seating.club.workflow.problems import TableSizes as TableSizes
from seating.club.workflow.problems import club_problem as club_problem
from seating.club.workflow.problems import dinner_problem as dinner_problem
from seating.club.workflow.problems import draft_from as draft_from
from seating.club.workflow.problems import draft_problem as draft_problem
from seating.club.workflow.problems import evaluate_draft as evaluate_draft
from seating.club.workflow.problems import later_draft_notes as later_draft_notes
from seating.club.workflow.problems import with_hosts as with_hosts
from seating.club.workflow.recording import Recorded as Recorded
from seating.club.workflow.recording import record_dinner as record_dinner
from seating.club.workflow.season import SeasonJob as SeasonJob
from seating.club.workflow.season import SeasonPlanned as SeasonPlanned
from seating.club.workflow.season import check_season_dates as check_season_dates
from seating.club.workflow.season import per_dinner_metrics as per_dinner_metrics
from seating.club.workflow.season import plan_club_season as plan_club_season
from seating.club.workflow.season import prepare_season as prepare_season
from seating.club.workflow.season import season_tables as season_tables
from seating.club.workflow.settings import change_settings as change_settings
from seating.club.workflow.settings import introduction as introduction
from seating.club.workflow.settings import optional_number as optional_number
from seating.club.workflow.settings import parse_settings as parse_settings
from seating.club.workflow.settings import table_language as table_language
from seating.club.workflow.summary import plain_summary as plain_summary
