"""The service layer: an eventsourcing ``Application`` that is the repository and unit of work.

It speaks in ids and plain values; the API, the pages, the CLI and the importer all go through it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.domain import DomainEventProtocol, EventSourcingError
from eventsourcing.persistence import (
    IntegrityError,
    Notification,
    Tracking,
)
from eventsourcing.system import ProcessApplication

from adapters.clock import Clock, SystemClock
from adapters.log_reader import LogReader
from adapters.outcome_snapshots import newest_records
from adapters.read_models.projection import LogTable, Seeds
from adapters.recent_appends import RecentAppends
from domain.calendar import Calendar
from domain.forum import Forum
from domain.identity import forum_id
from domain.outcome_record import OutcomeRecord
from domain.provenance import Precision, Provenance
from followup.forum_events import FORUM_TOPICS, ForumEvents
from followup.stored_aggregates import StoredAggregates
from followup.workflow_facts import TOPICS
from followup.workflows import WorkflowPolicy

#: a position the workflow policy answered with nothing is written down at least this often
TRACK_EVERY_EVENTS = 1000
TRACK_EVERY_SECONDS = 5.0

log = logging.getLogger(__name__)


class FollowupApplication(StoredAggregates, ProcessApplication[UUID]):
    """The forum's event-sourced record; it also follows its own log, so the workflow policy
    records what the forum's facts fulfil exactly once (see ``followup.workflows``)."""

    name = "followup"
    follow_topics = TOPICS
    #: notifications the workflow policy reads per query (the library's default is 10)
    pull_section_size = 500
    log_section_size = 500

    def __init__(
        self, env: Mapping[str, str], forum: str = "gfmd", clock: Clock | None = None
    ) -> None:
        super().__init__(env=dict(env))
        self.forum_code = forum
        self.clock = clock or SystemClock()
        self.workflows: WorkflowPolicy | None = None
        self._workflow_lock = threading.Lock()
        self._appended = RecentAppends()
        self._log_reader: LogReader | None = None
        self._forum = ForumEvents(
            forum_id(forum), lambda after: self.events.get(self.forum_id, gt=after)
        )
        #: while ``advance_workflows`` runs, answers that record nothing are not recorded one
        #: by one: the last such position waits here (see ``_record``)
        self._deferring = False
        self._unrecorded: Tracking | None = None
        #: the last position answered by this process, recorded or not, and when the tracked
        #: position was last written
        self._answered_up_to = 0
        self._tracked_at = (0, time.monotonic())
        #: the newest log position the policy's answers appended during ``advance_workflows``
        self._appended_up_to = 0
        self.follow(self.name, self.notification_log)

    def policy(
        self, domain_event: DomainEventProtocol[UUID], processing_event: ProcessingEvent[UUID]
    ) -> None:
        if self.workflows is not None:
            self.workflows.react(domain_event, processing_event)

    def advance_workflows(self, stop: int | None = None) -> int:
        """Let the workflow policy answer every watched event up to ``stop`` (once each);
        returns the newest log position its answers appended (0 when they appended nothing),
        so the caller knows whether the read models have anything more to take in."""
        if self.workflows is None:
            return 0
        with self._workflow_lock:
            self._deferring = True
            self._appended_up_to = 0
            try:
                # where this process answered up to, once it has answered anything: the tracked
                # position is read only at first (one query per write fewer). Had another
                # instance answered further meanwhile, its events are answered again here: an
                # answer that records nothing is no change, one that records something finds it
                # recorded already or fails on the tracking row, and the next call reads it
                start = self._answered_up_to or self.recorder.max_tracking_id(self.name) or 0
                self.pull_and_process(self.name, start=start, stop=stop)
                if self._unrecorded is not None and self._tracking_is_due(self._unrecorded):
                    self._write_tracking()
            except IntegrityError:
                # another instance answered this event first (its tracking row is there), or
                # an outcome moved on meanwhile: the next call resumes from the tracked position
                self._unrecorded, self._answered_up_to = None, 0
            finally:
                self._deferring = False
            return self._appended_up_to

    def pull_and_process(
        self, leader_name: str, start: int | None = None, stop: int | None = None
    ) -> None:
        """The library's, answering what this process appended itself as it was saved when
        it appended every position from ``start`` to ``stop`` (no query, no decoding)."""
        if start is None or stop is None:
            super().pull_and_process(leader_name, start, stop)
            return
        own = self._appended.after(start, stop, self.pull_section_size, TOPICS)
        if own is None:
            super().pull_and_process(leader_name, start, stop)
            return
        for position, event in own:
            if position > stop:
                break
            self.process_event(event, Tracking(leader_name, position))

    def pull_notifications(
        self,
        leader_name: str,
        start: int | None,
        stop: int | None = None,
        *,
        inclusive_of_start: bool = True,
    ) -> Iterator[Sequence[Notification]]:
        """The library's sections of the followed log, without the query that finds nothing
        after a short section: a section shorter than asked for was the rest of the log up to
        ``stop`` when read (on PostgreSQL every query is a round trip, and this one was made on
        every write). What is appended later is pulled by the next call."""
        size = self.pull_section_size
        for section in super().pull_notifications(
            leader_name, start, stop, inclusive_of_start=inclusive_of_start
        ):
            yield section
            if len(section) < size or (stop is not None and section[-1].id >= stop):
                return

    def _tracking_is_due(self, tracking: Tracking) -> bool:
        """Whether the answers that recorded nothing since the tracked position are enough,
        or old enough, to write the position down."""
        position, written_at = self._tracked_at
        return (
            tracking.notification_id - position >= TRACK_EVERY_EVENTS
            or time.monotonic() - written_at >= TRACK_EVERY_SECONDS
        )

    def _write_tracking(self) -> None:
        if self._unrecorded is not None:
            super()._record(ProcessingEvent(tracking=self._unrecorded))
            self._tracked_at = (self._unrecorded.notification_id, time.monotonic())
            self._unrecorded = None

    def close(self) -> None:
        """Write down the position answered so far before closing. Best effort: when another
        instance has recorded as far or further, or the store is already closed (a close from
        ``__del__`` at exit), those answers are simply given again by the next process."""
        with self._workflow_lock, suppress(EventSourcingError):
            self._write_tracking()
        self._unrecorded = None
        super().close()

    def _record(self, processing_event: ProcessingEvent[UUID]) -> Any:
        """Chain each event to the previous one of its aggregate before it is stored.

        An answer of the workflow policy that records nothing only moves its tracking
        position: that is written down with the next answer that records something, or once
        enough such answers (or seconds) have gone by, or on ``close``; until then this process
        starts from where it answered. A write then costs one transaction, not two, and a
        backlog one per answer that matters. If the process dies first, those events are
        answered again after it, and answer nothing again: the policy looks only at what was
        planned before each event's position (``WorkflowPolicy._each_waiting``) and reaching
        a reached milestone is no change."""
        tracking = processing_event.tracking
        if tracking is not None:
            self._answered_up_to = max(self._answered_up_to, tracking.notification_id)
        if self._deferring and tracking is not None and not processing_event.events:
            self._unrecorded = tracking
            return []
        if tracking is not None:
            self._unrecorded = None
            self._tracked_at = (tracking.notification_id, time.monotonic())
        heads: dict[UUID, tuple[int, str]] = {}
        for event in processing_event.events:
            heads[event.originator_id] = self._chain(event, heads)
        recordings = super()._record(processing_event)
        self._appended.add(recordings)
        self._chain_heads.update(heads)  # only once they are stored
        if tracking is not None and recordings:  # the policy's answer
            newest = max(r.notification.id for r in recordings)
            self._appended_up_to = max(self._appended_up_to, newest)
        return recordings

    def fact(
        self,
        occurred_on: date,
        actor: str,
        source: str = "",
        precision: Precision = Precision.DAY,
    ) -> Provenance:
        """Provenance for a command, stamped with this application's clock."""
        return Provenance(occurred_on, actor, source, precision, recorded_at=self.clock.now())

    @property
    def forum_id(self) -> UUID:
        return forum_id(self.forum_code)

    def find_forum(self) -> Forum | None:
        try:
            forum: object = self.repository.get(self.forum_id)
        except AggregateNotFoundError:
            return None
        assert isinstance(forum, Forum)
        return forum

    def events_of(self, aggregate_id: UUID, up_to_version: int | None = None) -> list[Any]:
        """Every event of one aggregate, in order (up to a version when given)."""
        return list(self.events.get(aggregate_id, lte=up_to_version))

    def events_of_many(self, aggregate_ids: Sequence[UUID]) -> dict[UUID, list[Any]]:
        return {aggregate_id: self.events_of(aggregate_id) for aggregate_id in aggregate_ids}

    def forum_events(self, through: int | None = None) -> list[Any]:
        """The forum's events (up to at least log position ``through`` when given)."""
        return self._forum.events(through)

    def calendar(self, on: date | None = None, through: int | None = None) -> Calendar:
        """The forum calendar as it stood on ``on`` (today's knowledge when None); with
        ``through``, knowing at least the forum's events up to that log position."""
        return self._forum.calendar(on, through)

    def exists(self, aggregate_id: UUID) -> bool:
        """Whether the store holds the aggregate: known without asking for one this process
        has loaded or saved (a stream, once stored, is never removed)."""
        if aggregate_id in self._chain_heads:
            return True
        return bool(list(self.events.get(aggregate_id, lte=1)))

    def head_position(self) -> int:
        """The notification-log position of the newest event (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    def log_table(self) -> LogTable:
        """Where the store keeps the log, for projections the database copies from it."""
        return self._reader().table

    def notifications(
        self,
        after: int,
        limit: int,
        topics: Sequence[str] = (),
        through: int | None = None,
        skip: Seeds | None = None,
    ) -> list[tuple[int, Any]]:
        """Decoded events of the notification log after ``after`` (log positions may skip);
        ``through``: a position the caller knows is stored, when it needs the log only that
        far (what this process appended itself is then handed over as saved); ``skip``: the
        events a rebuilding projection's seeded states hold, handed over undecoded (None)."""
        read = None if through is None else self._appended.after(after, through, limit, topics)
        if read is None:
            read = self._reader().read(after, limit, topics, skip)
        if not topics or FORUM_TOPICS.issubset(topics):
            self._forum.observed(after, read)
        return read

    def snapshotted_records(self) -> list[OutcomeRecord]:
        """Every outcome's record as of its newest snapshot in the current shape."""
        return [] if self.snapshots is None else newest_records(self.snapshots)

    def _reader(self) -> LogReader:
        if self._log_reader is None:
            self._log_reader = LogReader(self.recorder, self.mapper)
        return self._log_reader
