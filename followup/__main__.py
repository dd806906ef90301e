"""``python -m followup`` is the ``followup`` command."""

from followup.cli import app

app(prog_name="followup")
