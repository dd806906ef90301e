"""Writing a validated export into an empty store, at the events' own log positions and with
the workflow policy's tracked position, in one transaction (SQLite or PostgreSQL)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, Tracking
from eventsourcing.postgres import PostgresProcessRecorder
from eventsourcing.sqlite import SQLiteProcessRecorder
from psycopg.sql import SQL, Identifier

from adapters.event_transfer import BATCH, ExportFile, TransferError, notifications


def already_holds(recorder: Any, file: ExportFile) -> bool:
    """Whether the store's log begins with exactly the file's events (a repeated import)."""
    stored = notifications(recorder)
    for event in file.events:
        found = next(stored, None)
        if found is None or (found.id, str(found.originator_id), found.originator_version) != (
            event.id,
            str(event.originator_id),
            event.originator_version,
        ):
            return False
        if bytes(found.state) != event.state or found.topic != event.topic:
            return False
    return True


def write_events(recorder: Any, application: str, file: ExportFile) -> int:
    """Insert the file's events at their own positions into an empty store, in one transaction,
    with the workflow policy's tracked position. Raises ``TransferError`` if the store is not
    empty (checked again inside the transaction)."""
    tracking = (
        Tracking(application, file.header.workflow_position)
        if file.header.workflow_position
        else None
    )
    if isinstance(recorder, SQLiteProcessRecorder):
        _write_sqlite(recorder, file.events, tracking)
    elif isinstance(recorder, PostgresProcessRecorder):
        _write_postgres(recorder, file.events, tracking)
    else:
        raise TransferError(f"cannot import into a {type(recorder).__name__}")
    return len(file.events)


def _not_empty(count: int) -> TransferError:
    return TransferError(f"the event store already holds {count} event(s): nothing was written")


def _write_sqlite(
    recorder: SQLiteProcessRecorder, events: list[Notification], tracking: Tracking | None
) -> None:
    table = recorder.events_table_name
    insert = (
        f"INSERT INTO {table} (rowid, originator_id, originator_version, topic, state) "
        "VALUES (?, ?, ?, ?, ?)"
    )
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        count = cursor.fetchone()[0]
        if count:
            raise _not_empty(count)
        for start in range(0, len(events), BATCH):
            rows = [
                (e.id, UUID(str(e.originator_id)).hex, e.originator_version, e.topic, e.state)
                for e in events[start : start + BATCH]
            ]
            cursor.executemany(insert, rows)
        if tracking is not None:
            recorder._insert_tracking(cursor, tracking)


def _write_postgres(
    recorder: PostgresProcessRecorder, events: list[Notification], tracking: Tracking | None
) -> None:
    table = Identifier(recorder.datastore.schema, recorder.events_table_name)
    as_uuid = recorder.datastore.originator_id_type == "uuid"
    insert = SQL(
        "INSERT INTO {} (notification_id, originator_id, originator_version, topic, state) "
        "VALUES (%s, %s, %s, %s, %s)"
    ).format(table)
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
        cursor.execute(SQL("SELECT COUNT(*) AS n FROM {}").format(table))
        row = cursor.fetchone()
        count = int(row["n"]) if row else 0
        if count:
            raise _not_empty(count)
        for start in range(0, len(events), BATCH):
            rows = [
                (
                    e.id,
                    UUID(str(e.originator_id)) if as_uuid else str(e.originator_id),
                    e.originator_version,
                    e.topic,
                    e.state,
                )
                for e in events[start : start + BATCH]
            ]
            cursor.executemany(insert, rows)
        if events:  # new events continue after the moved ones
            qualified = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
            cursor.execute(
                SQL("SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)"),
                (qualified, events[-1].id),
            )
        if tracking is not None:
            recorder._insert_tracking(cursor, tracking)
