"""What a projection is: a named reader of some event topics that writes some tables.

The runner (``runner.py``) feeds it batches of events and stores its position in the same
transaction as its writes, so every event changes a read model exactly once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, NamedTuple, Protocol
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import Connection, Table

from domain.calendar import Calendar


class LogTable(NamedTuple):
    """Where the event store keeps the log: a projection that copies rows from it in the
    database names it in its statements (``schema`` is None on SQLite)."""

    schema: str | None
    name: str


class Seeds(NamedTuple):
    """Streams a projection starts a rebuild from a stored state of (an outcome's snapshot):
    their events of ``topics`` up to ``versions[stream]`` are in that state already, so the
    log reader hands them over as ``(position, None)`` instead of decoding them. ``versions``
    is keyed by the stream's ``UUID`` and by its hex text, as each database gives it back."""

    versions: Mapping[UUID | str, int]
    topics: frozenset[str]


class EventSource(Protocol):
    """The part of the application a projection may read (implemented by the application)."""

    def events_of(self, aggregate_id: UUID, up_to_version: int | None = None) -> list[Any]: ...

    def calendar(self, on: Any = None, through: int | None = None) -> Calendar: ...

    def notifications(
        self,
        after: int,
        limit: int,
        topics: Sequence[str],
        through: int | None = None,
        skip: Seeds | None = None,
    ) -> list[tuple[int, Any]]: ...

    def snapshotted_records(self) -> list[Any]: ...

    def head_position(self) -> int: ...

    def log_table(self) -> LogTable: ...


class Projection(ABC):
    """A read model's projection. Subclasses list their tables and the events they read."""

    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]
    event_classes: ClassVar[tuple[type, ...]]

    #: May hold its writes back over the batches of a backlog and write once at its end: the
    #: runner then sets ``holding`` for each batch but the last, and keeps the projection's
    #: tracked position where its rows are until that last batch has written them.
    can_hold_back: ClassVar[bool] = False
    holding: bool = False
    #: Its tables' (non-unique) indexes are dropped while a rebuild refills them, and built
    #: again, sorted, once filled (see ``backlog.indexes_set_aside``).
    rebuilds_without_indexes: ClassVar[bool] = False

    #: Its rows are copied from the log's own table by one statement per batch
    #: (``copy_from_log``) instead of written from decoded events: the runner decodes nothing
    #: for it and hands it each batch's range of log positions.
    copies_from_log: ClassVar[bool] = False
    #: ``apply`` is called for each of its events (a projection that does its work for the
    #: whole batch in ``prepare`` and ``end_batch`` turns it off: a rebuild called it a million
    #: times for nothing)
    applies_each_event: ClassVar[bool] = True

    @property
    def topics(self) -> list[str]:
        return [get_topic(cls) for cls in self.event_classes]

    def forget(self) -> None:  # noqa: B027 (optional hook)
        """Drop whatever the projection keeps in memory between batches (before a rebuild)."""

    def seed(self, source: EventSource) -> None:  # noqa: B027 (optional hook)
        """Before a rebuild, after ``forget``: start from stored states where it can (only
        ever states the events up to them fold into; see ``seeds``)."""

    @property
    def seeds(self) -> Seeds | None:
        """The streams this projection holds a state of that already takes in their first
        events (set by ``seed``, gone once it drops what it held): the runner has those
        events handed over undecoded, when no other projection of the batch reads them."""
        return None

    def drop_held(self) -> None:  # noqa: B027 (optional hook)
        """Forget what was held back and not written (the runner replays it from the tracked
        position)."""

    def begin_batch(self, source: EventSource) -> None:  # noqa: B027 (optional hook)
        """Called before a batch; projections that defer work reset it here."""

    def prepare(  # noqa: B027 (optional hook)
        self, batch: list[tuple[int, Any]], source: EventSource, reader: Connection
    ) -> None:
        """Before the batch's transaction: read what the batch needs (events, other tables).

        Nothing may be read from the event store once the write transaction is open: on SQLite
        the store's writers would wait for our lock while we waited for them.
        """

    @abstractmethod
    def apply(self, connection: Connection, event: Any, position: int) -> None:
        """Write one event's effect, inside the batch's transaction."""

    def copy_from_log(
        self, connection: Connection, source: EventSource, after: int, up_to: int
    ) -> int:
        """Copy the log's events after ``after`` up to ``up_to`` into the tables, inside the
        batch's transaction; returns how many. Only for projections that ``copies_from_log``."""
        raise NotImplementedError(f"{self.name} projects decoded events (apply)")

    def end_batch(self, connection: Connection, source: EventSource) -> None:  # noqa: B027
        """Called at the end of a batch, still inside its transaction."""
