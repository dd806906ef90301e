"""APScheduler as the in-process clock of every instance: it ticks the reminder planner and
sender. The truth about reminders stays in the event store and the ledger, never in the
scheduler's own job store (a memory store: nothing to share, nothing to lose)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from adapters.smtp_mailer import SmtpMailer
from followup.bootstrap import Container
from followup.reminders import ReminderService
from notifications.delivery import Mailer

log = logging.getLogger(__name__)


def mailer_for(container: Container) -> Mailer | None:
    settings = container.settings
    if not settings.smtp_host:
        return None
    return SmtpMailer(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_tls,
        settings.smtp_username,
        settings.smtp_password,
    )


def reminder_tick(service: ReminderService) -> None:
    """Plan, then send what is due; a failure is logged and the next tick tries again."""
    try:
        service.plan()
        if service.mailer is not None:
            service.send_due()
    except Exception:  # keep ticking: the store holds the truth, the next tick resumes
        log.exception("reminder tick failed")


def start_scheduler(
    container: Container, service: ReminderService | None = None
) -> BackgroundScheduler:
    service = service or ReminderService(container, mailer_for(container))
    scheduler = BackgroundScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    scheduler.add_job(
        reminder_tick,
        "interval",
        args=[service],
        seconds=container.settings.scheduler_interval_seconds,
        id="reminders",
        next_run_time=datetime.now(UTC),  # the scheduler runs on real time, whatever the clock
    )
    scheduler.start()
    return scheduler
