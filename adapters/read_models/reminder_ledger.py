"""Read model "what became of each reminder": the ledger page's rows, and the outbox the senders
claim from (a lease, taken with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so no reminder is
claimed twice while its lease runs)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    String,
    Table,
    Text,
    and_,
    insert,
    or_,
    select,
    update,
)

from adapters.read_models.metadata import metadata
from adapters.read_models.projection import Projection
from domain.reminder import Reminder, ReminderState

reminders = Table(
    "reminders",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("forum", String(64), nullable=False),
    Column("meeting_id", String(36), nullable=False, index=True),
    Column("meeting_date", Date, nullable=False),
    Column("audience", String(16), nullable=False),
    Column("offset_days", Integer, nullable=False),
    Column("send_on", Date, nullable=False, index=True),
    Column("state", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("retry_at", DateTime(timezone=True)),
    Column("last_error", Text, nullable=False),
    Column("late_by_days", Integer),
    Column("recipients", Integer, nullable=False),
    Column("sent_on", Date),
    Column("cancel_reason", Text, nullable=False),
    Column("claimed_by", String(64)),
    Column("claimed_until", DateTime(timezone=True)),
)


class ReminderLedgerProjection(Projection):
    name: ClassVar[str] = "reminder_ledger"
    tables: ClassVar[tuple[Table, ...]] = (reminders,)
    event_classes: ClassVar[tuple[type, ...]] = (
        Reminder.Planned,
        Reminder.Sent,
        Reminder.Failed,
        Reminder.Cancelled,
    )

    def apply(self, connection: Connection, event: Any, position: int) -> None:
        key = str(event.originator_id)
        if isinstance(event, Reminder.Planned):
            connection.execute(
                insert(reminders).values(
                    id=key,
                    forum=event.forum,
                    meeting_id=str(event.meeting_id),
                    meeting_date=event.meeting_date,
                    audience=event.audience,
                    offset_days=event.offset_days,
                    send_on=event.send_on,
                    state=str(ReminderState.PLANNED),
                    attempts=0,
                    last_error="",
                    recipients=0,
                    cancel_reason="",
                )
            )
            return
        values: dict[str, Any] = {"claimed_by": None, "claimed_until": None}
        if isinstance(event, Reminder.Sent):
            values.update(
                state=str(ReminderState.SENT),
                attempts=event.attempt,
                late_by_days=event.late_by_days,
                sent_on=event.occurred_on,
                recipients=reminders.c.recipients + len(event.recipients),
                retry_at=None,
            )
        elif isinstance(event, Reminder.Failed):
            values.update(
                attempts=event.attempt,
                last_error=event.error,
                retry_at=event.retry_at,
                recipients=reminders.c.recipients + len(event.delivered),
            )
            if event.permanent:
                values["state"] = str(ReminderState.FAILED)
        elif isinstance(event, Reminder.Cancelled):
            values.update(state=str(ReminderState.CANCELLED), cancel_reason=event.reason)
        connection.execute(update(reminders).where(reminders.c.id == key).values(**values))


def open_reminders(connection: Connection, forum: str) -> list[Any]:
    return list(
        connection.execute(
            select(reminders).where(
                reminders.c.forum == forum, reminders.c.state == str(ReminderState.PLANNED)
            )
        )
    )


def claim(
    engine: Engine,
    forum: str,
    ids: list[str],
    worker: str,
    now: datetime,
    until: datetime,
    limit: int = 10,
) -> list[str]:
    """Take the lease on up to ``limit`` of ``ids`` nobody holds; return the ones taken."""
    if not ids:
        return []
    free = and_(
        reminders.c.forum == forum,
        reminders.c.id.in_(ids),
        reminders.c.state == str(ReminderState.PLANNED),
        or_(reminders.c.claimed_until.is_(None), reminders.c.claimed_until < now),
        or_(reminders.c.retry_at.is_(None), reminders.c.retry_at <= now),
    )
    with engine.begin() as connection:
        query = select(reminders.c.id).where(free).order_by(reminders.c.send_on).limit(limit)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        got = list(connection.execute(query).scalars())
        if got:
            connection.execute(
                update(reminders)
                .where(reminders.c.id.in_(got))
                .values(claimed_by=worker, claimed_until=until)
            )
    return got


def release(engine: Engine, reminder_id: str, worker: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(reminders)
            .where(reminders.c.id == reminder_id, reminders.c.claimed_by == worker)
            .values(claimed_by=None, claimed_until=None)
        )


def ledger(connection: Connection, forum: str, since: date | None = None) -> list[Any]:
    query = select(reminders).where(reminders.c.forum == forum)
    if since is not None:
        query = query.where(reminders.c.meeting_date >= since)
    return list(connection.execute(query.order_by(reminders.c.send_on, reminders.c.audience)))
