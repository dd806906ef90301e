"""The reminder service: plan digests from the policy, send the due ones through the mailer, and
record every outcome in the ledger (events without personal data)."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from typing import Any
from uuid import UUID

from babel import Locale
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from sqlalchemy import select

from adapters.focal_points import FocalPoint, FocalPointStore
from adapters.read_models.forum_calendar import states
from adapters.read_models.reminder_ledger import claim, open_reminders, release
from domain.calendar import Calendar, Meeting
from domain.forum import calendar_as_of
from domain.reminder import TROIKA, Reminder, ReminderIdentity
from followup.bootstrap import Container
from followup.queries import OutcomeFilter, OutcomeQueries
from notifications.delivery import (
    Mailer,
    Recipient,
    RetryPolicy,
    build_email,
    deliver,
)
from notifications.policy import (
    OpenReminder,
    OwedOutcome,
    PlannedReminder,
    ReminderPolicy,
    cancellations,
    due_now,
    overdue,
    owed_by,
    plan,
    troika,
)
from notifications.rendering import DigestContext, RenderedMessage, render

ACTOR = "scheduler:reminders"


def parse_day(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


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


class ReminderService:
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

    @property
    def forum(self) -> str:
        return self.container.settings.forum

    # -- what the world looks like on a day ----------------------------------------------------

    def calendar(self, today: date) -> Calendar:
        return calendar_as_of(self.app.events_of(self.app.forum_id), today)

    def owed(self, today: date) -> list[OwedOutcome]:
        views, _ = self.queries.list_as_of(OutcomeFilter(), today, limit=10**9)
        return [
            OwedOutcome(
                id=UUID(v.id),
                code=v.code,
                title=v.title,
                status=v.status,
                due_on=v.deadline.due_on if v.deadline else None,
                responsible=tuple(r["state"] for r in v.responsible_states),
                status_rule=v.status_rule,
                status_details=v.status_details,
                milestone=v.status_details.get("next_milestone"),
                milestone_due=parse_day(v.status_details.get("next_milestone_due")),
            )
            for v in views
        ]

    def open(self) -> list[OpenReminder]:
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
        self.container.settle()
        calendar = self.calendar(today)
        wanted = plan(self.forum, calendar, self.owed(today), self.policy, today)
        report = PlanReport(
            planned=[p for p in wanted if not self.app.exists(p.identity.id)],
            cancelled=cancellations(self.open(), wanted, calendar),
        )
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

    # -- what a digest says -----------------------------------------------------------------

    def state_names(self) -> dict[str, str]:
        with self.container.engine.connect() as connection:
            rows = connection.execute(
                select(states.c.code, states.c.name).where(states.c.forum == self.forum)
            )
            return {r.code: r.name for r in rows}

    def recipients(self, audience: str, today: date) -> list[FocalPoint]:
        codes = troika(self.calendar(today), today) if audience == TROIKA else [audience]
        return self.focal_points.list(codes)

    def content(
        self, identity: ReminderIdentity, today: date
    ) -> tuple[Meeting, list[OwedOutcome]] | str:
        """The meeting and what the digest lists today, or why there is nothing to send."""
        calendar = self.calendar(today)
        meeting = calendar.meeting(identity.meeting_id)
        if meeting is None or meeting.starts_on != identity.meeting_date:
            return "the meeting was moved or cancelled"
        owed = self.owed(today)
        listed = (
            overdue(owed)
            if identity.audience == TROIKA
            else owed_by(meeting, owed).get(identity.audience, [])
        )
        return (meeting, listed) if listed else "nothing is owed by this meeting any more"

    def render_for(
        self, identity: ReminderIdentity, meeting: Meeting, listed: list[OwedOutcome], language: str
    ) -> RenderedMessage:
        names = self.state_names()
        audience = identity.audience
        localised = Locale.parse(language).territories.get(audience) if audience != TROIKA else None
        context = DigestContext(
            forum_name=self.forum.upper(),
            audience_name=localised or names.get(audience, audience),
            meeting_title=meeting.title,
            meeting_place=meeting.place,
            meeting_date=meeting.starts_on,
            days_before=identity.offset_days,
            outcomes=[
                {
                    "code": o.code,
                    "title": o.title,
                    "status": o.status,
                    "due_on": o.due_on,
                    "responsible": list(o.responsible),
                    "milestone": o.milestone,
                    "milestone_due": o.milestone_due,
                }
                for o in listed
            ],
            public_url=self.container.settings.public_url.rstrip("/"),
        )
        return render("troika" if audience == TROIKA else "digest", context.as_dict(), language)

    def messages(
        self, identity: ReminderIdentity, today: date, now: datetime
    ) -> list[tuple[Recipient, Any]] | str:
        found = self.content(identity, today)
        if isinstance(found, str):
            return found
        meeting, listed = found
        sender = self.container.settings.mail_from
        domain = parseaddr(sender)[1].split("@")[-1] or "followup"
        built = []
        for point in self.recipients(identity.audience, today):
            recipient = Recipient(point.id, point.name, point.email, point.language)
            rendered = self.render_for(identity, meeting, listed, point.language)
            built.append(
                (
                    recipient,
                    build_email(rendered, sender, recipient, identity.message_id_stem, domain, now),
                )
            )
        return built

    def preview(
        self,
        audience: str,
        today: date | None = None,
        offset: int | None = None,
        language: str | None = None,
    ) -> list[tuple[str, RenderedMessage]] | str:
        """The digest ``audience`` would get for the next meeting, exactly as rendered to send."""
        today = today or self.container.clock.today()
        calendar = self.calendar(today)
        from notifications.policy import upcoming_meetings

        meetings = upcoming_meetings(calendar, self.policy, today)
        if not meetings:
            return "no upcoming meeting triggers reminders"
        meeting = meetings[0]
        identity = ReminderIdentity(
            self.forum, meeting.id, meeting.starts_on, audience, offset or max(self.policy.offsets)
        )
        found = self.content(identity, today)
        if isinstance(found, str):
            return found
        _, listed = found
        points = self.recipients(audience, today)
        languages = [language] if language else sorted({p.language for p in points}) or ["en"]
        return [(lang, self.render_for(identity, meeting, listed, lang)) for lang in languages]
