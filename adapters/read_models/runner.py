"""Runs projections: catch-up in batches, exactly once, and rebuild from scratch.

The log is read once per batch for every projection, and each batch is one transaction holding
all their read-model writes and new tracking positions; each position only advances from the
value the batch started at (compare-and-set), so two runners racing cannot both apply a batch.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager, ExitStack, nullcontext
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from adapters.read_models.backlog import ReadAhead, collection_paused
from adapters.read_models.batch_sorting import BatchSorting, decoding_of, seeds_to_skip
from adapters.read_models.positions import POSITIONS, ProjectionRaceError, advance
from adapters.read_models.projection import EventSource, Projection
from adapters.read_models.rebuilding import Progress, Rebuilding

__all__ = ["Progress", "ProjectionRunner"]


class ProjectionRunner(Rebuilding):
    """Keeps every registered read model caught up with the event log."""

    def __init__(
        self,
        engine: Engine,
        source: EventSource,
        projections: Sequence[Projection],
        batch_size: int = 2000,
        rebuild_batch_size: int = 20_000,
        write_lock: AbstractContextManager[Any] | None = None,
    ) -> None:
        self.engine = engine
        #: held around each batch's write transaction: on SQLite, the event store's own writer
        #: lock, so this process's appends and projections queue in Python instead of meeting
        #: in SQLite's busy handler, whose sleeps (1, 2, 5, 10… ms) outlast most transactions
        self.write_lock: AbstractContextManager[Any] = write_lock or nullcontext()
        self.source = source
        self.projections = list(projections)
        self.batch_size = batch_size
        #: a rebuild reads in bigger batches: in an interleaved log each batch rewrites the
        #: status row of nearly every outcome it touches, so fewer batches write fewer rows
        #: (at full size: 2,000 -> 20,000 made it 1.7x faster)
        self.rebuild_batch_size = rebuild_batch_size
        self._lock = threading.RLock()
        #: Where this runner last left each projection. Only a starting guess: the
        #: compare-and-set on the tracking row decides, and a lost race reads it again.
        self._left_at: dict[str, int] = {}
        #: Where the tracked position of each projection holding back its writes stands (its
        #: rows), while ``_left_at`` says how far it has read.
        self._held_from: dict[str, int] = {}
        self.sorting = BatchSorting()
        #: while a backlog is caught up, the next batch is read in a thread meanwhile
        self._read_ahead: ReadAhead | None = None

    def projection(self, name: str) -> Projection:
        for projection in self.projections:
            if projection.name == name:
                return projection
        raise KeyError(f"no projection named {name!r}")

    def position(self, name: str) -> int:
        return self.positions().get(name, 0)

    def left_at(self, name: str) -> int:
        """Where this runner last left a projection (asked of the database if it does not
        know): at least the position it caught up to, which is what its caller needs."""
        known = self._held_from.get(name, self._left_at.get(name))
        return self.position(name) if known is None else known

    def positions(self) -> dict[str, int]:
        """Where each projection stands (one query for all of them)."""
        with self.engine.connect() as connection:
            rows = connection.execute(POSITIONS)
            stored: dict[str, int] = {row.projection: row.position for row in rows}
        return {p.name: int(stored.get(p.name) or 0) for p in self.projections}

    def catch_up(self, progress: Progress | None = None, head: int | None = None) -> int:
        """Apply every event not yet projected (at least up to ``head``, the log's head read
        by the caller, when given); returns how many (summed over projections)."""
        with self._lock:
            return self._catch_up(self.projections, progress, head)

    def _catch_up(
        self,
        projections: Sequence[Projection],
        progress: Progress | None,
        head: int | None = None,
        batch_size: int | None = None,
    ) -> int:
        """Every projection in one pass: the log is read and decoded once per batch for all of
        them (only the topics they read; none for those that copy from the log table), and
        their writes and new positions are committed in one transaction.

        A batch that comes back full means a backlog (a first projection, a worker back from
        an outage): the rest is read in rebuild-sized batches with collection paused, as a
        rebuild is, since in an interleaved log each batch rewrites the status row of nearly
        every outcome it touches. A projection able to holds its writes back over those
        batches and writes once, in the last (see ``Projection.can_hold_back``); the next
        batch is read in a thread meanwhile (``ReadAhead``)."""
        try:
            with ExitStack() as backlog:
                return self._catch_up_batches(projections, progress, head, batch_size, backlog)
        finally:
            self._release_held(projections)  # only a failure leaves anything held

    def _catch_up_batches(
        self,
        projections: Sequence[Projection],
        progress: Progress | None,
        head: int | None,
        batch_size: int | None,
        backlog: ExitStack,
    ) -> int:
        head = self.source.head_position() if head is None else head
        done = 0
        deadlocks = 0
        while True:
            in_backlog = (batch_size or self.batch_size) >= self.rebuild_batch_size
            if in_backlog and self._read_ahead is None and decoding_of(projections):
                self._read_ahead = ReadAhead(self.source)
                backlog.callback(self._stop_reading_ahead)
            try:
                applied, reached, exhausted = self._run_batch(
                    projections, head, batch_size, in_backlog
                )
            except OperationalError as error:
                # two instances' batches locked rows in a different order: one was chosen to
                # fail; its batch rolled back whole, so it is simply tried again
                deadlocks += 1
                if "deadlock" not in str(error).lower() or deadlocks > 5:
                    raise
                time.sleep(random.uniform(0.01, 0.1))
                continue
            except (ProjectionRaceError, IntegrityError) as race:
                # another runner (another instance) applied this batch first: carry on from
                # where it got to; if nobody moved a position, it was no race but a fault
                starts: dict[str, int] = getattr(race, "starts", {})
                self._release_held(projections)
                for projection in projections:
                    self._left_at.pop(projection.name, None)
                now = self.positions()
                if all(now.get(name) == start for name, start in starts.items()):
                    raise
                continue
            done += applied
            if progress is not None:
                for projection in projections:
                    progress(projection.name, reached, head)
            if exhausted or reached >= head:
                return done
            if (batch_size or self.batch_size) < self.rebuild_batch_size:
                batch_size = self.rebuild_batch_size
                backlog.enter_context(collection_paused())

    def _stop_reading_ahead(self) -> None:
        if self._read_ahead is not None:
            self._read_ahead.close()
            self._read_ahead = None

    def _starts(self, projections: Sequence[Projection]) -> dict[str, int]:
        """Where this runner left each projection, read again where it does not know."""
        if any(p.name not in self._left_at for p in projections):
            stored = self.positions()
            return {p.name: self._left_at.get(p.name, stored[p.name]) for p in projections}
        return {p.name: self._left_at[p.name] for p in projections}

    def _release_held(self, projections: Sequence[Projection]) -> None:
        """Forget the writes held back and not made: read again from the tracked position."""
        for projection in projections:
            projection.holding = False
            if self._held_from.pop(projection.name, None) is not None:
                self._left_at.pop(projection.name, None)
                projection.drop_held()

    def _run_batch(
        self,
        projections: Sequence[Projection],
        head: int,
        batch_size: int | None = None,
        in_backlog: bool = False,
    ) -> tuple[int, int, bool]:
        """One batch of the log for every projection behind it: (events applied, the position
        reached, whether the log held no more when read).

        Only the topics the decoding projections read are read (none when every projection
        copies from the log table): a projection that ``copies_from_log`` gets the range of
        positions the batch covers, whatever was read for the others."""
        starts = self._starts(projections)
        decoding = decoding_of(projections)
        size = batch_size or self.batch_size
        if decoding:
            topics = self.sorting.topics(decoding)
            low = min(starts[p.name] for p in decoding)
            ahead = self._read_ahead
            skip = seeds_to_skip(decoding)
            batch = (
                ahead.read(low, size, topics, skip)
                if ahead
                else self.source.notifications(low, size, topics, through=head, skip=skip)
            )
            exhausted = len(batch) < size
            # positions up to ``head`` were committed before it was read (the event stores
            # serialise their writers), so an exhausted read has seen everything up to there
            reached = max(batch[-1][0] if batch else low, head if exhausted else 0)
        else:  # nothing to read: the batch is the next ``size`` positions, to copy
            ahead, batch, low = None, [], min(starts.values(), default=head)
            reached = max(low, min(head, low + size))
            exhausted = reached >= head
        last = exhausted or reached >= head
        if ahead and not last:
            ahead.read_next(reached, size, topics, skip)  # where each projection stands after
        moving = [p for p in projections if starts[p.name] < reached]
        if not moving:
            return 0, reached, exhausted
        for projection in moving:
            projection.holding = in_backlog and not last and projection.can_hold_back
        own = self.sorting.own_events([p for p in moving if not p.copies_from_log], batch, starts)

        # a projection that held writes back writes them in its first batch not held back,
        # whether or not that batch has events for it; one that copies always has the range
        busy = [p for p in moving if p.copies_from_log or own[p.name] or p.name in self._held_from]
        with self.engine.connect() as reader:
            for projection in busy:
                projection.begin_batch(self.source)
                projection.prepare(own.get(projection.name, []), self.source, reader)
        tracked = {p.name: self._held_from.get(p.name, starts[p.name]) for p in moving}
        applied = sum(len(events) for events in own.values())
        try:
            with self.write_lock, self.engine.begin() as connection:
                for projection in busy:
                    if projection.copies_from_log:
                        applied += projection.copy_from_log(
                            connection, self.source, starts[projection.name], reached
                        )
                    if projection.applies_each_event:
                        for position, event in own.get(projection.name, []):
                            projection.apply(connection, event, position)
                    projection.end_batch(connection, self.source)
                advancing = {p.name: tracked[p.name] for p in moving if not p.holding}
                advance(connection, advancing, reached)
        except (ProjectionRaceError, IntegrityError) as error:
            error.starts = tracked  # type: ignore[union-attr]
            raise
        for projection in moving:
            self._left_at[projection.name] = reached
            if projection.holding:
                self._held_from.setdefault(projection.name, starts[projection.name])
            else:
                self._held_from.pop(projection.name, None)
        return applied, reached, exhausted

    def lag(self, cap: int = 10_000) -> dict[str, int]:
        """Events each projection has still to apply (counted up to ``cap``)."""
        positions = self.positions()
        return {
            p.name: len(self.source.notifications(positions[p.name], cap, p.topics))
            for p in self.projections
        }
