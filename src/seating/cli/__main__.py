"""``python -m seating.cli``: the same as the ``seating`` command."""

from seating.cli.app import main

main()
