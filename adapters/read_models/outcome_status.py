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
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Engine,
    Integer,
    Select,
    String,
    Table,
    Text,
    bindparam,
    delete,
    false,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError, OperationalError

from adapters.read_models.event_data import plain
from adapters.read_models.metadata import metadata
from adapters.read_models.projection import EventSource, Projection
from domain.calendar import Calendar
from domain.deadlines import DeadlineKind
from domain.forum import Forum
from domain.outcome import Outcome
from domain.outcome_history import fold_outcome
from domain.outcome_record import OutcomeRecord
from domain.status import StatusReport, status_of_record

outcomes = Table(
    "outcomes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("forum", String(64), nullable=False),
    Column("code", String(120), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("meeting_id", String(36), index=True),
    Column("roundtable", String(32), nullable=False),
    Column("session", String(32), nullable=False),
    Column("adopted_on", Date, nullable=False),
    Column("working_group_id", String(36), index=True),
    Column("deadline_kind", String(16)),
    Column("deadline_meeting_kind", String(64)),
    Column("deadline_set_on", Date),
    Column("deadline_text", String(200)),
    Column("due_on", Date, index=True),
    Column("deadline_anchor", String(300), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("status_reason", Text, nullable=False),
    Column("status_rule", String(32), nullable=False, server_default=""),
    Column("status_details", JSON, nullable=False, server_default="{}"),
    Column("changes_on", Date, index=True),
    Column("completed_on", Date),
    Column("percent_complete", Integer),
    Column("progress_reports", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("public", Boolean, nullable=False, server_default=false()),
)

responsibilities = Table(
    "outcome_responsibilities",
    metadata,
    Column("outcome_id", String(36), primary_key=True),
    Column("state", String(16), primary_key=True, index=True),
    Column("role", String(16), nullable=False),
)

milestones = Table(
    "outcome_milestones",
    metadata,
    Column("milestone_id", String(36), primary_key=True),
    Column("outcome_id", String(36), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("working_group_id", String(36), index=True),
    Column("survey_id", String(36), index=True),
    Column("meeting_kind", String(64)),
    Column("cycle", Integer, nullable=False),
    Column("planned_position", BigInteger, nullable=False),
    Column("reached", Boolean, nullable=False),
    Column("reached_on", Date),
    Column("cause_aggregate_id", String(36), index=True),
    Column("cause_version", Integer),
    Column("cause_type", String(100)),
)

MEETING_EVENTS = (
    Forum.MeetingScheduled,
    Forum.MeetingRescheduled,
    Forum.MeetingCancelled,
    Forum.MeetingHeld,
)


class OutcomeStatusProjection(Projection):
    name: ClassVar[str] = "outcome_status"
    tables: ClassVar[tuple[Table, ...]] = (milestones, responsibilities, outcomes)
    event_classes: ClassVar[tuple[type, ...]] = (
        Outcome.Adopted,
        Outcome.ResponsibilityAssigned,
        Outcome.ResponsibilityReleased,
        Outcome.WorkingGroupAssigned,
        Outcome.DeadlineSet,
        Outcome.ProgressReported,
        Outcome.ProgressReportRetracted,
        Outcome.Completed,
        Outcome.Reopened,
        Outcome.Withdrawn,
        Outcome.Superseded,
        Outcome.PublicityChanged,
        Outcome.MilestonePlanned,
        Outcome.MilestoneRemoved,
        Outcome.MilestoneReached,
        Outcome.MilestoneReopened,
        *MEETING_EVENTS,
    )

    #: folded records kept between batches (a rebuild touches every outcome again and again)
    cache_limit: ClassVar[int] = 50_000

    def __init__(self, today: Callable[[], date], due_soon_days: int) -> None:
        self.today = today
        self.due_soon_days = due_soon_days
        self.prepared: list[tuple[OutcomeRecord, StatusReport]] = []
        self.planned_at: dict[str, int] = {}
        self.day = today()
        self.records: dict[UUID, OutcomeRecord] = {}
        self.calendar_at: tuple[int, Calendar] | None = None
        #: records of outcomes just saved in this process (appended by the saving thread, taken
        #: in by the projecting one: a list append is atomic)
        self.offered: list[OutcomeRecord] = []

    def forget(self) -> None:
        self.records = {}
        self.calendar_at = None
        self.offered = []

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
        self.planned_at = {}
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
        stored: dict[UUID, int] = {}
        if calendar_changed:
            anchored = reader.execute(
                select(outcomes.c.id, outcomes.c.version).where(
                    outcomes.c.deadline_kind == str(DeadlineKind.NEXT_MEETING)
                )
            )
            stored = {UUID(row.id): row.version for row in anchored}
        calendar = self.current_calendar(source)
        for outcome_id in sorted(new.keys() | stored.keys(), key=str):  # one order everywhere
            record = self.record_of(outcome_id, new.get(outcome_id, []), stored, source)
            if record is not None:
                report = status_of_record(record, calendar, self.day, self.due_soon_days)
                self.prepared.append((record, report))

    def current_calendar(self, source: EventSource) -> Calendar:
        """Today's calendar, folded again only when the log has grown since the last fold."""
        head = source.head_position()
        if self.calendar_at is None or self.calendar_at[0] != head:
            self.calendar_at = (head, source.calendar())
        return self.calendar_at[1]

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

    def apply(self, connection: Connection, event: Any, position: int) -> None:
        """Nothing per event: the rows were computed in ``prepare``."""

    def end_batch(self, connection: Connection, source: EventSource) -> None:
        write_rows(connection, self.prepared, self.day, self.planned_at)


def follows(version: int, events: list[Any]) -> bool:
    """``events`` are the versions right after ``version``, in order, without a gap."""
    return bool(events) and all(
        event.originator_version == version + offset for offset, event in enumerate(events, start=1)
    )


def write_rows(
    connection: Connection,
    prepared: list[tuple[OutcomeRecord, StatusReport]],
    today: date,
    planned_at: dict[str, int] | None = None,
) -> None:
    """``write_row`` for many outcomes at once: a few statements per chunk, not per outcome.

    An outcome's milestone and responsibility rows are rewritten only where they differ from
    the stored ones: a progress report, most of what is written, changes neither, and on
    PostgreSQL each statement is a round trip."""
    for start in range(0, len(prepared), WRITE_CHUNK):
        chunk = prepared[start : start + WRITE_CHUNK]
        keys = [str(record.id) for record, _ in chunk]
        stored_milestones = _stored(connection, milestones, milestones.c.outcome_id, keys)
        known = {
            row["milestone_id"]: row["planned_position"]
            for rows in stored_milestones.values()
            for row in rows
        }
        known.update(planned_at or {})
        connection.execute(DELETE_OUTCOMES, {"keys": keys})
        connection.execute(
            INSERT_OUTCOMES, [row_values(record, report, today) for record, report in chunk]
        )
        _replace_changed(
            connection,
            milestones,
            milestones.c.outcome_id,
            stored_milestones,
            {str(record.id): milestone_rows(record, known) for record, _ in chunk},
        )
        _replace_changed(
            connection,
            responsibilities,
            responsibilities.c.outcome_id,
            _stored(connection, responsibilities, responsibilities.c.outcome_id, keys),
            {str(record.id): responsibility_rows(record) for record, _ in chunk},
        )


def _stored(
    connection: Connection, table: Table, outcome_id: Column[Any], keys: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Each outcome's stored rows of ``table``."""
    found: dict[str, list[dict[str, Any]]] = {}
    query = STORED.get(table.name)
    if query is None:
        query = STORED[table.name] = select(table).where(
            outcome_id.in_(bindparam("keys", expanding=True))
        )
    for row in connection.execute(query, {"keys": keys}).mappings():
        found.setdefault(row["outcome_id"], []).append(dict(row))
    return found


def _replace_changed(
    connection: Connection,
    table: Table,
    outcome_id: Column[Any],
    stored: dict[str, list[dict[str, Any]]],
    wanted: dict[str, list[dict[str, Any]]],
) -> None:
    """Delete and insert the rows of the outcomes whose wanted rows differ from the stored."""
    changed = [key for key, rows in wanted.items() if _rowset(rows) != _rowset(stored.get(key, []))]
    if not changed:
        return
    connection.execute(delete(table).where(outcome_id.in_(changed)))
    rows = [row for key in changed for row in wanted[key]]
    if rows:
        connection.execute(insert(table), rows)


def _rowset(rows: list[dict[str, Any]]) -> set[tuple[tuple[str, Any], ...]]:
    return {tuple(sorted(row.items())) for row in rows}


WRITE_CHUNK = 400
# built once: building a statement costs more than running it (SQLAlchemy's cache key)
DELETE_OUTCOMES = delete(outcomes).where(outcomes.c.id.in_(bindparam("keys", expanding=True)))
INSERT_OUTCOMES = insert(outcomes)
STORED: dict[str, Select[Any]] = {}


def milestone_rows(record: OutcomeRecord, known: dict[str, int]) -> list[dict[str, Any]]:
    key = str(record.id)
    return [
        {
            "milestone_id": str(m.id),
            "outcome_id": key,
            "kind": str(m.kind),
            "title": m.title,
            "working_group_id": str(m.working_group_id) if m.working_group_id else None,
            "survey_id": str(m.survey_id) if m.survey_id else None,
            "meeting_kind": m.meeting_kind,
            "cycle": m.cycle,
            "planned_position": known.get(str(m.id), 0),
            "reached": m.reached,
            "reached_on": m.reached_by.occurred_on if m.reached_by else None,
            "cause_aggregate_id": str(m.reached_by.aggregate_id) if m.reached_by else None,
            "cause_version": m.reached_by.version if m.reached_by else None,
            "cause_type": m.reached_by.event_type if m.reached_by else None,
        }
        for m in record.milestones.values()
    ]


def responsibility_rows(record: OutcomeRecord) -> list[dict[str, str]]:
    return [
        {"outcome_id": str(record.id), "state": state, "role": str(role)}
        for state, role in sorted(record.responsible.items())
    ]


def write_row(
    connection: Connection,
    record: OutcomeRecord,
    report: StatusReport,
    today: date,
    planned_at: dict[str, int] | None = None,
) -> None:
    """Replace the outcome's row, responsibilities and milestones with what the record says.

    A milestone row keeps the log position of its planning: the workflow policy only lets a
    fact fulfil milestones planned before it in the log.
    """
    write_rows(connection, [(record, report)], today, planned_at)


def row_values(record: OutcomeRecord, report: StatusReport, today: date) -> dict[str, Any]:
    deadline = record.deadline
    return {
        "id": str(record.id),
        "forum": record.forum,
        "code": record.code,
        "title": record.title,
        "summary": record.summary,
        "meeting_id": str(record.meeting_id) if record.meeting_id else None,
        "roundtable": record.roundtable,
        "session": record.session,
        "adopted_on": record.adopted_on,
        "working_group_id": str(record.working_group_id) if record.working_group_id else None,
        "deadline_kind": str(deadline.kind) if deadline else None,
        "deadline_meeting_kind": deadline.meeting_kind if deadline else None,
        "deadline_set_on": deadline.set_on if deadline else None,
        "deadline_text": deadline.describe() if deadline else None,
        "due_on": report.due_on,
        "deadline_anchor": report.deadline_anchor,
        "status": str(report.status),
        "status_reason": report.reason,
        "status_rule": report.rule,
        "status_details": plain(report.details),
        "changes_on": report.changes_on,
        "completed_on": record.last_completed_on,
        "percent_complete": record.latest_percent,
        "progress_reports": len(record.live_reports),
        "version": record.version,
        "public": record.public,
    }


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
