"""What a reminder digest says: its recipients, the outcomes it lists, the message as rendered
(the same for the preview and for the mail that goes out)."""

from __future__ import annotations

from datetime import date, datetime
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from babel import Locale
from sqlalchemy import select

from adapters.focal_points import FocalPoint, FocalPointStore
from adapters.read_models.forum_calendar import states
from domain.calendar import Calendar, Meeting
from domain.reminder import TROIKA, ReminderIdentity
from notifications.delivery import Recipient, build_email
from notifications.policy import OwedOutcome, ReminderPolicy, overdue, owed_by, troika
from notifications.rendering import DigestContext, RenderedMessage, render

if TYPE_CHECKING:
    from followup.bootstrap import Container


class DigestWriter:
    """The digest part of ``ReminderService`` (which provides what is declared here)."""

    container: Container
    policy: ReminderPolicy
    focal_points: FocalPointStore

    @property
    def forum(self) -> str:
        return self.container.settings.forum

    def calendar(self, today: date) -> Calendar:
        raise NotImplementedError  # pragma: no cover

    def owed(self, today: date) -> list[OwedOutcome]:
        raise NotImplementedError  # pragma: no cover

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
