"""The PostgreSQL event store's recorder: eventsourcing's, sending a large append in pieces.

eventsourcing appends every event of a save as one statement whose one parameter is an array of
all of them, inside a psycopg pipeline. With tens of thousands of events (an import of a few
thousand outcomes: 2,500 did it here, 1,000 did not) that message is megabytes long, and
psycopg 3.3's pipeline stops: the client waits for results while the server waits for the rest
of the message (psycopg issue #685, closed for smaller cases). The same statement is sent once
per ``CHUNK`` events instead, in the same transaction after the same table lock: the append stays
one atomic write whose events get consecutive positions, and no message grows with the save.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresProcessRecorder
from psycopg import Cursor
from psycopg.rows import DictRow

CHUNK = 1_000


class ChunkedPostgresProcessRecorder(PostgresProcessRecorder):
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
        if len(ids) != len(stored_events):
            raise ProgrammingError(
                f"Couldn't get all notification IDs (got {len(ids)}, expected {len(stored_events)})"
            )
        return ids
