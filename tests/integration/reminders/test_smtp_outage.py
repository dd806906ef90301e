"""The SMTP server is down for a stretch of (simulated) time, then recovers: every planned
reminder arrives, once, with its stable Message-ID."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta

from adapters.smtp_mailer import SmtpMailer
from followup.reminders import ReminderService
from tests.integration.reminders.conftest import World
from tests.live_server import free_port
from tests.smtp_server import smtp_server


def test_every_reminder_arrives_once_after_an_outage(world: World) -> None:
    down_port = free_port()  # nothing listens here: connection refused
    world.service = ReminderService(world.container, SmtpMailer("127.0.0.1", down_port, timeout=2))
    world.day(date(2009, 10, 3))
    start = world.clock.now()
    for minutes in range(0, 6 * 60, 20):  # six hours without a mail server
        world.clock.move_to(start + timedelta(minutes=minutes))
        world.tick()
    with smtp_server() as (inbox, port):
        world.service = ReminderService(world.container, SmtpMailer("127.0.0.1", port, timeout=5))
        for minutes in range(6 * 60, 30 * 60, 20):  # back: the retries' backoff brings them in
            world.clock.move_to(start + timedelta(minutes=minutes))
            world.tick()
        received = inbox.take()
    ids = [m["Message-ID"] for m in received]
    assert len(received) == 4 and len(set(ids)) == 4
    assert all(m["Message-ID"].startswith("<reminder-") for m in received)
    assert world.clock.now() > datetime(2009, 10, 3, tzinfo=UTC)


class CrashAfterAcceptance(SmtpMailer):
    """Delivers, then dies before anything is recorded: the documented crash window."""

    def send(self, message) -> None:  # type: ignore[no-untyped-def]
        super().send(message)
        raise KeyboardInterrupt("the process died right after the server's 250")


def test_a_crash_between_acceptance_and_record_duplicates_with_the_same_message_id(
    world: World,
) -> None:
    world.day(date(2009, 10, 3))
    world.service.plan()
    with smtp_server() as (inbox, port):
        world.service = ReminderService(world.container, CrashAfterAcceptance("127.0.0.1", port))
        with contextlib.suppress(KeyboardInterrupt):  # the sender "dies" mid-send
            world.service.send_due()
        # restarted: the lease of the dead sender runs out, the reminder is sent again
        world.clock.move_to(world.clock.now() + timedelta(minutes=11))
        world.service = ReminderService(world.container, SmtpMailer("127.0.0.1", port))
        world.service.send_due()
        received = inbox.take()
    ids = [m["Message-ID"] for m in received]
    assert len(received) == 5 and len(set(ids)) == 4  # one duplicate, the same Message-ID
