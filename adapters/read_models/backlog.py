"""What replaying much of the log at once needs: its tables emptied fast, the collector paused.

Used by a rebuild and by a catch-up that finds a backlog (``runner.py``).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Index, Table, delete

from adapters.read_models.projection import EventSource, Seeds

log = logging.getLogger(__name__)

#: the event topics a batch is read for (empty: every event)
Topics = tuple[str, ...]
Batch = list[tuple[int, Any]]


def empty(connection: Connection, tables: Iterable[Table]) -> None:
    """Delete every row of ``tables`` in the caller's transaction. PostgreSQL truncates them:
    a DELETE of a million timeline rows left a million dead ones for the rebuild's inserts to
    work around and for vacuum to clear. Readers wait for the emptying transaction, short,
    instead of reading the old rows meanwhile; SQLite empties a table without a WHERE as
    fast."""
    tables = list(tables)
    if connection.dialect.name == "postgresql" and tables:
        names = ", ".join(connection.dialect.identifier_preparer.format_table(t) for t in tables)
        connection.exec_driver_sql(f"TRUNCATE {names}")
        return
    for table in tables:
        connection.execute(delete(table))


@contextmanager
def collection_paused() -> Iterator[None]:
    """No automatic garbage collection while a rebuild runs.

    A rebuild allocates millions of objects (decoded events, rows, folded records) that are
    either kept or freed by reference counting; the collector's passes over them found nothing
    to free and cost a third of a quick rebuild (more at full size, where the kept records
    make every full pass long). What little a rebuild leaves in cycles waits for the next
    automatic collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def set_aside(tables: Iterable[Table]) -> list[Index]:
    """The indexes a refill may drop: those that only speed reads (none that enforce)."""
    return [index for table in tables for index in table.indexes if not index.unique]


def drop_indexes(connection: Connection, tables: Sequence[Table]) -> None:
    """Drop the indexes of ``tables`` that only speed reads, in the caller's transaction."""
    for index in set_aside(tables):
        index.drop(connection, checkfirst=True)


@contextmanager
def indexes_set_aside(engine: Engine, tables: Sequence[Table]) -> Iterator[None]:
    """Build the indexes ``drop_indexes`` dropped once the block has refilled the tables: one
    sorted build instead of a page of each index touched per row (PostgreSQL's own advice
    for a bulk load). Should the block fail they are built all the same, and should the
    process die first, the next start builds them (``restore_indexes``)."""
    try:
        yield
    except BaseException:
        try:
            restore_indexes(engine, tables)
        except Exception:  # the first failure is the one to report
            log.exception("building the read models' indexes again failed")
        raise
    restore_indexes(engine, tables)


def restore_indexes(engine: Engine, tables: Sequence[Table]) -> None:
    """Create whichever of the indexes of ``tables`` that only speed reads is missing."""
    with engine.begin() as connection:
        for index in set_aside(tables):
            index.create(connection, checkfirst=True)


class InTurn:
    """``lock`` taken in the order asked for. A rebuild's copying thread let go of the SQLite
    writer's lock and took it again at once, batch after batch, while the decoding thread
    waited for it the whole copy long: ``threading.Lock`` promises no order."""

    def __init__(self, lock: AbstractContextManager[Any]) -> None:
        self.lock = lock
        self.turns = threading.Condition()
        self.issued = 0
        self.serving = 0

    def __enter__(self) -> None:
        with self.turns:
            ticket, self.issued = self.issued, self.issued + 1
            while ticket != self.serving:
                self.turns.wait()
        try:
            self.lock.__enter__()
        except BaseException:
            self._next()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            self.lock.__exit__(*exc)  # type: ignore[arg-type]
        finally:
            self._next()

    def _next(self) -> None:
        with self.turns:
            self.serving += 1
            self.turns.notify_all()


class ReadAhead:
    """The log's next batch read in a thread while the current one is projected: meanwhile
    PostgreSQL sends it, or SQLite finds it (it lets go of the interpreter's lock), instead of
    the projecting waiting for both in turn. A batch read ahead is used only when asked for
    with the start, size and topics it was read for (a lost race reads from elsewhere)."""

    def __init__(self, source: EventSource) -> None:
        self.source = source
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="log-read-ahead")
        self.ahead: tuple[tuple[int, int, Topics], Seeds | None, Future[Batch]] | None = None

    def read(self, after: int, size: int, topics: Topics = (), skip: Seeds | None = None) -> Batch:
        ahead, self.ahead = self.ahead, None
        if ahead is not None and ahead[0] == (after, size, topics) and ahead[1] is skip:
            return ahead[2].result()
        return self.source.notifications(after, size, topics, skip=skip)

    def read_next(
        self, after: int, size: int, topics: Topics = (), skip: Seeds | None = None
    ) -> None:
        self.ahead = (
            (after, size, topics),
            skip,
            self.pool.submit(self.source.notifications, after, size, topics, skip=skip),
        )

    def close(self) -> None:
        self.ahead = None
        self.pool.shutdown(wait=True, cancel_futures=True)
