"""A reminder digest: planned once for (meeting, meeting date, state, offset), then sent, failed
(and retried), or cancelled. Its events carry no personal data: recipients are registry ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import DomainError
from domain.identity import FOLLOWUP_NAMESPACE

TROIKA = "TROIKA"  # the audience of the overdue summary, in place of a state code


class ReminderState(StrEnum):
    PLANNED = "planned"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ReminderClosedError(DomainError):
    """The reminder was already sent, cancelled or failed for good."""


@lru_cache(maxsize=8192)
def reminder_id(
    forum: str, meeting_id: UUID, meeting_date: date, audience: str, offset_days: int
) -> UUID:
    """A reminder's id: a hash of its identity, kept once computed (the planner asks for the
    same few hundred on every run, and a ``uuid5`` costs a SHA-1)."""
    parts = (meeting_id, meeting_date, audience, offset_days)
    return uuid5(FOLLOWUP_NAMESPACE, f"{forum}/reminder/" + "/".join(map(str, parts)))


@dataclass(frozen=True)
class ReminderIdentity:
    """What makes a reminder the same reminder, across restarts and instances."""

    forum: str
    meeting_id: UUID
    meeting_date: date
    audience: str  # a state code, or TROIKA
    offset_days: int

    @property
    def id(self) -> UUID:
        return reminder_id(
            self.forum, self.meeting_id, self.meeting_date, self.audience, self.offset_days
        )

    @property
    def message_id_stem(self) -> str:
        """The stable part of every Message-ID this reminder's mails carry."""
        return f"reminder-{self.id}"


class Reminder(Aggregate):
    class Event(Aggregate.Event):
        occurred_on: date
        precision: str
        actor: str
        source: str

    class Planned(Aggregate.Created):
        occurred_on: date
        precision: str
        actor: str
        source: str
        forum: str
        meeting_id: UUID
        meeting_date: date
        audience: str
        offset_days: int
        send_on: date

    class Sent(Event):
        recipients: list[str]
        late_by_days: int
        attempt: int

        def apply(self, aggregate: Any) -> None:
            aggregate.state = ReminderState.SENT
            aggregate.attempts = self.attempt
            aggregate.delivered.update(self.recipients)

    class Failed(Event):
        error: str
        permanent: bool
        attempt: int
        retry_at: datetime | None
        delivered: list[str]

        def apply(self, aggregate: Any) -> None:
            aggregate.attempts = self.attempt
            aggregate.delivered.update(self.delivered)
            aggregate.last_error = self.error
            aggregate.retry_at = self.retry_at
            if self.permanent:
                aggregate.state = ReminderState.FAILED

    class Cancelled(Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.state = ReminderState.CANCELLED
            aggregate.cancel_reason = self.reason

    def __init__(
        self,
        forum: str,
        meeting_id: UUID,
        meeting_date: date,
        audience: str,
        offset_days: int,
        send_on: date,
    ) -> None:
        self.identity = ReminderIdentity(forum, meeting_id, meeting_date, audience, offset_days)
        self.send_on = send_on
        self.state = ReminderState.PLANNED
        self.attempts = 0
        self.delivered: set[str] = set()
        self.last_error = ""
        self.retry_at: datetime | None = None
        self.cancel_reason = ""

    @classmethod
    def plan(cls, identity: ReminderIdentity, send_on: date, on: date, actor: str) -> Reminder:
        return cls._create(
            cls.Planned,
            id=identity.id,
            occurred_on=on,
            precision="day",
            actor=actor,
            source="reminder policy",
            forum=identity.forum,
            meeting_id=identity.meeting_id,
            meeting_date=identity.meeting_date,
            audience=identity.audience,
            offset_days=identity.offset_days,
            send_on=send_on,
        )

    @property
    def open(self) -> bool:
        return self.state == ReminderState.PLANNED

    def check_open(self) -> None:
        if not self.open:
            raise ReminderClosedError(f"reminder {self.id} is already {self.state}")

    def _fields(self, on: date, actor: str, at: datetime | None) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "occurred_on": on,
            "precision": "day",
            "actor": actor,
            "source": "",
        }
        if at is not None:
            fields["timestamp"] = at
        return fields

    def record_sent(
        self, recipients: list[str], on: date, actor: str, at: datetime | None = None
    ) -> None:
        self.check_open()
        self.trigger_event(
            self.Sent,
            recipients=sorted(recipients),
            late_by_days=max(0, (on - self.send_on).days),
            attempt=self.attempts + 1,
            **self._fields(on, actor, at),
        )

    def record_failure(
        self,
        error: str,
        permanent: bool,
        retry_at: datetime | None,
        delivered: list[str],
        on: date,
        actor: str,
        at: datetime | None = None,
    ) -> None:
        self.check_open()
        self.trigger_event(
            self.Failed,
            error=error[:500],
            permanent=permanent,
            attempt=self.attempts + 1,
            retry_at=None if permanent else retry_at,
            delivered=sorted(delivered),
            **self._fields(on, actor, at),
        )

    def cancel(self, reason: str, on: date, actor: str, at: datetime | None = None) -> None:
        self.check_open()
        self.trigger_event(self.Cancelled, reason=reason, **self._fields(on, actor, at))
