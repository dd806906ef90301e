"""Dependencies of the routes, as ``Annotated`` aliases."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import BeforeValidator

from followup.bootstrap import Container
from followup.queries import OutcomeQueries

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


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
