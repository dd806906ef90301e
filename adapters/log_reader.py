"""A stretch of the event log, read and decoded for the projections in one pass.

eventsourcing reads the log as ``Notification`` objects (a frozen dataclass per row, built from
a dict-like row, its stream id made a new ``UUID`` each time) before its mapper decodes them:
12 us an event where fetching the row and parsing its JSON take 8. Here rows come back as
tuples, each stream's id is made once, and each state is parsed straight to the event's fields
with the store's own transcodings and the event classes' own upcasters: the events are the ones
the mapper gives (``tests/integration/test_log_reader.py`` compares them field by field).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.persistence import JSONTranscoder, Mapper, Transcoding, UUIDAsHex
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import resolve_topic

from adapters.read_models.projection import LogTable, Seeds

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


def decoders(names: dict[str, Transcoding]) -> dict[str, Callable[[Any], Any]]:
    """Each transcoding's ``decode``; the library's UUIDs made by msgspec's C code instead
    (0.24 against 0.72 us: a progress report carries one, a million in a full-size log)."""
    found: dict[str, Callable[[Any], Any]] = {name: t.decode for name, t in names.items()}
    if type(names.get("uuid_hex")) is UUIDAsHex:
        found["uuid_hex"] = partial(msgspec.convert, type=UUID)
    return found


def parser(names: dict[str, Transcoding]) -> Callable[[bytes | str], dict[str, Any]]:
    """A JSON parser that decodes each ``{"_type_": …, "_data_": …}`` object by its
    transcoding, innermost first, as the store's transcoder does.

    msgspec parses the state to plain values, then only objects and lists are walked, in
    place: ``json``'s ``object_hook`` called Python for every object of every state (a third
    of a rebuild's decoding, full size), and rebuilding each list and object cost as much."""
    decode = msgspec.json.Decoder().decode
    revive = decoders(names)

    def plain(value: Any) -> Any:
        if type(value) is dict:
            if len(value) == 2 and "_type_" in value and "_data_" in value:
                data = value["_data_"]
                if type(data) is dict or type(data) is list:
                    data = plain(data)
                return revive[value["_type_"]](data)
            for key, item in value.items():
                if type(item) is dict or type(item) is list:
                    value[key] = plain(item)
            return value
        for index, item in enumerate(value):  # a list
            if type(item) is dict or type(item) is list:
                value[index] = plain(item)
        return value

    def parse(state: bytes | str) -> dict[str, Any]:
        fields: dict[str, Any] = decode(state)
        for key, value in fields.items():
            if type(value) is dict or type(value) is list:
                fields[key] = plain(value)
        return fields

    return parse


class LogReader:
    """Reads the log after a position, optionally only some topics, as ``(position, event)``."""

    def __init__(self, recorder: Any, mapper: Mapper[UUID]) -> None:
        if mapper.cipher is not None or mapper.compressor is not None:
            raise ValueError("the log reader reads plain JSON states only")
        if not isinstance(mapper.transcoder, JSONTranscoder):
            raise TypeError("the log reader needs the store's JSONTranscoder")
        self.recorder = recorder
        self.kinds: dict[str, EventKind] = {}
        self.ids: dict[str, UUID] = {}
        self.parse = parser(mapper.transcoder.names)
        self.postgres = not isinstance(recorder.datastore, SQLiteDatastore)

    @property
    def table(self) -> LogTable:
        """Where the store keeps the log (the database reads the states' JSON there: only
        readers of plain JSON states are made)."""
        schema = None if not self.postgres else self.recorder.datastore.schema
        return LogTable(schema, self.recorder.events_table_name)

    def read(
        self, after: int, limit: int, topics: Sequence[str] = (), skip: Seeds | None = None
    ) -> list[tuple[int, Any]]:
        """With ``skip``, the events a projection's seeded state holds already come back as
        ``(position, None)``: read (the batch keeps its length and positions), not decoded."""
        rows = (
            self._postgres_rows(after, limit, topics)
            if self.postgres
            else self._sqlite_rows(after, limit, topics)
        )
        if skip is None or not skip.versions:
            return [(row[0], self.decode(row)) for row in rows]
        held, skipped = skip.versions, skip.topics
        return [
            (row[0], None)
            if row[3] in skipped and held.get(row[1], 0) >= row[2]
            else (row[0], self.decode(row))
            for row in rows
        ]

    def decode(self, row: Row) -> Any:
        """One stored event as the mapper would give it (``to_domain_event``)."""
        _, originator_id, version, topic, state = row
        kind = self.kinds.get(topic)
        if kind is None:
            kind = self.kinds[topic] = EventKind(topic)
        fields = self.parse(state)
        if type(originator_id) is not UUID:  # SQLite's text: one object per stream
            known = self.ids.get(originator_id)
            if known is None:
                if len(self.ids) > 100_000:
                    self.ids.clear()
                known = self.ids[originator_id] = UUID(originator_id)
            originator_id = known
        fields["originator_id"] = originator_id
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
