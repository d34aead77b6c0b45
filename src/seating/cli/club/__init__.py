"""``seating club``: the organiser's workflow on the club database.

Before a dinner: ``plan`` it (a draft; ``plan-season`` plans several dinners jointly and
saves a draft for each), ``show`` it, ``explain`` why people sit together, ``pin`` / ``swap``
and re-optimise, ``reseat`` after late changes, ``print`` the plan and place cards. After it:
``record`` what happened (``--undo`` takes it back); ``discard`` a draft whose dinner is
cancelled; ``undo`` takes back the last change of any kind. Around it: ``import`` /
``import-history`` / ``export`` CSV files, ``settings`` for the club's policy and rules,
``report`` who met whom, ``status``.

Exit codes: 0 success, 1 no feasible plan (with the reason), 2 bad input (one line naming the
file, row and field, or the offending id; the database is unchanged), 3 the database is busy
(another process kept it locked for longer than ``--busy-timeout``).
"""

from __future__ import annotations

from seating.cli.club._common import club_app, progress_after
from seating.cli.club.adjusting import pin, reseat_command, swap, unpin
from seating.cli.club.club_settings import settings, status
from seating.cli.club.files import export, import_history, import_members
from seating.cli.club.member import member
from seating.cli.club.planning import explain, plan, show
from seating.cli.club.recording import discard, record, undo_command
from seating.cli.club.reports import print_command, report
from seating.cli.club.season import plan_season

# Registered here, in the order of `seating club --help`: before the dinner, then after it.
club_app.command("import")(import_members)
club_app.command("import-history")(import_history)
club_app.command("export")(export)
club_app.command()(settings)
club_app.command()(member)
club_app.command()(status)
club_app.command()(plan)
club_app.command("plan-season")(plan_season)
club_app.command()(show)
club_app.command()(explain)
club_app.command()(pin)
club_app.command()(unpin)
club_app.command()(swap)
club_app.command("reseat")(reseat_command)
club_app.command()(record)
club_app.command()(discard)
club_app.command("undo")(undo_command)
club_app.command()(report)
club_app.command("print")(print_command)

__all__ = ["club_app", "progress_after"]
