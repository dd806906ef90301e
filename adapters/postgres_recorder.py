"""The PostgreSQL event store's recorder: eventsourcing's, with a save appended in one call.

eventsourcing appends a save inside a psycopg pipeline: BEGIN, the lock timeout, ``LOCK TABLE``
(so positions commit in the order they are given), ``NOTIFY``, the insert, then ``COMMIT``:
six statements, two round trips, and psycopg's pipeline bookkeeping for each, which was the
largest share of a write's CPU in the server (BENCHMARKS.md, "Eighth round"). A save without a
tracking position (every command's) is appended instead by one call of a function this recorder
creates beside the library's: the same lock, notification and insert, in the one statement's own
transaction. eventsourcing ships such a function too, but without the table lock, which the log's
readers rely on (a position they have read past is never filled in later).

A save with a tracking position (the workflow policy's answers) takes the library's path, whose
tracking row goes in the same transaction. So does a large one: with tens of thousands of events
(an import of a few thousand outcomes: 2,500 did it here, 1,000 did not) the one message is
megabytes long, and psycopg 3.3's pipeline stops: the client waits for results while the server
waits for the rest of the message (psycopg issue #685, closed for smaller cases). The same
statement is sent once per ``CHUNK`` events instead, in the same transaction after the same table
lock: the append stays one atomic write whose events get consecutive positions.

A save of one event (a progress report, most of what is written) calls a second function,
taking the event's four fields as parameters rather than an array of the composite type: psycopg
dumps a composite array in Python, and the state, sent as binary, needs no hex encoding. Both
calls are rendered to text once, not at every execution (a ``Composed`` is rendered again each
time it is executed): the two were a third of the append's CPU in the server.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import (
    InterfaceError,
    OperationalError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresProcessRecorder
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

CHUNK = 1_000


class ChunkedPostgresProcessRecorder(PostgresProcessRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schema = Identifier(self.datastore.schema)
        function = Identifier(f"followup_append_{self.datastore.originator_id_type}")
        self.append_function_statement = SQL(
            "CREATE OR REPLACE FUNCTION {schema}.{function}(events {schema}.{event}[]) "
            "RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$ BEGIN "
            "SET LOCAL lock_timeout = '{lock_timeout}s'; "
            "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
            "NOTIFY {channel}; "
            "RETURN QUERY INSERT INTO {schema}.{table} "
            "(originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version, topic, state FROM unnest(events) "
            "RETURNING notification_id; "
            "END; $BODY$"
        ).format(
            schema=schema,
            function=function,
            event=Identifier(self.stored_event_type_name),
            lock_timeout=self.datastore.lock_timeout,
            table=Identifier(self.events_table_name),
            channel=Identifier(self.channel_name),
        )
        one = Identifier(f"followup_append_one_{self.datastore.originator_id_type}")
        self.append_one_function_statement = SQL(
            "CREATE OR REPLACE FUNCTION {schema}.{function}("
            "event_id {id_type}, event_version bigint, event_topic text, event_state bytea) "
            "RETURNS bigint LANGUAGE plpgsql AS $BODY$ DECLARE position bigint; BEGIN "
            "SET LOCAL lock_timeout = '{lock_timeout}s'; "
            "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
            "NOTIFY {channel}; "
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "VALUES (event_id, event_version, event_topic, event_state) "
            "RETURNING notification_id INTO position; "
            "RETURN position; "
            "END; $BODY$"
        ).format(
            schema=schema,
            function=one,
            id_type=Identifier(self.datastore.originator_id_type),
            lock_timeout=self.datastore.lock_timeout,
            table=Identifier(self.events_table_name),
            channel=Identifier(self.channel_name),
        )
        self.sql_create_statements.append(self.append_function_statement)
        self.sql_create_statements.append(self.append_one_function_statement)
        self.append_statement = (
            SQL("SELECT * FROM {schema}.{function}((%s))")
            .format(schema=schema, function=function)
            .as_string()
        )
        self.append_one_statement = (
            SQL("SELECT {schema}.{function}(%s::{id_type}, %s::bigint, %s, %b)")
            .format(
                schema=schema, function=one, id_type=Identifier(self.datastore.originator_id_type)
            )
            .as_string()
        )

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if kwargs.get("tracking") is not None or not 0 < len(stored_events) <= CHUNK:
            pipelined: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return pipelined
        appended: Sequence[int] = self._append(stored_events)
        return appended

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _append(self, stored_events: Sequence[StoredEvent]) -> Sequence[int]:
        """One call, in autocommit: the statement is its own transaction (retried as the
        library retries its own append)."""
        if len(stored_events) == 1:
            (event,) = stored_events
            statement: str = self.append_one_statement
            params: tuple[Any, ...] = (
                event.originator_id,
                event.originator_version,
                event.topic,
                event.state,
            )
        else:
            statement = self.append_statement
            params = (
                [
                    self.construct_pg_stored_event(
                        e.originator_id, e.originator_version, e.topic, e.state
                    )
                    for e in stored_events
                ],
            )
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params, prepare=True)
            ids = [int(next(iter(row.values()))) for row in curs.fetchall()]
        return _every_id(ids, stored_events)

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any
    ) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.executemany(
            self.insert_events_statement,
            [
                (
                    [
                        self.construct_pg_stored_event(
                            e.originator_id, e.originator_version, e.topic, e.state
                        )
                        for e in stored_events[start : start + CHUNK]
                    ],
                )
                for start in range(0, len(stored_events), CHUNK)
            ],
            returning=True,
        )

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int] | None:
        ids: list[int] = []
        while True:  # the lock and the notification come first, then one result per piece
            if (curs.statusmessage or "").startswith("INSERT"):
                ids.extend(row["notification_id"] for row in curs.fetchall())
            if not curs.nextset():
                break
        return _every_id(ids, stored_events)


def _every_id(ids: list[int], stored_events: Sequence[StoredEvent]) -> list[int]:
    """The positions of an append, one for each event it was given (or it failed)."""
    if len(ids) != len(stored_events):
        raise ProgrammingError(
            f"Couldn't get all notification IDs (got {len(ids)}, expected {len(stored_events)})"
        )
    return ids
