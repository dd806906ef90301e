"""Dependencies of the routes, as ``Annotated`` aliases.

They only look up what start-up made: async, so FastAPI calls them in the event loop (a sync
dependency runs in a worker thread, a hop of ~0.1 ms of CPU each, on every request)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from followup.api.types import IsoDate
from followup.bootstrap import Container
from followup.queries import OutcomeQueries


async def get_container(request: Request) -> Container:
    container = request.app.state.container
    assert isinstance(container, Container)
    return container


async def get_queries(request: Request) -> OutcomeQueries:
    queries = request.app.state.queries
    assert isinstance(queries, OutcomeQueries)
    return queries


ContainerDep = Annotated[Container, Depends(get_container)]
QueriesDep = Annotated[OutcomeQueries, Depends(get_queries)]
AsOf = Annotated[
    IsoDate | None,
    Query(
        description="show the portfolio as it stood on this day (YYYY-MM-DD); default today",
        examples=["2008-10-30"],
    ),
]
