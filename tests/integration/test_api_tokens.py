"""Tokens are stored hashed, never appear in events, and revocation is immediate."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError

from adapters.api_tokens import TokenStore, api_tokens
from followup.bootstrap import Container


def test_only_a_hash_of_the_secret_is_stored(container: Container) -> None:
    info, bearer = TokenStore(container.engine).create(
        "SU", "secretariat", [], container.clock.now()
    )
    secret = bearer.split(".", 1)[1]
    with container.engine.connect() as connection:
        row = connection.execute(select(api_tokens)).one()
    assert secret not in str(tuple(row)) and len(row.secret_sha256) == 64
    assert info.actor == f"token:{info.id}"


def test_a_token_authenticates_until_revoked(container: Container) -> None:
    store = TokenStore(container.engine)
    info, bearer = store.create("lead", "wg_lead", ["wg-1"], container.clock.now())
    found = store.authenticate(bearer)
    assert found is not None and found.working_groups == ("wg-1",)
    assert store.authenticate(bearer[:-1] + ("A" if bearer[-1] != "A" else "B")) is None
    assert store.authenticate("fu_nope.nope") is None and store.authenticate("garbage") is None
    assert store.revoke(info.id, container.clock.now())
    assert store.authenticate(bearer) is None
    assert not store.revoke(info.id, container.clock.now())
    assert [t.revoked_at is not None for t in store.list()] == [True]


def test_tokens_survive_a_rebuild_of_the_read_models(loaded: Container) -> None:
    store = TokenStore(loaded.engine)
    _, bearer = store.create("SU", "secretariat", [], loaded.clock.now())
    loaded.runner.rebuild()
    assert store.authenticate(bearer) is not None


def test_a_token_check_outside_a_transaction_leaves_the_pooled_connections_transactional(
    container: Container,
) -> None:
    store = TokenStore(container.engine)
    _, bearer = store.create("lead", "wg_lead", ["wg-1"], container.clock.now())
    assert store.authenticate(bearer) is not None
    with container.engine.connect() as connection:  # the connection the check just returned
        assert connection.get_isolation_level() != "AUTOCOMMIT"
        connection.execute(delete(api_tokens))
        connection.rollback()
    assert store.authenticate(bearer) is not None


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_token_check_on_a_connection_the_server_dropped_fails_once_then_reconnects(
    container: Container,
) -> None:
    """On PostgreSQL the check asks psycopg itself: a connection the server dropped still
    fails as SQLAlchemy fails (a ``DBAPIError``, the connection invalidated), is not handed
    out again, and the next check connects afresh; nothing else in the pool is touched."""
    store = TokenStore(container.engine)
    _, bearer = store.create("lead", "wg_lead", ["wg-1"], container.clock.now())
    assert store.authenticate(bearer) is not None
    with container.engine.connect() as connection:  # the pooled connection the check used
        backend = connection.connection.driver_connection.info.backend_pid  # type: ignore[union-attr]
    url = container.engine.url.render_as_string(hide_password=False).replace("+psycopg", "")
    with psycopg.connect(url, autocommit=True) as outside:
        outside.execute("SELECT pg_terminate_backend(%s)", (backend,))
    with pytest.raises(DBAPIError) as failed:
        store.authenticate(bearer)
    assert failed.value.connection_invalidated
    found = store.authenticate(bearer)
    assert found is not None and found.working_groups == ("wg-1",)
    assert found.created_at == container.clock.now() and found.revoked_at is None


def test_the_check_reads_a_token_as_the_list_does(container: Container) -> None:
    """The check asks the driver itself; what it finds (working groups, dates) is what
    SQLAlchemy reads for the list, on both databases."""
    store = TokenStore(container.engine)
    _, bearer = store.create("lead", "wg_lead", ["wg-1", "wg-2"], container.clock.now())
    found = store.authenticate(bearer)
    assert found is not None and [found] == store.list()
    assert found.working_groups == ("wg-1", "wg-2") and found.revoked_at is None
