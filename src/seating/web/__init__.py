"""The organiser's web app and the HTTP JSON API: ``seating serve``.

A face like the command line, on the same club database and the same workflow
(:mod:`seating.club.workflow`): members and imports (:mod:`~seating.web.members`), the next
dinner and its search in a worker thread (:mod:`~seating.web.dinner`, :mod:`~seating.web.jobs`),
the plan as table cards with moves, re-seating and print-outs (:mod:`~seating.web.draft`),
record and history with plots (:mod:`~seating.web.history`), and the JSON API for club
software (:mod:`~seating.web.api`). :mod:`~seating.web.security` holds the access token, CSRF
and the body size limit. ``docs/web.md`` describes it.
"""

from seating.web.app import create_app as create_app

__all__ = ["create_app"]
