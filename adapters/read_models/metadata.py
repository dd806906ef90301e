"""The read models' SQLAlchemy metadata and the tracking table every projection writes to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Connection, MetaData, String, Table, select

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    }
)

projection_tracking = Table(
    "projection_tracking",
    metadata,
    Column("projection", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

EVENT_STORE_TABLES = {
    "stored_events",
    "snapshots",
    "stored_snapshots",
    "tracking",
    "notification_tracking",
    "followup_events",
    "followup_snapshots",
    "followup_tracking",
}


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic leaves the event store's own tables alone (autogenerate would drop them)."""
    return not (type_ == "table" and name in EVENT_STORE_TABLES)


# built once: building a statement per call cost more than running it (SQLAlchemy's cache key)
STATE = select(projection_tracking).order_by(projection_tracking.c.projection)


def read_model_state(connection: Connection) -> tuple[tuple[str, int], ...]:
    """Where every read model stands: an answer read from them holds while this does."""
    rows = connection.execute(STATE)
    return tuple((row.projection, int(row.position)) for row in rows)
