"""The forum's own events, kept decoded by the application, and its calendar as of a day.

Every write asks for the calendar, and the forum's stream rarely moves: its events are read once
and extended by those appended since (a query that finds nothing on most calls).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEvent
from eventsourcing.utils import get_topic

from domain.calendar import Calendar
from domain.forum import Forum, calendar_as_of

#: every kind of event the forum's stream holds (``Created`` is the library's default first
#: event, which ``Forum`` replaces with ``Established``)
FORUM_TOPICS = frozenset(
    get_topic(kind)
    for kind in vars(Forum).values()
    if isinstance(kind, type)
    and issubclass(kind, DomainEvent)
    and kind not in (Forum.Event, Forum.Created)
)


class ForumEvents:
    """The forum stream's events, and calendars folded from them (a few dozen kept)."""

    def __init__(self, forum_id: UUID, read_after: Callable[[int], Iterable[Any]]) -> None:
        self._forum_id = forum_id
        #: the forum's stored events after a version
        self._read_after = read_after
        self._lock = threading.Lock()
        self._events: list[Any] = []
        #: every forum event up to this log position is in ``_events``
        self._known_through = 0
        self._calendars: dict[tuple[int, date | None], Calendar] = {}

    def events(self, through: int | None = None) -> list[Any]:
        """``through``: a log position the caller has seen stored, when the caller needs only
        the forum's events up to there. A query made after it was stored saw all of them, so
        the projection of a write and the workflow policy's answer to it share one query."""
        with self._lock:
            if through is not None and through <= self._known_through:
                return self._events
            newer = list(self._read_after(len(self._events)))
            if newer:
                self._events = [*self._events, *newer]
                self._calendars.clear()
            if through is not None:
                self._known_through = max(self._known_through, through)
            return self._events

    def observed(self, after: int, read: Sequence[tuple[int, Any]]) -> None:
        """The log was just read after position ``after`` with every forum topic among those
        asked for: what came back holds every forum event up to the last position in it. A
        write's projection reads past its own event, so the calendar it then asks for needs
        no query of its own (one a write fewer)."""
        if not read:
            return
        with self._lock:
            if self._known_through < after:
                return  # a stretch of the log between them went unseen
            newer = [e for _, e in read if e is not None and e.originator_id == self._forum_id]
            held = len(self._events)
            if [e.originator_version for e in newer] != list(
                range(held + 1, held + 1 + len(newer))
            ):
                return  # not what follows on from the events held (already taken in, or a gap)
            if newer:
                self._events = [*self._events, *newer]
                self._calendars.clear()
            self._known_through = max(self._known_through, read[-1][0])

    def calendar(self, on: date | None = None, through: int | None = None) -> Calendar:
        """The forum calendar as it stood on ``on`` (today's knowledge when None)."""
        events = self.events(through)
        key = (len(events), on)
        with self._lock:
            found = self._calendars.get(key)
        if found is None:
            found = calendar_as_of(events, on)
            with self._lock:
                if len(self._calendars) > 64:
                    self._calendars.clear()
                self._calendars[key] = found
        return found
