"""``followup serve`` and ``followup worker``: the two process roles of a deployment."""

from __future__ import annotations

import logging
from typing import Annotated, NoReturn

import typer
import uvicorn
from rich.console import Console

from followup.api.hosting import create_hosting
from followup.bootstrap import Container
from followup.forums import Role, open_forums
from followup.observability.logging import configure_logging
from followup.settings import Settings
from followup.worker import Worker, run_until_signalled

console = Console()
errors = Console(stderr=True)

HostOption = Annotated[str | None, typer.Option(help="interface to listen on [127.0.0.1]")]
PortOption = Annotated[int | None, typer.Option(help="port to listen on [8000]")]
WorkersOption = Annotated[
    int | None,
    typer.Option(min=1, max=64, help="serving processes (PostgreSQL only) [FOLLOWUP_WORKERS]"),
]


def refuse(message: str) -> NoReturn:
    """A start-up refusal: one clear line, exit 2, nothing started."""
    errors.print(message, style="red", markup=False, soft_wrap=True)
    raise typer.Exit(code=2)


def logs_for(settings: Settings) -> None:
    """The process's logs as the settings ask (JSON lines by default)."""
    configure_logging(settings.log_level, json=settings.log_format == "json")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per tick is noise


def serve_containers(
    containers: list[Container], settings: Settings, host: str | None, port: int | None
) -> None:
    """Serve these forums from this one process until interrupted."""
    logs_for(settings)
    address = f"http://{host or settings.host}:{port or settings.port}"
    forums = ", ".join(c.settings.forum for c in containers)
    console.print(f"followup serving [bold]{forums}[/] at {address}")
    app = create_hosting(
        containers, background=settings.runs_embedded_worker, default_forum=settings.default_forum
    )
    try:
        uvicorn.run(app, host=host or settings.host, port=port or settings.port, log_config=None)
    finally:
        for container in containers:
            container.close()


def serve(host: HostOption = None, port: PortOption = None, workers: WorkersOption = None) -> None:
    """Serve the API and the pages. On SQLite this one process also keeps the read models
    caught up and sends reminders; on PostgreSQL `followup worker` does that (unless
    FOLLOWUP_EMBEDDED_WORKER=true), and any number of `serve` processes may run."""
    settings = Settings()
    logs_for(settings)
    processes = workers or settings.workers
    if processes > 1 and not settings.is_postgres:
        refuse(
            "SQLite is served by one process: --workers needs FOLLOWUP_DATABASE_URL to be"
            " a PostgreSQL URL"
        )
    containers = open_forums(settings, Role.SERVE)
    if processes == 1:
        serve_containers(containers, settings, host, port)
        return
    for container in containers:  # each serving process opens its own
        container.close()
    address = f"http://{host or settings.host}:{port or settings.port}"
    console.print(f"followup serving at {address} from {processes} processes")
    uvicorn.run(
        "followup.api.factory:serve_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=processes,
        log_config=None,
    )


def worker() -> None:
    """Keep every hosted forum's read models caught up and send its reminders. Run any number:
    one at a time projects a forum, another takes over within seconds if it dies."""
    settings = Settings()
    if not settings.is_postgres:
        refuse(
            "on SQLite, `followup serve` keeps the read models and sends reminders itself;"
            " `followup worker` needs FOLLOWUP_DATABASE_URL to be a PostgreSQL URL"
        )
    logs_for(settings)
    containers = open_forums(settings, Role.WORKER)
    forums = ", ".join(c.settings.forum for c in containers)
    console.print(f"followup worker for [bold]{forums}[/]: projections and reminders")
    try:
        run_until_signalled(Worker(containers))
    finally:
        for container in containers:
            container.close()
