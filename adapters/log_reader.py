"""A stretch of the event log, read and decoded for the projections in one pass.

eventsourcing reads the log as ``Notification`` objects (a frozen dataclass per row, built from
a dict-like row) and its mapper then decodes each through a JSON object hook called for every
object; for a rebuild that was 25 us an event where fetching the row and parsing its JSON take
8 (``bench/rebuild_parts.py``). Here rows come back as tuples and each state is parsed, then
its transcoded values revived in one walk, with the store's own transcodings and the event
classes' own upcasters: the events are the ones the mapper gives
(``tests/integration/test_log_reader.py`` compares them field by field).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder, Mapper, Transcoding
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import resolve_topic

from adapters.read_models.projection import LogTable

Row = tuple[int, Any, int, str, bytes]


class EventKind:
    """What decoding needs of one topic: its class, its version, the upcasters to it."""

    __slots__ = ("cls", "upcasters", "version")

    def __init__(self, topic: str) -> None:
        self.cls: type = resolve_topic(topic)
        self.version: int = getattr(self.cls, "class_version", 1)
        self.upcasters: dict[int, list[Callable[[dict[str, Any]], None]]] = {
            start: [getattr(self.cls, f"upcast_v{v}_v{v + 1}") for v in range(start, self.version)]
            for start in range(1, self.version)
        }


def revive(value: Any, names: dict[str, Transcoding]) -> Any:
    """``value`` (parsed JSON) with each ``{"_type_": …, "_data_": …}`` object decoded by its
    transcoding, innermost first, as the transcoder's object hook does."""
    if type(value) is dict:
        for key, item in value.items():
            if type(item) is dict or type(item) is list:
                value[key] = revive(item, names)
        if len(value) == 2 and "_type_" in value and "_data_" in value:
            return names[value["_type_"]].decode(value["_data_"])
        return value
    if type(value) is list:
        for index, item in enumerate(value):
            if type(item) is dict or type(item) is list:
                value[index] = revive(item, names)
    return value


class LogReader:
    """Reads the log after a position, optionally only some topics, as ``(position, event)``."""

    def __init__(self, recorder: Any, mapper: Mapper[UUID]) -> None:
        if mapper.cipher is not None or mapper.compressor is not None:
            raise ValueError("the log reader reads plain JSON states only")
        if not isinstance(mapper.transcoder, JSONTranscoder):
            raise TypeError("the log reader needs the store's JSONTranscoder")
        self.recorder = recorder
        self.names = mapper.transcoder.names
        self.kinds: dict[str, EventKind] = {}
        self.postgres = not isinstance(recorder.datastore, SQLiteDatastore)

    @property
    def table(self) -> LogTable:
        """Where the store keeps the log (the database reads the states' JSON there: only
        readers of plain JSON states are made)."""
        schema = None if not self.postgres else self.recorder.datastore.schema
        return LogTable(schema, self.recorder.events_table_name)

    def read(self, after: int, limit: int, topics: Sequence[str] = ()) -> list[tuple[int, Any]]:
        rows = (
            self._postgres_rows(after, limit, topics)
            if self.postgres
            else self._sqlite_rows(after, limit, topics)
        )
        return [(row[0], self.decode(row)) for row in rows]

    def decode(self, row: Row) -> Any:
        """One stored event as the mapper would give it (``to_domain_event``)."""
        _, originator_id, version, topic, state = row
        kind = self.kinds.get(topic)
        if kind is None:
            kind = self.kinds[topic] = EventKind(topic)
        fields = revive(json.loads(state), self.names)
        fields["originator_id"] = (
            originator_id if type(originator_id) is UUID else UUID(originator_id)
        )
        fields["originator_version"] = version
        stored_version = fields.pop("class_version", 1)
        if stored_version < kind.version:
            for upcast in kind.upcasters[stored_version]:
                upcast(fields)
        event: Any = object.__new__(kind.cls)
        object.__setattr__(event, "__dict__", fields)
        return event

    def _sqlite_rows(self, after: int, limit: int, topics: Sequence[str]) -> list[Any]:
        table = self.recorder.events_table_name
        where = f" AND topic IN ({','.join('?' * len(topics))})" if topics else ""
        statement = (
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
            f"WHERE rowid > ?{where} ORDER BY rowid LIMIT ?"
        )
        with self.recorder.datastore.transaction(commit=False) as cursor:
            cursor.row_factory = None  # tuples, this cursor only
            cursor.execute(statement, [after, *topics, limit])
            return list(cursor.fetchall())

    def _postgres_rows(self, after: int, limit: int, topics: Sequence[str]) -> list[Any]:
        from psycopg.rows import tuple_row
        from psycopg.sql import SQL, Identifier

        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table} WHERE notification_id > %s"
        ).format(
            schema=Identifier(self.recorder.datastore.schema),
            table=Identifier(self.recorder.events_table_name),
        )
        params: list[Any] = [after]
        if topics:
            statement += SQL(" AND topic = ANY(%s)")
            params.append(list(topics))
        statement += SQL(" ORDER BY notification_id LIMIT %s")
        params.append(limit)
        with (
            self.recorder.datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            cursor.execute(statement, params, prepare=True)
            return list(cursor.fetchall())
