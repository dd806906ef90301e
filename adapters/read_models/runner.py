"""Runs projections: catch-up in batches, exactly once, and rebuild from scratch.

Each batch is one transaction holding the read-model writes and the new tracking position; the
position only advances from the value the batch started at (compare-and-set), so two runners
racing on the same projection cannot both apply a batch.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from adapters.read_models.metadata import projection_tracking
from adapters.read_models.projection import EventSource, Projection

Progress = Callable[[str, int, int], None]


class ProjectionRaceError(RuntimeError):
    """Another runner advanced this projection first; the batch was rolled back."""

    def __init__(self, name: str, start: int) -> None:
        super().__init__(f"{name} moved past {start} meanwhile")
        self.start = start


class ProjectionRunner:
    """Keeps every registered read model caught up with the event log."""

    def __init__(
        self,
        engine: Engine,
        source: EventSource,
        projections: Sequence[Projection],
        batch_size: int = 2000,
    ) -> None:
        self.engine = engine
        self.source = source
        self.projections = list(projections)
        self.batch_size = batch_size
        self._lock = threading.RLock()
        #: Where this runner last left each projection. Only a starting guess: the
        #: compare-and-set on the tracking row decides, and a lost race reads it again.
        self._left_at: dict[str, int] = {}

    def projection(self, name: str) -> Projection:
        for projection in self.projections:
            if projection.name == name:
                return projection
        raise KeyError(f"no projection named {name!r}")

    def position(self, name: str) -> int:
        with self.engine.connect() as connection:
            value = connection.execute(
                select(projection_tracking.c.position).where(
                    projection_tracking.c.projection == name
                )
            ).scalar()
        return int(value or 0)

    def positions(self) -> dict[str, int]:
        return {p.name: self.position(p.name) for p in self.projections}

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply every event not yet projected, projection by projection; returns the count."""
        with self._lock:
            head = self.source.head_position()
            return sum(self._catch_up_one(p, progress, head) for p in self.projections)

    def _catch_up_one(
        self, projection: Projection, progress: Progress | None, head: int | None = None
    ) -> int:
        head = self.source.head_position() if head is None else head
        done = 0
        deadlocks = 0
        while True:
            try:
                applied, position = self._run_batch(projection)
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
                # where it got to; if nobody moved the position, it was no race but a fault
                self._left_at.pop(projection.name, None)
                start = getattr(race, "start", None)
                if self.position(projection.name) == start:
                    raise
                continue
            done += applied
            if progress is not None:
                progress(projection.name, position, head)
            if applied == 0:
                self._seen_up_to(projection.name, position, head)
                return done
            if position >= head:
                return done
            if applied < self.batch_size:  # the log held no more of its events when read
                self._seen_up_to(projection.name, position, head)
                return done

    def _run_batch(self, projection: Projection) -> tuple[int, int]:
        start = self._left_at.get(projection.name)
        if start is None:
            start = self.position(projection.name)
        batch = self.source.notifications(start, self.batch_size, projection.topics)
        if not batch:
            self._left_at[projection.name] = start
            return 0, start
        end = batch[-1][0]
        projection.begin_batch(self.source)
        with self.engine.connect() as reader:
            projection.prepare(batch, self.source, reader)
        try:
            self._apply_batch(projection, batch, start, end)
        except IntegrityError as error:
            error.start = start  # type: ignore[attr-defined]
            raise
        self._left_at[projection.name] = end
        return len(batch), end

    def _apply_batch(
        self, projection: Projection, batch: list[tuple[int, object]], start: int, end: int
    ) -> None:
        with self.engine.begin() as connection:
            for position, event in batch:
                projection.apply(connection, event, position)
            projection.end_batch(connection, self.source)
            if start == 0 and not self._has_row(connection, projection.name):
                connection.execute(
                    insert(projection_tracking).values(projection=projection.name, position=end)
                )
            else:
                moved = connection.execute(
                    update(projection_tracking)
                    .where(projection_tracking.c.projection == projection.name)
                    .where(projection_tracking.c.position == start)
                    .values(position=end)
                ).rowcount
                if moved != 1:
                    raise ProjectionRaceError(projection.name, start)

    def _seen_up_to(self, name: str, position: int, head: int) -> None:
        """Nothing more for this projection up to ``head``: record that it has seen that far.

        Positions up to ``head`` were committed before it was read (the event stores serialise
        their writers), so no event of this projection can appear below it later.
        """
        if head <= position:
            return
        self._left_at.pop(name, None)  # moved here, or by another runner: read it next time
        try:
            with self.engine.begin() as connection:
                if position == 0 and not self._has_row(connection, name):
                    connection.execute(
                        insert(projection_tracking).values(projection=name, position=head)
                    )
                else:
                    connection.execute(
                        update(projection_tracking)
                        .where(projection_tracking.c.projection == name)
                        .where(projection_tracking.c.position == position)
                        .values(position=head)
                    )
        except IntegrityError:
            pass  # another runner recorded it first

    @staticmethod
    def _has_row(connection: Connection, name: str) -> bool:
        found = connection.execute(
            select(projection_tracking.c.position).where(projection_tracking.c.projection == name)
        ).first()
        return found is not None

    def rebuild(self, names: Sequence[str] | None = None, progress: Progress | None = None) -> int:
        """Empty the named read models (all by default) and replay the whole log into them."""
        chosen = [self.projection(n) for n in names] if names else self.projections
        with self._lock:
            for projection in chosen:
                projection.forget()
                self._left_at.pop(projection.name, None)
            with self.engine.begin() as connection:
                for projection in chosen:
                    for table in reversed(projection.tables):
                        connection.execute(delete(table))
                    connection.execute(
                        delete(projection_tracking).where(
                            projection_tracking.c.projection == projection.name
                        )
                    )
            return sum(self._catch_up_one(p, progress) for p in chosen)

    def lag(self, cap: int = 10_000) -> dict[str, int]:
        """Events each projection has still to apply (counted up to ``cap``)."""
        return {
            p.name: len(self.source.notifications(self.position(p.name), cap, p.topics))
            for p in self.projections
        }
