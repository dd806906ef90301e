"""The FastAPI application: routes, problem details, and the background projection worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from adapters.api_tokens import TokenStore
from adapters.idempotency import IdempotencyStore
from followup import __version__
from followup.api.body_limits import BodyLimits
from followup.api.problems import install_problem_handlers
from followup.api.routes import bodies, decisions, follow_up, health, meetings, outcomes
from followup.bootstrap import Container
from followup.projection_worker import ProjectionWorker
from followup.queries import OutcomeQueries
from followup.scheduler import start_scheduler
from followup.web.app import install_pages

DESCRIPTION = """
Follow-up of the outcomes a state-led forum adopts: every fact is an event; status is computed.

Every list and page takes `as_of=YYYY-MM-DD` to show the portfolio as it stood that day.
Errors are RFC 9457 problem details (`application/problem+json`) naming each bad field.
"""


def create_app(container: Container, background: bool = True) -> FastAPI:
    """The API over ``container``; ``background`` runs the projection worker in-process."""
    worker = ProjectionWorker(container)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        container.settle()
        scheduler = None
        if background:
            worker.start()
            scheduler = start_scheduler(container)
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            if background:
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
    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(outcomes.router)
    app.include_router(meetings.router)
    app.include_router(follow_up.router)
    app.include_router(decisions.router)
    app.include_router(bodies.router)
    install_pages(app, container)
    app.add_middleware(BodyLimits)
    return app
