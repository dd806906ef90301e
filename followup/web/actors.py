"""Who recorded a fact, by name: ``token:<id>`` and ``user:<name>`` as the people they stand
for (the timeline shows the name where one is known)."""

from __future__ import annotations

from sqlalchemy import Connection, literal, select, union_all

from adapters.api_tokens import api_tokens
from adapters.users import users
from followup.bootstrap import Container


def actor_names(container: Container) -> dict[str, str]:
    """``token:<id>`` and ``user:<name>`` as the people they stand for."""
    with container.engine.connect() as connection:
        return actor_names_on(connection)


# built once: a statement built per call costs more in SQLAlchemy's cache key than it runs
_ACTORS = union_all(
    select(literal("token:").concat(api_tokens.c.id).label("actor"), api_tokens.c.name),
    select(literal("user:").concat(users.c.username).label("actor"), users.c.name),
)


def actor_names_on(connection: Connection) -> dict[str, str]:
    """``actor_names`` on a connection the caller holds anyway (one query for both kinds: on
    PostgreSQL each connection taken costs a ping and a rollback besides its queries)."""
    return {actor: name for actor, name in connection.execute(_ACTORS)}
