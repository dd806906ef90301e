"""Read model "where does each outcome stand": one row per outcome with its current status,
plus who is responsible for it (the per-state view).

Rows are recomputed from the outcome's events and the calendar, so a reschedule of the meeting
a deadline is anchored to moves that deadline. A status also changes with the passing of days
(due soon, then overdue): each row keeps ``changes_on``, and ``refresh_statuses`` recomputes the
rows whose day has come.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    select,
)
from sqlalchemy.exc import IntegrityError, OperationalError

from adapters.read_models.outcome_rows import write_rows
from adapters.read_models.outcome_tables import milestones as milestones
from adapters.read_models.outcome_tables import outcomes as outcomes
from adapters.read_models.outcome_tables import responsibilities as responsibilities
from adapters.read_models.projection import EventSource, Projection, Seeds
from domain.calendar import Calendar
from domain.deadlines import DeadlineKind
from domain.forum import Forum
from domain.outcome import Outcome
from domain.outcome_history import fold_outcome
from domain.outcome_record import OutcomeRecord
from domain.status import StatusReport, status_of_record

MEETING_EVENTS = (
    Forum.MeetingScheduled,
    Forum.MeetingRescheduled,
    Forum.MeetingCancelled,
    Forum.MeetingHeld,
)

#: events that change neither an outcome's milestones nor who is responsible for it: after a
#: batch of only these (most are progress reports), its milestone and responsibility rows are
#: still those the batches before wrote, and need not even be read to be compared
LEAVE_PLAN_AND_RESPONSIBLE = (
    Outcome.WorkingGroupAssigned,
    Outcome.DeadlineSet,
    Outcome.ProgressReported,
    Outcome.ProgressReportRetracted,
    Outcome.Completed,
    Outcome.Reopened,
    Outcome.Withdrawn,
    Outcome.Superseded,
    Outcome.PublicityChanged,
)


class OutcomeStatusProjection(Projection):
    name: ClassVar[str] = "outcome_status"
    tables: ClassVar[tuple[Table, ...]] = (milestones, responsibilities, outcomes)
    event_classes: ClassVar[tuple[type, ...]] = (
        Outcome.Adopted,
        Outcome.ResponsibilityAssigned,
        Outcome.ResponsibilityReleased,
        *LEAVE_PLAN_AND_RESPONSIBLE,
        Outcome.MilestonePlanned,
        Outcome.MilestoneRemoved,
        Outcome.MilestoneReached,
        Outcome.MilestoneReopened,
        *MEETING_EVENTS,
    )

    #: folded records kept between batches (a rebuild touches every outcome again and again)
    cache_limit: ClassVar[int] = 50_000
    #: in a backlog, an interleaved log touches nearly every outcome in every batch: the rows
    #: of a million-event rebuild were computed and written 51 times over (half its time)
    can_hold_back: ClassVar[bool] = True

    def __init__(self, today: Callable[[], date], due_soon_days: int) -> None:
        self.today = today
        self.due_soon_days = due_soon_days
        self.prepared: list[tuple[OutcomeRecord, StatusReport]] = []
        self.planned_at: dict[str, int] = {}
        #: outcomes of the batch whose milestone and responsibility rows it leaves as they are
        self.plan_unchanged: set[str] = set()
        self.day = today()
        self.records: dict[UUID, OutcomeRecord] = {}
        #: records of outcomes just saved in this process (appended by the saving thread, taken
        #: in by the projecting one: a list append is atomic)
        self.offered: list[OutcomeRecord] = []
        #: outcomes touched by batches held back (True where one of their events changed the
        #: plan or who is responsible), and whether a held batch moved the calendar
        self.held: dict[UUID, bool] = {}
        self.held_calendar = False
        self._seeds: Seeds | None = None

    def forget(self) -> None:
        self.records = {}
        self.offered = []
        self.drop_held()

    def drop_held(self) -> None:
        self.held = {}
        self.held_calendar = False
        self.planned_at = {}
        self._seeds = None  # the log is read again from the tracked position, all of it

    def seed(self, source: EventSource) -> None:
        """Start a rebuild from each outcome's newest snapshot: its record folds the events
        up to the snapshot's version, so only those after it are decoded and folded. Every
        seeded outcome's rows are written by the rebuild's last batch, whether or not the
        log holds events after its snapshot. A milestone's planning event is still decoded:
        its row keeps the planning's log position, which the record does not hold."""
        records = source.snapshotted_records()[: self.cache_limit]
        self.records = {record.id: record for record in records}
        self.held = dict.fromkeys(self.records, True)
        versions: dict[UUID | str, int] = {}
        for record in records:
            versions[record.id] = versions[record.id.hex] = record.version
        self._seeds = Seeds(versions, seeded_topics())

    @property
    def seeds(self) -> Seeds | None:
        return self._seeds

    def offer(self, record: OutcomeRecord) -> None:
        """The record of an outcome this process has just saved, folded by the command that
        saved it from the same events: kept, the projection need not read and fold the whole
        stream again. It must hold exactly the stored events (it is offered after the save)."""
        self.offered.append(record)

    def _take_offered(self) -> None:
        offered, self.offered = self.offered, []
        for record in offered:
            kept = self.records.get(record.id)
            if kept is None or kept.version < record.version:
                self.records[record.id] = record

    def begin_batch(self, source: EventSource) -> None:
        self.prepared = []
        if not self.held and not self.held_calendar:  # else they gather over the held batches
            self.planned_at = {}
        self.plan_unchanged = set()
        self.day = self.today()

    def prepare(
        self, batch: list[tuple[int, Any]], source: EventSource, reader: Connection
    ) -> None:
        """Fold every outcome the batch touches (and, when the calendar moved, every outcome
        anchored to a meeting) before the write transaction opens."""
        self._take_offered()
        new: dict[UUID, list[Any]] = {}
        calendar_changed = False
        for position, event in batch:
            if isinstance(event, MEETING_EVENTS):
                calendar_changed = True
                continue
            new.setdefault(event.originator_id, []).append(event)
            if isinstance(event, Outcome.MilestonePlanned):
                self.planned_at[str(event.milestone_id)] = position
        if self.holding:  # fold only: the rows are computed once, by the backlog's last batch
            for outcome_id, events in new.items():
                self.record_of(outcome_id, events, {}, source)
                self.held[outcome_id] = self.held.get(outcome_id, False) or changes_plan(events)
            self.held_calendar = self.held_calendar or calendar_changed
            return
        held, self.held = self.held, {}
        calendar_changed, self.held_calendar = calendar_changed or self.held_calendar, False
        self._seeds = None  # the backlog's last batch: its events were all read
        stored: dict[UUID, int] = {}
        if calendar_changed:
            anchored = reader.execute(
                select(outcomes.c.id, outcomes.c.version).where(
                    outcomes.c.deadline_kind == str(DeadlineKind.NEXT_MEETING)
                )
            )
            stored = {UUID(row.id): row.version for row in anchored}
        # kept by the application until the forum's stream moves; every meeting event up to
        # the batch's end is in it (the workflow policy, answering these events, asks no more)
        calendar = source.calendar(through=batch[-1][0] if batch else None)
        touched = new.keys() | stored.keys() | held.keys()
        for outcome_id in sorted(touched, key=str):  # one order everywhere
            events = new.get(outcome_id, [])
            record = self.records.get(outcome_id) if outcome_id in held and not events else None
            record = record or self.record_of(outcome_id, events, stored, source)
            if record is not None:
                report = status_of_record(record, calendar, self.day, self.due_soon_days)
                self.prepared.append((record, report))
                if not held.get(outcome_id, False) and not changes_plan(events):
                    self.plan_unchanged.add(str(outcome_id))

    def record_of(
        self, outcome_id: UUID, new: list[Any], stored: dict[UUID, int], source: EventSource
    ) -> OutcomeRecord | None:
        """The outcome's record: the kept one moved on by the batch's events when they follow
        on from it without a gap, else a fresh fold of every stored event."""
        kept = self.records.get(outcome_id)
        if kept is not None and new:
            # a record folded from the store already holds every event stored then: while a
            # backlog is caught up (a rebuild), the batch's events are often among them
            unseen = [event for event in new if event.originator_version > kept.version]
            if not unseen:
                return kept
            new = unseen
        if kept is not None and follows(kept.version, new):
            for event in new:
                event.record_in(kept)
                kept.version = event.originator_version
            return kept
        if kept is not None and not new and stored.get(outcome_id) == kept.version:
            return kept
        if new and follows(0, new):
            record = fold_outcome(new)
        else:
            record = fold_outcome(source.events_of(outcome_id))
        if record is not None:
            if len(self.records) >= self.cache_limit:
                self.records.pop(next(iter(self.records)))
            self.records[outcome_id] = record
        return record

    applies_each_event: ClassVar[bool] = False

    def apply(self, connection: Connection, event: Any, position: int) -> None:
        """Nothing per event (not called): the rows were computed in ``prepare``."""

    def end_batch(self, connection: Connection, source: EventSource) -> None:
        write_rows(connection, self.prepared, self.day, self.planned_at, self.plan_unchanged)


@cache
def seeded_topics() -> frozenset[str]:
    """What a seeded record already holds of what the projection reads: all the outcome's
    events but the planning of a milestone (its row keeps the planning's log position)."""
    skipped = {*MEETING_EVENTS, Outcome.MilestonePlanned}
    return frozenset(
        get_topic(cls) for cls in OutcomeStatusProjection.event_classes if cls not in skipped
    )


def changes_plan(events: list[Any]) -> bool:
    """Whether one of ``events`` may change the outcome's milestones or who is responsible."""
    return not all(isinstance(event, LEAVE_PLAN_AND_RESPONSIBLE) for event in events)


def follows(version: int, events: list[Any]) -> bool:
    """``events`` are the versions right after ``version``, in order, without a gap."""
    return bool(events) and all(
        event.originator_version == version + offset for offset, event in enumerate(events, start=1)
    )


def refresh_statuses(
    engine: Engine,
    source: EventSource,
    today: date,
    due_soon_days: int,
    calendar: Calendar | None = None,
) -> int:
    """Recompute the rows whose status changes by ``today`` without any new event.

    Several instances may do it at once: the loser of a race rolls back, the winner's rows stand.
    """
    try:
        return _refresh(engine, source, today, due_soon_days, calendar)
    except (IntegrityError, OperationalError):  # a race or a deadlock with another instance
        return 0


def _refresh(
    engine: Engine,
    source: EventSource,
    today: date,
    due_soon_days: int,
    calendar: Calendar | None,
) -> int:
    with engine.connect() as reader:
        stale = sorted(  # one order for every instance: fewer deadlocks
            reader.execute(select(outcomes.c.id).where(outcomes.c.changes_on <= today)).scalars()
        )
    if not stale:
        return 0
    calendar = calendar or source.calendar()
    rows = []
    for outcome_id in stale:  # read the events before the write transaction opens
        record = fold_outcome(source.events_of(UUID(outcome_id)))
        if record is not None:
            rows.append((record, status_of_record(record, calendar, today, due_soon_days)))
    with engine.begin() as connection:
        write_rows(connection, rows, today)
    return len(stale)
