"""Opening every forum a deployment hosts, in the role the process plays."""

from __future__ import annotations

from enum import Enum

from adapters.clock import Clock
from followup.bootstrap import Container, bootstrap
from followup.settings import Settings


class Role(Enum):
    """What a process does: ``serve`` answers requests, ``worker`` projects and reminds,
    ``command`` is a one-off CLI command."""

    SERVE = "serve"
    WORKER = "worker"
    COMMAND = "command"


def open_forums(
    settings: Settings, role: Role, migrate: bool | None = None, clock: Clock | None = None
) -> list[Container]:
    """A container per hosted forum. Only a single-process SQLite deployment projects inline
    after each write; in a PostgreSQL fleet a worker holding the duty lock projects, and the
    others wait for it. ``migrate`` defaults to the ``auto_migrate`` setting."""
    containers: list[Container] = []
    try:
        for forum in settings.hosted():
            wanted = forum.migrates_at_start if migrate is None else migrate
            container = bootstrap(forum, clock, migrate=wanted)
            container.projects_inline = role is Role.COMMAND or not forum.is_postgres
            containers.append(container)
    except BaseException:
        for container in containers:
            container.close()
        raise
    return containers
