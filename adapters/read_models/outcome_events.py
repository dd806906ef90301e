"""Every outcome's decoded events, kept in memory and synced from the log's new entries.

Stored events never change, so a process that answers "as of" questions (each one a fold of
every outcome's events) decodes each event once instead of once per question. Syncing reads only
the log after the last position seen. A stream with a gap (an event type this cache does not
follow) is left out, and its reader falls back to the event store.
"""

from __future__ import annotations

import gc
import threading
from bisect import bisect_right
from datetime import date
from typing import Any
from uuid import UUID
from weakref import WeakKeyDictionary

from eventsourcing.utils import get_topic

from adapters.read_models.outcome_status import MEETING_EVENTS, OutcomeStatusProjection
from adapters.read_models.projection import EventSource
from domain.outcome import Outcome
from domain.outcome_history import fold_outcome
from domain.outcome_record import OutcomeRecord
from domain.status import status_of_record

TOPICS = [
    get_topic(cls) for cls in OutcomeStatusProjection.event_classes if cls not in MEETING_EVENTS
]
PAGE = 5_000
FREEZE_AFTER = 5_000  # events taken in at once


CHECKPOINT_EVERY = 16
# the events whose ``record_in`` writes only the record's own fields, dicts and lists (which
# ``OutcomeRecord.copy`` copies) or replaces a report or milestone in them (never changes one in
# place): a record folded from a checkpoint's copy leaves the checkpoint as it was
RESUMABLE = frozenset(
    {
        Outcome.Adopted,
        Outcome.ResponsibilityAssigned,
        Outcome.ResponsibilityReleased,
        Outcome.WorkingGroupAssigned,
        Outcome.DeadlineSet,
        Outcome.ProgressReported,
        Outcome.Completed,
        Outcome.Reopened,
        Outcome.Withdrawn,
        Outcome.Superseded,
        Outcome.PublicityChanged,
        Outcome.MilestonePlanned,
        Outcome.MilestoneRemoved,
        Outcome.ProgressReportRetracted,
        Outcome.MilestoneReached,
        Outcome.MilestoneReopened,
    }
)


class Stream:
    """One outcome's events in log order, their days, and records folded at checkpoints.

    The fold as of a day applies, in log order, the events that had occurred by then. Every
    event before the first one dated after the latest day so far is applied whatever the day is
    past it, so the record of that prefix is a fact of the stream. Two kinds are kept (copies):
    the record of every ``CHECKPOINT_EVERY``-th prefix a fold has passed, so any later fold
    applies fewer events than that, and the prefix last asked for, so the same day asked again
    (the next page of a past day's list, another filter) applies none. Streams only grow, so a
    kept record never goes stale. A stream holding an event this module does not know to be
    safe to resume over is folded from the start.
    """

    __slots__ = (
        "checkpoints",
        "days",
        "events",
        "in_day_order",
        "last",
        "reached",
        "resumable",
    )

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.days: list[date] = []
        self.reached: list[date] = []  # the latest day among the events up to each one
        self.in_day_order = True
        self.resumable = True
        self.checkpoints: dict[int, OutcomeRecord] = {}  # by prefix length
        self.last: tuple[int, OutcomeRecord] | None = None

    def add(self, event: Any) -> None:
        day = event.occurred_on
        latest = self.reached[-1] if self.reached else day
        if day < latest:
            self.in_day_order = False
        self.events.append(event)
        self.days.append(day)
        self.reached.append(max(day, latest))
        if type(event) not in RESUMABLE or (len(self.events) == 1) != (
            type(event) is Outcome.Adopted
        ):
            self.resumable = False

    def fold(self, on: date | None = None) -> OutcomeRecord | None:
        """``fold_outcome(events, on)``: the events up to the first one dated after ``on`` from
        the nearest checkpoint, then (only when a later event is backdated) the rest by day."""
        events = self.events
        if not self.resumable or not events:
            return fold_outcome(events, on)
        if on is not None and events[0].occurred_on > on:
            return None
        ready = len(events) if on is None else bisect_right(self.reached, on)
        record = self.prefix(ready)
        if on is not None and not self.in_day_order:
            days = self.days
            apply(record, [events[i] for i in range(ready, len(events)) if days[i] <= on])
        record.version = events[-1].originator_version
        return record

    def prefix(self, length: int) -> OutcomeRecord:
        """The record of the first ``length`` events (at least the adoption), a copy of its own."""
        events, last = self.events, self.last
        if last is not None and last[0] == length:
            return last[1].copy()
        start = length - length % CHECKPOINT_EVERY
        while start > 0 and start not in self.checkpoints:
            start -= CHECKPOINT_EVERY
        if last is not None and start < last[0] < length:
            start, record = last[0], last[1].copy()
        elif start > 0:
            record = self.checkpoints[start].copy()
        else:
            start, record = 1, OutcomeRecord.adopted(events[0])
        boundary = start - start % CHECKPOINT_EVERY + CHECKPOINT_EVERY
        while boundary <= length:
            apply(record, events[start:boundary])
            if boundary not in self.checkpoints:
                self.checkpoints[boundary] = self.kept(record, boundary)
            start, boundary = boundary, boundary + CHECKPOINT_EVERY
        apply(record, events[start:length])
        if length > 1:
            self.last = (length, self.kept(record, length))
        return record

    def kept(self, record: OutcomeRecord, length: int) -> OutcomeRecord:
        kept = record.copy()
        kept.version = self.events[length - 1].originator_version
        return kept


def apply(record: OutcomeRecord, events: list[Any]) -> None:
    """Each event's ``record_in``, on a record that may share entries with a checkpoint (the
    events replace an entry rather than change it, so the checkpoint keeps its own)."""
    for event in events:
        event.record_in(record)


class OutcomeEvents:
    def __init__(self, source: EventSource) -> None:
        self.source = source
        self.position = 0  # the last outcome event taken in
        self.seen = 0  # every outcome event up to this log position is taken in
        self.streams: dict[UUID, Stream] = {}
        self.broken: set[UUID] = set()
        self._lock = threading.Lock()

    def sync(self, head: int = 0) -> None:
        """Take in every outcome event appended since the last sync; ``head``, the log's head
        position read before the call, is then known ``seen``.

        After taking in many, the objects the process holds are moved out of the garbage
        collector's sight (``gc.freeze``): the decoded events are kept for the life of the
        process, and at full size (a million of them) every full collection walked them all,
        a pause of over a second in one request of about ten."""
        with self._lock:
            taken = 0
            while True:
                batch = self.source.notifications(self.position, PAGE, TOPICS)
                if not batch:
                    break
                for _, event in batch:
                    self._add(event)
                self.position = batch[-1][0]
                taken += len(batch)
            self.seen = max(self.seen, self.position, head)
            if taken >= FREEZE_AFTER:
                gc.freeze()

    def _add(self, event: Any) -> None:
        key = event.originator_id
        if key in self.broken:
            return
        stream = self.streams.get(key)
        expected = len(stream.events) + 1 if stream else 1
        if event.originator_version != expected:
            self.streams.pop(key, None)
            self.broken.add(key)
            return
        if stream is None:
            stream = self.streams[key] = Stream()
        stream.add(event)

    def fold(self, outcome_id: UUID, on: date | None = None) -> OutcomeRecord | None:
        """The outcome as known on ``on``, from memory (after ``sync``) or from the store."""
        stream = self.streams.get(outcome_id)
        if stream is None:
            return fold_outcome(self.source.events_of(outcome_id), on)
        return stream.fold(on)

    def stream(self, outcome_id: UUID) -> Stream | None:
        return self.streams.get(outcome_id)


_KEPT: WeakKeyDictionary[Any, OutcomeEvents] = WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()


def outcome_events(source: EventSource) -> OutcomeEvents:
    """The one cache of ``source`` (an application), made on first use."""
    with _KEPT_LOCK:
        found = _KEPT.get(source)
        if found is None:
            found = _KEPT[source] = OutcomeEvents(source)
        return found


class StatusSeries:
    """Each outcome's status on each of a list of days, kept per outcome until its stream grows
    or the days or the calendar change (the dashboard's "status over time")."""

    def __init__(self) -> None:
        self.key: tuple[Any, ...] = ()
        self.kept: dict[UUID, tuple[int, list[str | None]]] = {}
        self.calendars: list[tuple[date, Any]] = []

    def statuses(
        self,
        events: OutcomeEvents,
        outcome_id: UUID,
        calendars: list[tuple[date, Any]],
        due_soon_days: int,
    ) -> list[str | None]:
        stream = events.stream(outcome_id)
        length = len(stream.events) if stream is not None else -1
        kept = self.kept.get(outcome_id)
        if kept is not None and kept[0] == length and length >= 0:
            return kept[1]
        if stream is None or not stream.in_day_order:
            found = []
            for day, calendar in calendars:
                record = events.fold(outcome_id, day)
                found.append(
                    None if record is None else status_on(record, calendar, day, due_soon_days)
                )
        else:
            found = statuses_in_one_pass(stream, calendars, due_soon_days)
        self.kept[outcome_id] = (length, found)
        return found


def status_on(record: OutcomeRecord, calendar: Any, day: date, due_soon_days: int) -> str:
    return status_of_record(record, calendar, day, due_soon_days).status.value


def statuses_in_one_pass(
    stream: Stream, calendars: list[tuple[date, Any]], due_soon_days: int
) -> list[str | None]:
    """The status on each day (ascending) of a stream whose days never go back: the events by
    each day are a prefix, so one fold serves every day, read off before the next is applied."""
    events = stream.events
    first = events[0]
    record: OutcomeRecord | None = None
    applied = 1
    found: list[str | None] = []
    for day, calendar in calendars:
        if not isinstance(first, Outcome.Adopted) or first.occurred_on > day:
            found.append(None)
            continue
        if record is None:
            record = OutcomeRecord.adopted(first)
        while applied < len(events) and events[applied].occurred_on <= day:
            events[applied].record_in(record)
            applied += 1
        found.append(status_on(record, calendar, day, due_soon_days))
    return found


_SERIES: WeakKeyDictionary[Any, StatusSeries] = WeakKeyDictionary()


def status_series(source: EventSource) -> StatusSeries:
    with _KEPT_LOCK:
        found = _SERIES.get(source)
        if found is None:
            found = _SERIES[source] = StatusSeries()
        return found
