"""``followup reminders …`` and ``followup focal-points …``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from adapters.focal_points import FocalPointStore
from adapters.read_models.reminder_ledger import ledger
from followup.bootstrap import bootstrap
from followup.reminders import ReminderService
from followup.scheduler import mailer_for

reminders_app = typer.Typer(
    help="Reminder digests: plan, send, preview, ledger.", no_args_is_help=True
)
focal_points_app = typer.Typer(
    help="The focal-point registry (personal data).", no_args_is_help=True
)
console = Console(width=160)
errors = Console(stderr=True)


OnOption = Annotated[
    datetime | None,
    typer.Option("--on", formats=["%Y-%m-%d"], help="as on this day (with --dry-run)"),
]


@reminders_app.command("plan")
def plan(
    dry_run: Annotated[bool, typer.Option(help="show, append nothing")] = False,
    on: OnOption = None,
) -> None:
    """Plan every digest the policy wants (each once) and cancel what it no longer wants."""
    if on is not None and not dry_run:
        errors.print("--on goes with --dry-run: a real plan is made for today")
        raise typer.Exit(code=2)
    container = bootstrap()
    try:
        service = ReminderService(container, None)
        today = on.date() if on else container.clock.today()
        report = service.plan(today, dry_run=dry_run)
        calendar = service.calendar(today)
        owed = service.owed(today)
        from notifications.policy import overdue, owed_by

        table = Table("send on", "meeting", "meeting date", "to", "days before", "outcomes")
        for planned in sorted(report.planned, key=lambda p: (p.send_on, p.identity.audience)):
            identity = planned.identity
            meeting = calendar.meeting(identity.meeting_id)
            count = (
                len(overdue(owed))
                if identity.audience == "TROIKA"
                else len(owed_by(meeting, owed).get(identity.audience, []))
                if meeting
                else 0
            )
            table.add_row(
                planned.send_on.isoformat(),
                meeting.title if meeting else str(identity.meeting_id),
                identity.meeting_date.isoformat(),
                identity.audience,
                str(identity.offset_days),
                str(count),
            )
        console.print(table)
        verb = "would plan" if dry_run else "planned"
        console.print(
            f"{verb} {len(report.planned)}, {'would cancel' if dry_run else 'cancelled'} "
            f"{len(report.cancelled)}"
        )
        for reason in sorted(set(report.cancelled.values())):
            console.print(f"  cancelled because {reason}")
    finally:
        container.close()


@reminders_app.command("send-due")
def send_due() -> None:
    """Send the digests that are due now (through the configured SMTP server)."""
    container = bootstrap()
    try:
        mailer = mailer_for(container)
        if mailer is None:
            errors.print("no SMTP server configured (FOLLOWUP_SMTP_HOST): nothing sent")
            raise typer.Exit(code=2)
        service = ReminderService(container, mailer)
        service.plan()
        report = service.send_due()
        console.print(
            f"sent {len(report.sent)}, retrying {len(report.retrying)}, "
            f"failed {len(report.failed)}, cancelled {len(report.cancelled)}"
        )
    finally:
        container.close()


@reminders_app.command("preview")
def preview(
    state: Annotated[str, typer.Argument(help="a state code, or TROIKA")],
    language: Annotated[str | None, typer.Option(help="en, fr or es")] = None,
    html: Annotated[bool, typer.Option(help="print the HTML part instead of the text")] = False,
    on: OnOption = None,
) -> None:
    """The digest STATE would get before the next meeting, exactly as it would be sent."""
    container = bootstrap()
    try:
        today = on.date() if on else None
        found = ReminderService(container, None).preview(state, today, language=language)
        if isinstance(found, str):
            errors.print(found)
            raise typer.Exit(code=1)
        for lang, message in found:
            console.print(f"[bold]Subject ({lang}):[/] {message.subject}", highlight=False)
            print(message.html if html else message.text)
    finally:
        container.close()


@reminders_app.command("list")
def list_reminders() -> None:
    """The ledger: every reminder and what became of it."""
    container = bootstrap()
    try:
        container.runner.catch_up()
        with container.engine.connect() as connection:
            rows = ledger(connection, container.settings.forum)
        table = Table("send on", "meeting date", "to", "days before", "state", "attempts", "note")
        for row in rows:
            note = (
                row.cancel_reason
                or row.last_error
                or (f"{row.late_by_days} days late" if row.late_by_days else "")
            )
            table.add_row(
                row.send_on.isoformat(),
                row.meeting_date.isoformat(),
                row.audience,
                str(row.offset_days),
                row.state,
                str(row.attempts),
                note,
            )
        console.print(table)
    finally:
        container.close()


@focal_points_app.command("add")
def add(
    state: Annotated[str, typer.Argument(help="the state's code")],
    name: Annotated[str, typer.Option()],
    email: Annotated[str, typer.Option()],
    language: Annotated[str, typer.Option(help="en, fr or es")] = "en",
) -> None:
    """Register a focal point of a state."""
    if language not in {"en", "fr", "es"}:
        errors.print("language must be en, fr or es")
        raise typer.Exit(code=2)
    if "@" not in email or " " in email.strip():
        errors.print(f"{email!r} is not an email address")
        raise typer.Exit(code=2)
    container = bootstrap()
    try:
        forum = container.app.find_forum()
        if forum is None or state not in forum.states:
            errors.print(f"{state!r} is not a participating state")
            raise typer.Exit(code=2)
        point = FocalPointStore(container.engine, container.settings.forum).add(
            state, name, email.strip(), language, container.clock.now()
        )
    finally:
        container.close()
    console.print(f"focal point {point.id} added for {state}")


@focal_points_app.command("list")
def list_points(state: Annotated[str | None, typer.Argument()] = None) -> None:
    """Registered focal points (of one state)."""
    container = bootstrap()
    try:
        points = FocalPointStore(container.engine, container.settings.forum).list(
            [state] if state else None
        )
        table = Table("id", "state", "name", "email", "language")
        for point in points:
            table.add_row(point.id, point.state, point.name, point.email, point.language)
        console.print(table)
    finally:
        container.close()


@focal_points_app.command("erase")
def erase(point_id: Annotated[str, typer.Argument(help="the id shown by list")]) -> None:
    """Erase a focal point's personal data (the ledger keeps only an opaque id)."""
    container = bootstrap()
    try:
        if not FocalPointStore(container.engine, container.settings.forum).erase(point_id):
            errors.print(f"no focal point {point_id!r}")
            raise typer.Exit(code=1)
    finally:
        container.close()
    console.print(f"focal point {point_id} erased")
