"""Alembic environment: the read-model metadata, on the database followup is configured for."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from adapters.event_store import sqlalchemy_url
from adapters.read_models import registry  # noqa: F401  (imports every read-model table)
from adapters.read_models.metadata import include_object, metadata
from followup.settings import Settings


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or sqlalchemy_url(
        Settings().effective_database_url
    )
    engine = create_engine(url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
