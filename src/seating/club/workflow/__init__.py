"""The organiser's workflow on the club database, for every face (command line, web app).

Plain functions and data: they read and write the :class:`~seating.club.store.ClubStore`
they are given, return what happened and raise :class:`~seating.errors.InputError`
(:class:`FieldError` when one field of the request is wrong) or
:class:`~seating.club.store.StoreError`, always with one line naming the id or field. They
print nothing and know no command line.
"""

from seating.club.workflow.errors import FieldError as FieldError
from seating.club.workflow.settings import change_settings as change_settings
from seating.club.workflow.settings import optional_number as optional_number
from seating.club.workflow.settings import parse_settings as parse_settings
