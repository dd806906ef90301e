"""Outcome snapshots: an outcome's folded state stored every ``SNAPSHOT_EVERY`` versions, so a
command loads the newest snapshot and the few events after it instead of replaying them all
(~100 at full size, ~40 % of a progress report's time).

The record is encoded by msgspec from its dataclasses' own type hints (UUID keys, dates, enums)
and carries a digest of its shape: the JSON schema msgspec derives from those classes, with
``Outcome.snapshot_revision`` (bumped when an event's fold changes meaning without changing the
record's shape). A snapshot of another shape is never decoded: the store hands it out as absent,
the outcome is replayed from its events, and it is snapshotted again when next saved. Only the
newest snapshot of an outcome is kept (the recorders below prune the rest as they insert).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import (
    EventStore,
    InfrastructureFactory,
    Mapper,
    Transcoding,
)
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresFactory
from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteCursor, SQLiteFactory
from psycopg.sql import SQL, Identifier

from domain.outcome import Outcome
from domain.outcome_record import OutcomeRecord

#: an outcome is snapshotted when a save takes its version across a multiple of this, or when
#: loading it replayed at least this many events after its newest usable snapshot
SNAPSHOT_EVERY = 25

log = logging.getLogger(__name__)


def record_shape() -> str:
    """A digest of what a snapshot's record decodes into, and of how events fold into it."""
    schema = msgspec.json.schema(OutcomeRecord)
    text = json.dumps([schema, Outcome.snapshot_revision], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


SHAPE = record_shape()


class StaleRecord:
    """What a snapshot of another shape decodes to: a snapshot store leaves it out."""


STALE = StaleRecord()


class OutcomeRecordAsJSON(Transcoding):
    """An ``OutcomeRecord`` as msgspec's JSON of it, with the shape it was written in."""

    type = OutcomeRecord
    name = "outcome_record"

    def __init__(self) -> None:
        self._encoder = msgspec.json.Encoder()
        self._decoder = msgspec.json.Decoder(OutcomeRecord)

    def encode(self, obj: OutcomeRecord) -> dict[str, str]:
        return {"shape": SHAPE, "json": self._encoder.encode(obj).decode()}

    def decode(self, data: dict[str, str]) -> OutcomeRecord | StaleRecord:
        if data.get("shape") != SHAPE:
            return STALE
        return self._decoder.decode(data["json"])


RECORD = OutcomeRecordAsJSON()


@dataclass(frozen=True)
class OutcomeSnapshot(Snapshot):
    """An outcome's state at a version, with that version's chain hash (the next event links
    to it, so a save after loading a snapshot need not read the event back)."""

    chain: str

    @classmethod
    def of(cls, outcome: Outcome, chain: str) -> OutcomeSnapshot:
        taken = Snapshot.take(outcome)
        return cls(
            originator_id=taken.originator_id,
            originator_version=taken.originator_version,
            timestamp=taken.timestamp,
            topic=taken.topic,
            state=taken.state,
            chain=chain,
        )


class SnapshotStore(EventStore[UUID]):
    """The snapshot store, handing out only snapshots in the current shape."""

    def get(
        self,
        originator_id: UUID,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Iterator[Any]:
        for snapshot in super().get(originator_id, gt=gt, lte=lte, desc=desc, limit=limit):
            if getattr(snapshot, "state", {}).get("record") is not STALE:
                yield snapshot


class _Encoded(msgspec.Struct):
    shape: str
    json: str


class _Record(msgspec.Struct):
    data: _Encoded = msgspec.field(name="_data_")


class _Outcome(msgspec.Struct):
    record: _Record


class _Stored(msgspec.Struct):
    """What a rebuild reads of a stored snapshot's JSON: the record, still encoded."""

    state: _Outcome


def newest_records(store: EventStore[UUID]) -> list[OutcomeRecord]:
    """The record of every outcome's newest snapshot in the current shape (one query): a
    rebuild starts each outcome from it and folds only the events after it. msgspec reads only
    the record out of each state (the store's mapper decoded the whole state with ``json``
    first: a quarter of the time, full size), so only plain JSON states are read: with a
    cipher or a compressor configured, none is (every event is replayed). One that cannot be
    read is left out: its outcome replays its events."""
    if store.mapper.cipher is not None or store.mapper.compressor is not None:
        return []
    newest: dict[UUID, OutcomeRecord] = {}
    unreadable = 0
    for version, state in _snapshot_rows(store.recorder):
        try:
            encoded = msgspec.json.decode(state, type=_Stored).state.record.data
            record = RECORD.decode({"shape": encoded.shape, "json": encoded.json})
        except msgspec.DecodeError:  # a ValidationError too
            unreadable += 1
            continue
        if isinstance(record, OutcomeRecord) and record.version == version:
            kept = newest.get(record.id)
            if kept is None or kept.version < version:
                newest[record.id] = record
    if unreadable:
        log.warning(
            "%d outcome snapshots unreadable: those outcomes replay their events", unreadable
        )
    return list(newest.values())


def _snapshot_rows(recorder: Any) -> list[tuple[int, bytes]]:
    columns = "originator_version, state"
    if isinstance(recorder, PruningPostgresSnapshotRecorder):
        statement = SQL("SELECT " + columns + " FROM {schema}.{table}").format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name),
        )
        with recorder.datastore.get_connection() as conn, conn.cursor() as cursor:
            rows = cursor.execute(statement, binary=True)  # bytea as bytes, not hex to decode
            return [(row["originator_version"], row["state"]) for row in rows]
    if isinstance(recorder, PruningSQLiteSnapshotRecorder):
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT {columns} FROM {recorder.events_table_name}")
            return [tuple(row) for row in cursor.fetchall()]
    raise TypeError(f"no snapshots to read from {type(recorder).__name__}")


class PruningSQLiteSnapshotRecorder(SQLiteAggregateRecorder):
    """Keeps only the newest snapshot of each outcome: older ones go in the same transaction."""

    def _insert_events(self, c: SQLiteCursor, stored_events: Any, **kwargs: Any) -> Any:
        result = super()._insert_events(c, stored_events, **kwargs)
        c.executemany(
            f"DELETE FROM {self.events_table_name} "
            "WHERE originator_id = ? AND originator_version < ?",
            [(s.originator_id.hex, s.originator_version) for s in stored_events],
        )
        return result


class PruningPostgresSnapshotRecorder(PostgresAggregateRecorder):
    """Keeps only the newest snapshot of each outcome: older ones go in the same transaction."""

    def __init__(self, datastore: Any, events_table_name: str) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._prune_statement = SQL(
            "DELETE FROM {schema}.{table} WHERE originator_id = %s AND originator_version < %s"
        ).format(schema=Identifier(datastore.schema), table=Identifier(events_table_name))

    def insert_events(self, stored_events: Any, **kwargs: Any) -> Any:
        if not stored_events:
            return None
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_stored_events(curs, stored_events, **kwargs)
            curs.executemany(
                self._prune_statement,
                [(s.originator_id, s.originator_version) for s in stored_events],
            )
        return None


def snapshot_store(factory: InfrastructureFactory[Any], mapper: Mapper[UUID]) -> SnapshotStore:
    """The application's snapshot store, on the database its events are in."""
    recorder: SQLiteAggregateRecorder | PostgresAggregateRecorder
    if isinstance(factory, SQLiteFactory):
        recorder = PruningSQLiteSnapshotRecorder(
            datastore=factory.datastore, events_table_name="stored_snapshots"
        )
    elif isinstance(factory, PostgresFactory):
        prefix = factory.env.name.lower() or "stored"
        recorder = PruningPostgresSnapshotRecorder(
            datastore=factory.datastore, events_table_name=f"{prefix}_snapshots"
        )
    else:
        raise TypeError(f"no snapshot recorder for {type(factory).__name__}")
    if factory.env_create_table():
        recorder.create_table()
    return SnapshotStore(mapper=mapper, recorder=recorder)


class SnapshotPolicy:
    """Which saved outcomes to snapshot: those a save took across a multiple of
    ``SNAPSHOT_EVERY``, and those whose last load replayed at least that many events (no
    snapshot yet, or one of another shape). Each is taken from the saved aggregate itself,
    not replayed again as the library would."""

    #: outcomes remembered as loaded the long way, at most (a load that never saves is rare)
    LIMIT = 10_000

    def __init__(self) -> None:
        self._replayed_long: set[UUID] = set()

    def loaded(self, aggregate_id: UUID, replayed: int) -> None:
        if replayed >= SNAPSHOT_EVERY:
            if len(self._replayed_long) >= self.LIMIT:
                self._replayed_long.clear()
            self._replayed_long.add(aggregate_id)

    def due(
        self,
        events: Iterable[Any],
        aggregates: Mapping[UUID, Any],
        chain_heads: Mapping[UUID, tuple[int, str]],
    ) -> list[OutcomeSnapshot]:
        crossed = {e.originator_id for e in events if e.originator_version % SNAPSHOT_EVERY == 0}
        taken = []
        for aggregate_id, aggregate in aggregates.items():
            if not isinstance(aggregate, Outcome):
                continue
            if aggregate_id not in crossed and aggregate_id not in self._replayed_long:
                continue
            head = chain_heads.get(aggregate_id)
            if head is not None and head[0] == aggregate.version:
                self._replayed_long.discard(aggregate_id)
                taken.append(OutcomeSnapshot.of(aggregate, head[1]))
        return taken
