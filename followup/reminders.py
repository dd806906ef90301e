"""The reminder service: plan digests from the policy, send the due ones through the mailer, and
record every outcome in the ledger (events without personal data)."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from sqlalchemy import select

from adapters.focal_points import FocalPointStore
from adapters.read_models.reminder_ledger import claim, open_reminders, release, reminders
from domain.calendar import Calendar
from domain.reminder import Reminder
from followup.bootstrap import Container
from followup.owed_today import OwedToday, ReadModelsOn, owed_outcome
from followup.queries import OutcomeFilter, OutcomeQueries
from followup.reminder_digests import DigestWriter
from notifications.delivery import (
    Mailer,
    RetryPolicy,
    deliver,
)
from notifications.policy import (
    OpenReminder,
    OwedOutcome,
    PlannedReminder,
    ReminderPolicy,
    cancellations,
    due_now,
    plan,
    plan_for,
)

ACTOR = "scheduler:reminders"


LEASE = timedelta(minutes=10)


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
        self.owed_rows = OwedToday(container, self.queries)
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

    def owed_today(self) -> list[OwedOutcome]:
        """Today's open outcomes straight from their rows (no view is built), read again only
        when a read model or the day has moved."""
        rows = self.owed_rows
        return list(rows.owed(rows.read_models_on(self.container.clock.today())))

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
        moment = self.owed_rows.read_models_on(today)
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
            owing, late = self.owed_rows.owing(calendar, self.policy, today)
            wanted = plan_for(self.forum, calendar, owing, late, self.policy, today)
        else:
            wanted = plan(self.forum, calendar, self.owed(today), self.policy, today)
        known = self.recorded([p.identity.id for p in wanted])
        return PlanReport(
            planned=[p for p in wanted if p.identity.id not in known],
            cancelled=cancellations(self.open(catch_up=False), wanted, calendar),
        )

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
