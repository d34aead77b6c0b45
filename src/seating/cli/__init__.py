"""The ``seating`` command line (a face): the typer app and every command, on the public API."""

from seating.cli.app import app as app
from seating.cli.app import main as main
