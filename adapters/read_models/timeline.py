"""Read model "what happened, in the order it was recorded": every event with both dates.

Its rows are copied from the event store's own table by the database (``timeline_copy.py``),
one ``INSERT … SELECT`` per batch: nothing of the log is decoded in Python for it. A rebuild
writes every event of the log here, and decoding each one, making its fields plain, serialising
them again and inserting them was three quarters of a rebuild's time; a progress report, the
write path's commonest event, now reaches no projection written in Python at all.
"""

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

from adapters.read_models.metadata import metadata
from adapters.read_models.projection import EventSource, Projection
from adapters.read_models.timeline_copy import copy_statement

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
    #: the event's own fields as the event store holds them (values in its transcoded form,
    #: at the class version it was stored with): ``event_data.stored_fields`` reads them
    Column("data", JSON, nullable=False),
)


class TimelineProjection(Projection):
    """Every event of the log, a row each, copied by the database from the log's table."""

    name: ClassVar[str] = "timeline"
    tables: ClassVar[tuple[Table, ...]] = (timeline,)
    #: a row per event: at full size each 20,000-row batch dirtied a leaf page of the
    #: ``aggregate_id`` index per outcome it touched, and wrote them all to the WAL
    rebuilds_without_indexes: ClassVar[bool] = True
    copies_from_log: ClassVar[bool] = True
    event_classes: ClassVar[tuple[type, ...]] = ()  # every event of the log (by copy)

    def apply(self, connection: Connection, event: Any, position: int) -> None:
        raise TypeError("the timeline copies its rows from the log table (copy_from_log)")

    def copy_from_log(
        self, connection: Connection, source: EventSource, after: int, up_to: int
    ) -> int:
        statement = copy_statement(connection.dialect.name, source.log_table())
        return statement.execute(connection, {"after": after, "up_to": up_to})
