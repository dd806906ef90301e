"""``python -m followup`` is the ``followup`` command."""

from followup.cli import run

run()
