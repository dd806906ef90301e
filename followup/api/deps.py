"""Dependencies of the routes, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from followup.api.types import IsoDate
from followup.bootstrap import Container
from followup.queries import OutcomeQueries


def get_container(request: Request) -> Container:
    container = request.app.state.container
    assert isinstance(container, Container)
    return container


def get_queries(request: Request) -> OutcomeQueries:
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
