"""Rebuilding read models: emptied, then refilled from the whole log, the copying projections
in a thread of their own beside the decoding ones, those that can starting from snapshots."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Engine, delete

from adapters.read_models.backlog import (
    InTurn,
    collection_paused,
    drop_indexes,
    empty,
    indexes_set_aside,
    restore_indexes,
)
from adapters.read_models.batch_sorting import decoding_of
from adapters.read_models.metadata import projection_tracking
from adapters.read_models.projection import EventSource, Projection

Progress = Callable[[str, int, int], None]

log = logging.getLogger(__name__)


class Rebuilding:
    """The rebuild of a ``ProjectionRunner`` (which provides what is declared here)."""

    engine: Engine
    source: EventSource
    write_lock: AbstractContextManager[Any]
    rebuild_batch_size: int
    projections: list[Projection]
    _lock: threading.RLock
    _left_at: dict[str, int]
    _held_from: dict[str, int]

    def projection(self, name: str) -> Projection:
        raise NotImplementedError

    def _catch_up(
        self,
        projections: Sequence[Projection],
        progress: Progress | None,
        head: int | None = None,
        batch_size: int | None = None,
    ) -> int:
        raise NotImplementedError

    def rebuild(
        self,
        names: Sequence[str] | None = None,
        progress: Progress | None = None,
        from_snapshots: bool = True,
    ) -> int:
        """Empty the named read models (all by default) and replay the whole log into them;
        ``from_snapshots``: a projection that can starts each stream from its newest snapshot
        and decodes only the events after it (``Projection.seed``)."""
        chosen = [self.projection(n) for n in names] if names else self.projections
        with self._lock:
            for projection in chosen:
                projection.forget()
                self._left_at.pop(projection.name, None)
                self._held_from.pop(projection.name, None)
            copying = [p for p in chosen if p.copies_from_log]
            apart = copying if copying and decoding_of(chosen) else []  # see _refill
            self._empty([p for p in chosen if p not in apart])
            unindexed = [t for p in chosen if p.rebuilds_without_indexes for t in p.tables]
            with collection_paused(), indexes_set_aside(self.engine, unindexed):
                return self._refill(chosen, progress, from_snapshots)

    def _empty(self, projections: Sequence[Projection]) -> None:
        """Empty the projections' tables and forget their positions in one transaction, the
        indexes of those that refill without them dropped."""
        if not projections:
            return
        with self.write_lock, self.engine.begin() as connection:
            for projection in projections:
                empty(connection, reversed(projection.tables))
                connection.execute(
                    delete(projection_tracking).where(
                        projection_tracking.c.projection == projection.name
                    )
                )
            drop_indexes(
                connection, [t for p in projections if p.rebuilds_without_indexes for t in p.tables]
            )

    def _seed(self, projections: Sequence[Projection], from_snapshots: bool) -> None:
        """Each projection started from stored states where it can. They are a cache: one
        that cannot be read is logged and the projection replays every event instead."""
        if not from_snapshots:
            return
        for projection in projections:
            try:
                projection.seed(self.source)
            except Exception:
                log.warning(
                    "%s: snapshots unreadable, replaying every event",
                    projection.name,
                    exc_info=True,
                )
                projection.forget()

    def _refill(
        self, projections: Sequence[Projection], progress: Progress | None, from_snapshots: bool
    ) -> int:
        """Replay the log into emptied read models: those that copy from the log table in a
        thread of their own, alongside those that decode it. The database does the copying
        without the interpreter's lock (SQLite's C code, PostgreSQL's own process), so it no
        longer waits for the decoding and folding, nor they for it; each side's batches move
        only its own positions (on SQLite they take turns at the writer's lock). The copying
        side empties its own tables first (freeing a million timeline rows takes SQLite
        seconds) while the decoding side reads the snapshots it starts from."""
        copying = [p for p in projections if p.copies_from_log]
        decoding = decoding_of(projections)
        if not copying or not decoding:
            self._seed(decoding, from_snapshots)
            return self._catch_up(projections, progress, batch_size=self.rebuild_batch_size)
        write_lock, self.write_lock = self.write_lock, InTurn(self.write_lock)
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="log-copy") as pool:
                copied = pool.submit(self._copy_then_index, copying, progress)
                try:
                    self._seed(decoding, from_snapshots)
                    done = self._catch_up(decoding, progress, batch_size=self.rebuild_batch_size)
                finally:
                    wait([copied])
                return done + copied.result()
        finally:
            self.write_lock = write_lock

    def _copy_then_index(self, copying: Sequence[Projection], progress: Progress | None) -> int:
        """The copying side of a refill: its tables emptied, copied, and their indexes built as
        soon as the copy is done (it ends well before the decoding, so the build no longer
        waits for it)."""
        self._empty(copying)
        done = self._catch_up(copying, progress, batch_size=self.rebuild_batch_size)
        restore_indexes(
            self.engine, [t for p in copying if p.rebuilds_without_indexes for t in p.tables]
        )
        return done
