"""The statements a write runs in the read models go to the driver itself, psycopg or sqlite3
(``adapters/read_models/on_the_driver.py``): on both databases they must run in the caller's
transaction, process their parameters as SQLAlchemy does, and fail as SQLAlchemy fails."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import JSON, bindparam, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from adapters.api_tokens import TokenStore
from adapters.read_models.metadata import projection_tracking
from adapters.read_models.on_the_driver import DriverStatement
from followup.bootstrap import Container

INSERT = DriverStatement(
    text("INSERT INTO projection_tracking (projection, position) VALUES (:name, :position)")
)


def positions(container: Container) -> dict[str, int]:
    with container.engine.connect() as connection:
        rows = connection.execute(select(projection_tracking)).all()
    return {row.projection: row.position for row in rows if row.projection.startswith("test-")}


def test_a_statement_runs_once_for_each_row_in_the_callers_transaction(
    container: Container,
) -> None:
    rows = [{"name": "test-a", "position": 1}, {"name": "test-b", "position": 2}]
    with pytest.raises(RuntimeError), container.engine.begin() as connection:
        assert INSERT.execute(connection, rows) == 2
        raise RuntimeError("the caller gives up: nothing it did stays")
    assert positions(container) == {}
    with container.engine.begin() as connection:
        assert INSERT.execute(connection, rows) == 2
        assert INSERT.execute(connection, {"name": "test-c", "position": 3}) == 1
    assert positions(container) == {"test-a": 1, "test-b": 2, "test-c": 3}


def test_parameters_are_bound_with_their_types(container: Container) -> None:
    """A JSON parameter is stored as JSON, read back as the list it was."""
    store = TokenStore(container.engine)
    info, bearer = store.create("lead", "wg_lead", ["wg-1"], container.clock.now())
    regroup = DriverStatement(
        text("UPDATE api_tokens SET working_groups = :groups WHERE id = :id").bindparams(
            bindparam("groups", type_=JSON)
        )
    )
    with container.engine.begin() as connection:
        assert regroup.execute(connection, {"groups": ["wg-2", "wg-3"], "id": info.id}) == 1
    found = store.authenticate(bearer)
    assert found is not None and found.working_groups == ("wg-2", "wg-3")


def test_a_refused_statement_fails_as_sqlalchemy_fails_and_undoes_the_transaction(
    container: Container,
) -> None:
    """A duplicate key is SQLAlchemy's ``IntegrityError`` on both databases (the projection
    runner takes it for another runner's race), and nothing of the batch stays."""
    with pytest.raises(IntegrityError), container.engine.begin() as connection:
        INSERT.execute(connection, {"name": "test-a", "position": 1})
        INSERT.execute(connection, {"name": "test-a", "position": 2})
    assert positions(container) == {}


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_connection_the_server_dropped_is_invalidated_and_the_next_batch_connects_afresh(
    container: Container,
) -> None:
    with container.engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert isinstance(driver, psycopg.Connection)
        url = container.engine.url.render_as_string(hide_password=False).replace("+psycopg", "")
        with psycopg.connect(url, autocommit=True) as outside:
            outside.execute("SELECT pg_terminate_backend(%s)", (driver.info.backend_pid,))
        with pytest.raises(DBAPIError) as failed:
            INSERT.execute(connection, {"name": "test-a", "position": 1})
        assert failed.value.connection_invalidated and connection.invalidated
    with container.engine.begin() as connection:
        assert INSERT.execute(connection, {"name": "test-b", "position": 2}) == 1
    assert positions(container) == {"test-b": 2}
