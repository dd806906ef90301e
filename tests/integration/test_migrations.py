"""The Alembic migrations build exactly the tables the read models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from adapters.read_models.metadata import include_object, metadata
from followup.bootstrap import Container


def test_migrations_match_the_read_model_tables(container: Container) -> None:
    with container.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": True}
        )
        assert compare_metadata(context, metadata) == []
