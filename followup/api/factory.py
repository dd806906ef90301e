"""The application uvicorn builds in each ``serve`` process (``--workers N``): everything comes
from the environment and the settings file, since a worker process has no command line."""

from __future__ import annotations

from starlette.types import ASGIApp

from followup.api.hosting import create_hosting
from followup.fleet_cli import logs_for
from followup.forums import Role, open_forums
from followup.settings import Settings


def serve_app() -> ASGIApp:
    """Each process checks the schema (the parent migrated it, if that was asked for)."""
    settings = Settings()
    logs_for(settings)
    containers = open_forums(settings, Role.SERVE, migrate=False)
    return create_hosting(
        containers, background=settings.runs_embedded_worker, default_forum=settings.default_forum
    )
