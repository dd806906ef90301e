"""The FastAPI application: routes, problem details, and the background projection worker."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from adapters.api_tokens import TokenStore
from adapters.idempotency import IdempotencyStore
from followup import __version__
from followup.api.auth import READ_AUTH_RESPONSES, check_reader
from followup.api.body_limits import BodyLimits
from followup.api.problems import install_problem_handlers
from followup.api.routes import bodies, decisions, follow_up, health, meetings, outcomes
from followup.api.write_threads import WriteThreads, write_threads_for
from followup.bootstrap import Container
from followup.observability.metrics import Metrics
from followup.observability.middleware import RequestObservability
from followup.open_outcomes import keep_open_outcomes
from followup.projection_worker import ProjectionWorker
from followup.queries import OutcomeQueries
from followup.scheduler import start_scheduler
from followup.web.app import install_pages

DESCRIPTION = """
Follow-up of the outcomes a state-led forum adopts: every fact is an event; status is computed.

Every list and page takes `as_of=YYYY-MM-DD` to show the portfolio as it stood that day.
Errors are RFC 9457 problem details (`application/problem+json`) naming each bad field.
"""


#: the API's routes behind a reader's check (``check_reader``); their writes check a writer's
API_ROUTERS = tuple(m.router for m in (outcomes, meetings, follow_up, decisions, bodies))

_start_up_frozen = False


def freeze_what_start_up_built() -> None:
    """Once per process: what start-up built (modules, templates, the read state) lives as long
    as the process, so move it out of the garbage collector's sight (``gc.freeze``); full
    collections walked it all, pauses of 85-120 ms that landed in the pages' p95. Objects
    freed by their reference counts are unaffected."""
    global _start_up_frozen
    if not _start_up_frozen:
        _start_up_frozen = True
        gc.freeze()


def create_app(container: Container, background: bool = True) -> FastAPI:
    """The API over ``container``; ``background`` runs the projection worker in-process."""
    worker = ProjectionWorker(container) if background else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if container.projects_inline:
            container.settle()
        keep_open_outcomes(container)  # before the freeze: they live as long as the process
        freeze_what_start_up_built()
        scheduler = None
        if worker is not None:
            worker.start()
            scheduler = start_scheduler(container)
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            if worker is not None:
                worker.stop()

    app = FastAPI(
        title="followup",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.container = container
    app.state.queries = OutcomeQueries(container)
    app.state.tokens = TokenStore(container.engine)
    app.state.idempotency = IdempotencyStore(container.engine)
    app.state.write_threads = WriteThreads(
        write_threads_for(
            container.settings.write_threads, container.engine.dialect.name == "postgresql"
        )
    )
    metrics = Metrics(container)
    app.state.metrics_registry = metrics.registry
    install_problem_handlers(app)
    app.include_router(health.router)
    for router in API_ROUTERS:
        app.include_router(
            router, dependencies=[Depends(check_reader)], responses=READ_AUTH_RESPONSES
        )
    install_pages(app, container)
    app.add_middleware(BodyLimits)
    app.add_middleware(RequestObservability, metrics=metrics)
    return app
