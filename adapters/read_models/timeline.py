"""Read model "what happened, in the order it was recorded": every event with both dates."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
)

from adapters.read_models.bulk_insert import BulkInsert
from adapters.read_models.event_data import aggregate_type, event_data, event_type
from adapters.read_models.metadata import metadata
from adapters.read_models.projection import EventSource, Projection

timeline = Table(
    "timeline",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("aggregate_id", String(36), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("aggregate_type", String(64), nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("occurred_on", Date, nullable=False, index=True),
    Column("precision", String(8), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("source", Text, nullable=False),
    Column("data", JSON, nullable=False),
)


INSERT = BulkInsert(timeline)


class TimelineProjection(Projection):
    """Rows are gathered per event and inserted once per batch, beneath SQLAlchemy's per-row
    parameter handling (``BulkInsert``): a rebuild writes every event of the log here, and a
    statement per row, then SQLAlchemy's work per row, were most of its time."""

    name: ClassVar[str] = "timeline"
    tables: ClassVar[tuple[Table, ...]] = (timeline,)
    #: a row per event: at full size each 20,000-row batch dirtied a leaf page of the
    #: ``aggregate_id`` index per outcome it touched, and wrote them all to the WAL
    rebuilds_without_indexes: ClassVar[bool] = True
    event_classes: ClassVar[tuple[type, ...]] = ()  # no filter: every event of the log

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    def begin_batch(self, source: EventSource) -> None:
        self.rows = []

    def apply(self, connection: Connection, event: Any, position: int) -> None:
        self.rows.append(  # in the table's column order
            (
                position,
                str(event.originator_id),
                event.originator_version,
                aggregate_type(event),
                event_type(event),
                event.occurred_on,
                event.precision,
                event.timestamp,
                event.actor,
                event.source,
                event_data(event),
            )
        )

    def end_batch(self, connection: Connection, source: EventSource) -> None:
        INSERT(connection, self.rows)
        self.rows = []
