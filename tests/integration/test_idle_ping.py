"""A pooled PostgreSQL connection idle for a while is pinged and, if its server process is
gone, replaced before use; one handed back a moment ago is used as it is (no round trip)."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from adapters.event_store import sqlalchemy_url
from adapters.idle_ping import ping_when_idle
from tests.conftest import PG_ADMIN


def backend_of(engine: object) -> int:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def terminate(pid: int) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_an_idle_connection_whose_server_went_away_is_replaced(
    database_url_postgres: str,
) -> None:
    engine = ping_when_idle(create_engine(sqlalchemy_url(database_url_postgres)), after=0.0)
    try:
        first = backend_of(engine)
        terminate(first)
        assert backend_of(engine) != first  # pinged, found dead, replaced: no error reached us
    finally:
        engine.dispose()


def test_a_connection_used_a_moment_ago_is_not_pinged(database_url_postgres: str) -> None:
    engine = ping_when_idle(create_engine(sqlalchemy_url(database_url_postgres)), after=3600)
    try:
        first = backend_of(engine)
        terminate(first)
        with pytest.raises(OperationalError):  # handed out as it was: the statement meets it
            backend_of(engine)
        assert backend_of(engine) != first  # the pool dropped it; the next use reconnects
    finally:
        engine.dispose()
