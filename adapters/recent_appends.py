"""The events this process appended last, by log position, as they were saved.

A write appends its event, then brings the read models up to date and lets the workflow policy
answer it: both read the log after where they stand, and at 1 client that stretch is the
write's own event, just saved. When every position of the stretch up to what the reader needs
was appended here, it is handed over as saved instead of read back and decoded again (on
PostgreSQL two round trips a write). A position this process did not append (another
process's event, a gap a rolled-back transaction left) makes the reader read the log.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

from eventsourcing.utils import get_topic

#: positions remembered at most (a write reads its own within milliseconds)
LIMIT = 1000


class RecentAppends:
    """Log positions appended by this process, with their events."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._limit = limit
        self._events: dict[int, Any] = {}
        self._topics: dict[type, str] = {}
        self._lock = threading.Lock()

    def add(self, recordings: Iterable[Any]) -> None:
        """Remember the stored events of one save (``Recording`` objects)."""
        with self._lock:
            for recording in recordings:
                self._events[recording.notification.id] = recording.domain_event
            while len(self._events) > self._limit:
                del self._events[next(iter(self._events))]

    def topic(self, event: Any) -> str:
        kind = type(event)
        found = self._topics.get(kind)
        if found is None:
            found = self._topics[kind] = get_topic(kind)
        return found

    def after(
        self, after: int, through: int, limit: int, topics: Sequence[str] = ()
    ) -> list[tuple[int, Any]] | None:
        """The events at the positions following ``after``, one after another, of ``topics``
        (all when empty), at most ``limit`` positions: when this process appended every
        position from there up to ``through`` at least; None when it did not (read the log)."""
        if through <= after:
            return None
        run: list[tuple[int, Any]] = []
        with self._lock:
            position = after + 1
            while position in self._events and position - after <= limit:
                run.append((position, self._events[position]))
                position += 1
        if position - 1 < through:
            return None
        if topics:
            wanted = set(topics)
            return [(p, event) for p, event in run if self.topic(event) in wanted]
        return run
