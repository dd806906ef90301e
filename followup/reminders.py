"""The reminder service: plan digests from the policy, send the due ones through the mailer, and
record every outcome in the ledger (events without personal data)."""

from __future__ import annotations

import os
import socket
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from sqlalchemy import Connection, bindparam, exists, func, select

from adapters.focal_points import FocalPointStore
from adapters.read_models.metadata import projection_tracking
from adapters.read_models.outcome_status import outcomes, responsibilities
from adapters.read_models.reminder_ledger import claim, open_reminders, release, reminders
from domain.calendar import Calendar, Meeting
from domain.reminder import Reminder
from followup.bootstrap import Container
from followup.queries import OutcomeFilter, OutcomeQueries
from followup.reminder_digests import DigestWriter
from notifications.delivery import (
    Mailer,
    RetryPolicy,
    deliver,
)
from notifications.policy import (
    OPEN,
    OpenReminder,
    OwedOutcome,
    PlannedReminder,
    ReminderPolicy,
    cancellations,
    due_now,
    plan,
    plan_for,
    upcoming_meetings,
)

ACTOR = "scheduler:reminders"


def parse_day(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def owed_outcome(
    outcome_id: str,
    code: str,
    title: str,
    status: str,
    due_on: date | None,
    responsible: tuple[str, ...],
    rule: str,
    details: dict[str, Any],
) -> OwedOutcome:
    """An outcome as the reminder policy reads it (from a view or straight from its row)."""
    return OwedOutcome(
        id=UUID(outcome_id),
        code=code,
        title=title,
        status=status,
        due_on=due_on,
        responsible=responsible,
        status_rule=rule,
        status_details=details,
        milestone=details.get("next_milestone"),
        milestone_due=parse_day(details.get("next_milestone_due")),
    )


LEASE = timedelta(minutes=10)
# where the read models stand, the day, and whether every status is up to date for it (if
# not — another instance is still rewriting one — nothing read then is kept)
ReadModelsOn = tuple[tuple[tuple[str, int], ...], date, bool]
# where every read model stands, each row saying whether a status's day has come by the clock's
# day (the rows ``refresh`` would rewrite): built once, asked on every plan
STANDING = select(
    projection_tracking.c.projection,
    projection_tracking.c.position,
    exists().where(outcomes.c.changes_on <= bindparam("today")).label("due"),
).order_by(projection_tracking.c.projection)
# per state, the earliest due day of its open outcomes due by the horizon (``owed_by``'s terms)
OWING = (
    select(responsibilities.c.state, func.min(outcomes.c.due_on))
    .select_from(outcomes.join(responsibilities, responsibilities.c.outcome_id == outcomes.c.id))
    .where(
        outcomes.c.forum == bindparam("forum"),
        outcomes.c.status.in_(sorted(OPEN)),
        outcomes.c.deadline_kind.is_not(None),
        outcomes.c.due_on.is_not(None),
        outcomes.c.due_on <= bindparam("horizon"),
    )
    .group_by(responsibilities.c.state)
)
LATE = select(
    exists().where(outcomes.c.forum == bindparam("forum"), outcomes.c.status == "overdue")
)
OWED_COLUMNS = (
    outcomes.c.id,
    outcomes.c.code,
    outcomes.c.title,
    outcomes.c.status,
    outcomes.c.due_on,
    outcomes.c.deadline_kind,
    outcomes.c.status_rule,
    outcomes.c.status_details,
)


@dataclass
class PlanReport:
    planned: list[PlannedReminder] = field(default_factory=list)
    cancelled: dict[UUID, str] = field(default_factory=dict)


@dataclass
class SendReport:
    sent: list[UUID] = field(default_factory=list)
    failed: list[UUID] = field(default_factory=list)
    retrying: list[UUID] = field(default_factory=list)
    cancelled: dict[UUID, str] = field(default_factory=dict)


class ReminderService(DigestWriter):
    def __init__(
        self,
        container: Container,
        mailer: Mailer | None,
        policy: ReminderPolicy | None = None,
        retry: RetryPolicy | None = None,
        worker: str | None = None,
    ) -> None:
        settings = container.settings
        self.container = container
        self.app = container.app
        self.mailer = mailer
        self.policy = policy or ReminderPolicy(
            tuple(settings.reminder_offsets),
            tuple(settings.reminder_meeting_kinds) if settings.reminder_meeting_kinds else None,
        )
        self.retry = retry or RetryPolicy()
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.queries = OutcomeQueries(container)
        self.focal_points = FocalPointStore(container.engine, settings.forum)
        self._kept_owed: tuple[ReadModelsOn, list[OwedOutcome]] | None = None
        self._kept_plan: tuple[tuple[int, ReadModelsOn], PlanReport] | None = None

    @property
    def forum(self) -> str:
        return self.container.settings.forum

    # -- what the world looks like on a day ----------------------------------------------------

    def calendar(self, today: date) -> Calendar:
        """The forum's calendar on ``today`` (folded again only when the log has grown)."""
        return self.queries.calendar(today)

    def recorded(self, ids: list[UUID]) -> set[UUID]:
        """Which of these reminders the ledger holds (in one query; the read model is settled
        before planning). Two planners racing on one identity are still decided by the store:
        the second append fails and is skipped."""
        found: set[UUID] = set()
        with self.container.engine.connect() as connection:
            for start in range(0, len(ids), 500):
                chunk = [str(i) for i in ids[start : start + 500]]
                query = select(reminders.c.id).where(reminders.c.id.in_(chunk))
                found.update(UUID(row.id) for row in connection.execute(query))
        return found

    def owed(self, today: date) -> list[OwedOutcome]:
        """What is owed on ``today``: on the clock's today the current read model says it (no
        fact may be dated after today, so it is the same as folding the events as of today)."""
        if today == self.container.clock.today():
            return self.owed_today()
        views, _ = self.queries.list_as_of(OutcomeFilter(), today, limit=10**9)
        return [
            owed_outcome(
                v.id,
                v.code,
                v.title,
                v.status,
                v.deadline.due_on if v.deadline else None,
                tuple(r["state"] for r in v.responsible_states),
                v.status_rule,
                v.status_details,
            )
            for v in views
        ]

    def read_models_on(self, today: date) -> ReadModelsOn:
        """Where the read models stand on ``today``, once the statuses whose day has come are
        brought up to date: what is owed and what the ledger holds stay the same while this
        does. Asked in one round trip; ``refresh`` runs only when a status's day has come."""
        found = self._standing(today)
        if not found[2]:
            self.queries.refresh()
            found = self._standing(today)
        return found

    def _standing(self, today: date) -> ReadModelsOn:
        with self.container.engine.connect() as connection:
            rows = list(connection.execute(STANDING, {"today": self.container.clock.today()}))
        state = tuple((row.projection, int(row.position)) for row in rows)
        return state, today, bool(rows) and not any(row.due for row in rows)

    def owed_today(self) -> list[OwedOutcome]:
        """Today's open outcomes straight from their rows: the policy reads nothing else (a
        closed outcome is owed by nobody), so no view is built. Read again only when a read
        model or the day has moved."""
        return list(self._owed_at(self.read_models_on(self.container.clock.today())))

    def _owed_at(self, moment: ReadModelsOn) -> list[OwedOutcome]:
        kept = self._kept_owed
        if kept is not None and kept[0] == moment:
            return kept[1]
        with self.container.engine.connect() as connection:
            owed = self._read_owed(connection)
        if moment[2]:
            self._kept_owed = (moment, owed)
        return owed

    def _read_owed(self, connection: Connection) -> list[OwedOutcome]:
        rows = list(
            connection.execute(
                select(*OWED_COLUMNS).where(
                    outcomes.c.forum == self.forum, outcomes.c.status.in_(sorted(OPEN))
                )
            )
        )
        states: dict[str, list[str]] = defaultdict(list)
        ids = [r.id for r in rows]
        for start in range(0, len(ids), 500):
            query = (
                select(responsibilities.c.outcome_id, responsibilities.c.state)
                .where(responsibilities.c.outcome_id.in_(ids[start : start + 500]))
                .order_by(responsibilities.c.state)
            )
            for found in connection.execute(query):
                states[found.outcome_id].append(found.state)
        return [
            owed_outcome(
                r.id,
                r.code,
                r.title,
                r.status,
                r.due_on if r.deadline_kind else None,
                tuple(states.get(r.id, ())),
                r.status_rule,
                dict(r.status_details),
            )
            for r in rows
        ]

    def open(self, catch_up: bool = True) -> list[OpenReminder]:
        if catch_up:
            self.container.runner.catch_up()
        with self.container.engine.connect() as connection:
            rows = open_reminders(connection, self.forum)
        return [
            OpenReminder(
                UUID(r.id), UUID(r.meeting_id), r.meeting_date, r.audience, r.offset_days, r.send_on
            )
            for r in rows
        ]

    # -- planning -------------------------------------------------------------------------

    def plan(self, today: date | None = None, dry_run: bool = False) -> PlanReport:
        """Plan what the policy wants (each identity once), cancel what it no longer wants."""
        today = today or self.container.clock.today()
        head = self.app.head_position()
        self.container.settle(head)  # nothing to do when nothing moved
        report = self.wanted(today, head)
        if dry_run:
            return report
        now = self.container.clock.now()
        for planned in report.planned:
            reminder = Reminder.plan(planned.identity, planned.send_on, today, ACTOR)
            self._save(reminder, now)
        for reminder_id, reason in report.cancelled.items():
            self._cancel(reminder_id, reason, today)
        self.container.runner.catch_up()
        return report

    def wanted(self, today: date, head: int) -> PlanReport:
        """What the policy wants planned and cancelled on ``today``. It depends on the calendar
        (the log's head), what is owed and what the ledger holds (the read models) and the day
        only, so it is worked out again only when one of them has moved: the scheduler asks
        every few minutes, and most times nothing has."""
        moment = self.read_models_on(today)
        key = (head, moment)
        kept = self._kept_plan
        if kept is not None and kept[0] == key:
            report = kept[1]
        else:
            report = self._work_out(today)
            if moment[2]:
                self._kept_plan = (key, report)
        return PlanReport(list(report.planned), dict(report.cancelled))

    def _work_out(self, today: date) -> PlanReport:
        calendar = self.calendar(today)
        if today == self.container.clock.today():
            owing, late = self._owing_today(calendar, today)
            wanted = plan_for(self.forum, calendar, owing, late, self.policy, today)
        else:
            wanted = plan(self.forum, calendar, self.owed(today), self.policy, today)
        known = self.recorded([p.identity.id for p in wanted])
        return PlanReport(
            planned=[p for p in wanted if p.identity.id not in known],
            cancelled=cancellations(self.open(catch_up=False), wanted, calendar),
        )

    def _owing_today(
        self, calendar: Calendar, today: date
    ) -> tuple[Callable[[Meeting], list[str]], bool]:
        """All the policy reads of today's owed outcomes, from the rows in two small queries:
        each state's earliest due day among its open outcomes (it owes a digest for every
        meeting from then on, as ``owed_by`` says) and whether any outcome is overdue."""
        meetings = upcoming_meetings(calendar, self.policy, today)
        if not meetings:
            return (lambda meeting: []), False
        horizon = max(m.starts_on for m in meetings)
        with self.container.engine.connect() as connection:
            found = connection.execute(OWING, {"forum": self.forum, "horizon": horizon})
            first_due = {state: due for state, due in found}
            late = bool(connection.execute(LATE, {"forum": self.forum}).scalar())
        return (
            lambda meeting: [s for s, due in first_due.items() if due <= meeting.starts_on]
        ), late

    def _save(self, reminder: Reminder, now: datetime) -> bool:
        try:
            self.app.save(reminder)
        except IntegrityError:  # another instance recorded it first
            return False
        return True

    def _load(self, reminder_id: UUID) -> Reminder | None:
        try:
            found: object = self.app.repository.get(reminder_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Reminder) else None

    def _cancel(self, reminder_id: UUID, reason: str, today: date) -> None:
        reminder = self._load(reminder_id)
        if reminder is not None and reminder.open:
            reminder.cancel(reason, today, ACTOR, self.container.clock.now())
            self._save(reminder, self.container.clock.now())

    # -- sending --------------------------------------------------------------------------

    def send_due(self, now: datetime | None = None) -> SendReport:
        """Send what is due, once per reminder across every running instance."""
        now = now or self.container.clock.now()
        today = now.date() if now.tzinfo is None else self.container.clock.today()
        report = SendReport()
        due, to_cancel = due_now(self.open(), today)
        for reminder_id, reason in to_cancel.items():
            self._cancel(reminder_id, reason, today)
            report.cancelled[reminder_id] = reason
        if self.mailer is None:
            return report
        due_ids = [str(r.id) for r in due]
        while claimed := claim(
            self.container.engine, self.forum, due_ids, self.worker, now, now + LEASE
        ):
            for key in claimed:
                due_ids.remove(key)
                try:
                    self._send_one(UUID(key), today, now, report)
                finally:
                    release(self.container.engine, key, self.worker)
        self.container.runner.catch_up()
        return report

    def _send_one(self, reminder_id: UUID, today: date, now: datetime, report: SendReport) -> None:
        reminder = self._load(reminder_id)
        if reminder is None or not reminder.open:
            return  # another instance got here first, or it was closed meanwhile
        messages = self.messages(reminder.identity, today, now)
        if isinstance(messages, str):
            reminder.cancel(messages, today, ACTOR, now)
            report.cancelled[reminder_id] = messages
        elif not messages:
            reminder.record_failure(
                f"no focal point registered for {reminder.identity.audience}",
                True,
                None,
                [],
                today,
                ACTOR,
                now,
            )
            report.failed.append(reminder_id)
        else:
            assert self.mailer is not None
            outcome = deliver(self.mailer, messages, reminder.delivered)
            if outcome.complete:
                delivered = [*reminder.delivered, *outcome.delivered]
                reminder.record_sent(delivered, today, ACTOR, now)
                report.sent.append(reminder_id)
            else:
                limit = self.retry.attempts
                final = outcome.permanent or (limit is not None and reminder.attempts + 1 >= limit)
                retry_at = None if final else self.retry.next_attempt(reminder.attempts + 1, now)
                reminder.record_failure(
                    outcome.error, final, retry_at, outcome.delivered, today, ACTOR, now
                )
                (report.failed if final else report.retrying).append(reminder_id)
        self._save(reminder, now)
