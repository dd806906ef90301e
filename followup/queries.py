"""Read queries behind the API: current status from the read models, past status from events.

"As of" a past day is answered by folding each outcome's events that had occurred by then
against the calendar as it stood that day — never from the current row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from adapters.read_models.forum_calendar import find_meeting, meetings, state_codes
from adapters.read_models.metadata import read_model_state
from adapters.read_models.outcome_events import outcome_events
from adapters.read_models.outcome_status import outcomes, refresh_statuses, responsibilities
from adapters.read_models.working_groups import find_working_group, working_groups
from domain.calendar import Calendar, Meeting
from domain.forum import calendar_as_of
from domain.identity import record_id
from domain.outcome_history import fold_outcome
from domain.outcome_record import OutcomeRecord
from domain.status import Status, StatusReport, status_of_record
from followup.bootstrap import Container
from followup.kept_history import history_of
from followup.outcome_views import Named, Names, OutcomeView, view_from_record, view_from_row
from followup.plan_steps import PlanStep, plan_step

OPEN_STATUSES = {Status.NOT_STARTED, Status.IN_PROGRESS, Status.DUE_SOON, Status.OVERDUE}


class UnknownFilterError(ValueError):
    """A filter names a state, working group or meeting the forum does not have."""

    def __init__(self, field: str, value: str) -> None:
        super().__init__(f"unknown {field.replace('_', ' ')} {value!r}")
        self.field = field


@dataclass(frozen=True)
class OutcomeFilter:
    status: Status | None = None
    state: str | None = None
    working_group: str | None = None
    meeting: str | None = None


@dataclass(frozen=True)
class Detail:
    """One outcome in full: its view, its record (for the progress reports) and the day."""

    view: OutcomeView
    record: OutcomeRecord
    on: date
    plan: list[PlanStep] = field(default_factory=list)


class OutcomeQueries:
    def __init__(self, container: Container) -> None:
        self.container = container
        self.forum = container.settings.forum
        self._calendars: dict[tuple[int, date | None], Calendar] = {}
        self._names: tuple[tuple[tuple[str, int], ...], Names] | None = None

    @property
    def today(self) -> date:
        return self.container.clock.today()

    # -- lookups ----------------------------------------------------------------------------

    def names(self, connection: Connection) -> Names:
        """Meeting and group names, read again only when a read model has moved."""
        key = read_model_state(connection)
        kept = self._names
        if kept is not None and kept[0] == key:
            return kept[1]
        names = self._read_names(connection)
        self._names = (key, names)
        return names

    def _read_names(self, connection: Connection) -> Names:
        found_meetings = {
            r.id: Named(r.id, r.code, r.title)
            for r in connection.execute(select(meetings).where(meetings.c.forum == self.forum))
        }
        groups = {
            r.id: Named(r.id, r.code, r.name)
            for r in connection.execute(
                select(working_groups).where(working_groups.c.forum == self.forum)
            )
        }
        return Names(found_meetings, groups)

    def resolve_filter(self, connection: Connection, wanted: OutcomeFilter) -> dict[str, str]:
        """Filter values as ids, or UnknownFilterError naming the field."""
        resolved: dict[str, str] = {}
        if wanted.state is not None:
            if wanted.state not in state_codes(connection, self.forum):
                raise UnknownFilterError("state", wanted.state)
            resolved["state"] = wanted.state
        if wanted.working_group is not None:
            group = find_working_group(connection, self.forum, wanted.working_group)
            if group is None:
                raise UnknownFilterError("working_group", wanted.working_group)
            resolved["working_group"] = group.id
        if wanted.meeting is not None:
            meeting = find_meeting(connection, self.forum, wanted.meeting)
            if meeting is None:
                raise UnknownFilterError("meeting", wanted.meeting)
            resolved["meeting"] = meeting.id
        return resolved

    def outcome_key(self, key: str) -> UUID:
        """The id an outcome has if ``key`` names one (its id, or its code), held or not."""
        try:
            return UUID(key)
        except ValueError:
            return record_id(self.forum, "outcome", key)

    def outcome_id(self, key: str) -> UUID | None:
        """An outcome's id from its id or its code, if the store has it."""
        candidate = self.outcome_key(key)
        if outcome_events(self.container.app).stream(candidate) is not None:
            return candidate  # its events are kept: the store has them (streams only grow)
        return candidate if self.container.app.exists(candidate) else None

    # -- current ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Bring statuses whose day has come up to date (cheap when none has)."""
        refresh_statuses(
            self.container.engine,
            self.container.app,
            self.today,
            self.container.settings.due_soon_days,
        )

    def list_current(
        self, wanted: OutcomeFilter, limit: int = 100, offset: int = 0
    ) -> tuple[list[OutcomeView], int]:
        self.refresh()
        with self.container.engine.connect() as connection:
            ids = self.resolve_filter(connection, wanted)
            query = select(outcomes).where(outcomes.c.forum == self.forum)
            if wanted.status is not None:
                query = query.where(outcomes.c.status == str(wanted.status))
            if "state" in ids:
                query = query.where(
                    outcomes.c.id.in_(
                        select(responsibilities.c.outcome_id).where(
                            responsibilities.c.state == ids["state"]
                        )
                    )
                )
            if "working_group" in ids:
                query = query.where(outcomes.c.working_group_id == ids["working_group"])
            if "meeting" in ids:
                query = query.where(outcomes.c.meeting_id == ids["meeting"])
            rows = list(connection.execute(query.order_by(outcomes.c.adopted_on, outcomes.c.code)))
            page = rows[offset : offset + limit]
            states = self.responsibilities_of(connection, [r.id for r in page])
            names = self.names(connection)
            views = [view_from_row(r, states.get(r.id, []), names) for r in page]
        return views, len(rows)

    @staticmethod
    def responsibilities_of(
        connection: Connection, outcome_ids: list[str]
    ) -> dict[str, list[dict[str, str]]]:
        found: dict[str, list[dict[str, str]]] = defaultdict(list)
        if outcome_ids:
            for row in connection.execute(
                select(responsibilities)
                .where(responsibilities.c.outcome_id.in_(outcome_ids))
                .order_by(responsibilities.c.state)
            ):
                found[row.outcome_id].append({"state": row.state, "role": row.role})
        return found

    # -- as of ------------------------------------------------------------------------------

    def calendar(self, on: date | None, head: int | None = None) -> Calendar:
        """The calendar on ``on``, folded again only when the log has grown since (a caller
        that read the log's ``head`` for its page passes it instead of asking again)."""
        app = self.container.app
        key = (app.head_position() if head is None else head, on)
        found = self._calendars.get(key)
        if found is None:
            if len(self._calendars) > 64:
                self._calendars.clear()
            found = self._calendars[key] = calendar_as_of(app.events_of(app.forum_id), on)
        return found

    def status(self, record: OutcomeRecord, calendar: Calendar, on: date) -> StatusReport:
        return status_of_record(record, calendar, on, self.container.settings.due_soon_days)

    def records_as_of(self, on: date) -> list[OutcomeRecord]:
        """Every outcome adopted by ``on``, folded from its events that had occurred by then."""
        with self.container.engine.connect() as connection:
            ids = connection.execute(
                select(outcomes.c.id)
                .where(outcomes.c.forum == self.forum)
                .where(outcomes.c.adopted_on <= on)
                .order_by(outcomes.c.adopted_on, outcomes.c.code)
            ).scalars()
            candidates = [UUID(i) for i in ids]
        events = outcome_events(self.container.app)
        events.sync()
        records = []
        for outcome_id in candidates:
            record = events.fold(outcome_id, on)
            if record is not None:
                records.append(record)
        return records

    def list_as_of(
        self, wanted: OutcomeFilter, on: date, limit: int = 100, offset: int = 0
    ) -> tuple[list[OutcomeView], int]:
        with self.container.engine.connect() as connection:
            ids = self.resolve_filter(connection, wanted)
            names = self.names(connection)
        calendar = self.calendar(on)
        views = []
        for record in self.records_as_of(on):
            if not _matches(record, ids):
                continue
            report = self.status(record, calendar, on)
            if wanted.status is not None and report.status != wanted.status:
                continue
            views.append(view_from_record(record, report, names))
        return views[offset : offset + limit], len(views)

    # -- one outcome ------------------------------------------------------------------------

    def detail(
        self,
        outcome_id: UUID,
        on: date | None = None,
        events: list[Any] | None = None,
        names: Names | None = None,
        head: int | None = None,
    ) -> Detail | None:
        """The outcome as of ``on`` (today when None); None if not adopted by then. A caller
        that also shows the history passes the ``events`` it read, so they are read once, and
        may pass the ``names`` it read on a connection it needed anyway and the log ``head``."""
        day = on or self.today
        if events is None:
            events = self.container.app.events_of(outcome_id)
        record = fold_outcome(events, day)
        if record is None:
            return None
        calendar = self.calendar(day, head)
        report = self.status(record, calendar, day)
        if names is None:
            with self.container.engine.connect() as connection:
                names = self.names(connection)
        app = self.container.app
        plan = [plan_step(app, m, calendar, names) for m in record.milestones.values()]
        plan.sort(key=lambda step: (step.due_on or date.max, step.milestone.cycle))
        return Detail(view_from_record(record, report, names), record, day, plan)

    def history(self, outcome_id: UUID, head: int | None = None) -> list[Any]:
        """Every event of one aggregate, in order (``kept_history.history_of``)."""
        return history_of(self.container.app, outcome_id, head)

    # -- the next meeting -------------------------------------------------------------------

    def next_meeting(self, on: date | None = None) -> tuple[Meeting | None, list[OutcomeView]]:
        """The next meeting the Chair convenes, and the open outcomes due by it."""
        day = on or self.today
        calendar = self.calendar(day)
        meeting = calendar.next_chair_meeting(day)
        if meeting is None:
            return None, []
        with self.container.engine.connect() as connection:
            names = self.names(connection)
        due = []
        for record in self.records_as_of(day):
            report = self.status(record, calendar, day)
            if (
                report.status in OPEN_STATUSES
                and report.due_on
                and report.due_on <= meeting.starts_on
            ):
                due.append(view_from_record(record, report, names))
        due.sort(key=lambda v: (v.deadline.due_on if v.deadline else day, v.code))
        return meeting, due


def _matches(record: OutcomeRecord, ids: dict[str, str]) -> bool:
    if "state" in ids and ids["state"] not in record.responsible:
        return False
    if "working_group" in ids and str(record.working_group_id) != ids["working_group"]:
        return False
    return not ("meeting" in ids and str(record.meeting_id) != ids["meeting"])
