"""Read model "what is on the forum's calendar": states, chairmanships and meetings."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Row,
    String,
    Table,
    bindparam,
    delete,
    insert,
    select,
    update,
)

from adapters.read_models.metadata import metadata
from adapters.read_models.projection import EventSource, Projection
from domain.calendar import MeetingStatus
from domain.forum import Forum

states = Table(
    "states",
    metadata,
    Column("forum", String(64), primary_key=True),
    Column("code", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
)

chairmanships = Table(
    "chairmanships",
    metadata,
    Column("position", BigInteger, primary_key=True),
    Column("forum", String(64), nullable=False, index=True),
    Column("state", String(16), nullable=False),
    Column("term", String(64), nullable=False),
    Column("assumed_on", Date, nullable=False),
    Column("precision", String(8), nullable=False),
)

meetings = Table(
    "meetings",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("forum", String(64), nullable=False, index=True),
    Column("code", String(100), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("title", String(300), nullable=False),
    Column("place", String(200), nullable=False),
    Column("starts_on", Date, nullable=False, index=True),
    Column("ends_on", Date, nullable=False),
    Column("convened_by", String(16)),
    Column("working_group_id", String(36)),
    Column("status", String(16), nullable=False),
)


class ForumCalendarProjection(Projection):
    name: ClassVar[str] = "forum_calendar"
    tables: ClassVar[tuple[Table, ...]] = (states, chairmanships, meetings)
    event_classes: ClassVar[tuple[type, ...]] = (
        Forum.Established,
        Forum.StateAdmitted,
        Forum.ChairmanshipAssumed,
        Forum.MeetingScheduled,
        Forum.MeetingRescheduled,
        Forum.MeetingCancelled,
        Forum.MeetingHeld,
    )

    def __init__(self) -> None:
        self.forum_codes: dict[Any, str] = {}
        self.source: EventSource | None = None

    def begin_batch(self, source: EventSource) -> None:
        self.source = source

    def forum_code(self, forum_id: Any) -> str:
        """Only ``Established`` names the forum: learn each forum's code once."""
        if forum_id not in self.forum_codes:
            assert self.source is not None
            self.forum_codes[forum_id] = self.source.events_of(forum_id, up_to_version=1)[0].code
        return self.forum_codes[forum_id]

    def prepare(
        self, batch: list[tuple[int, Any]], source: EventSource, reader: Connection
    ) -> None:
        for _, event in batch:
            if not isinstance(event, Forum.Established):
                self.forum_code(event.originator_id)

    def apply(self, connection: Connection, event: Any, position: int) -> None:
        if isinstance(event, Forum.Established):
            self.forum_codes[event.originator_id] = event.code
            return
        forum = self.forum_code(event.originator_id)
        if isinstance(event, Forum.StateAdmitted):
            connection.execute(
                INSERT_STATE, {"forum": forum, "code": event.state, "name": event.name}
            )
        elif isinstance(event, Forum.ChairmanshipAssumed):
            connection.execute(
                INSERT_CHAIRMANSHIP,
                {
                    "position": position,
                    "forum": forum,
                    "state": event.state,
                    "term": event.term,
                    "assumed_on": event.occurred_on,
                    "precision": event.precision,
                },
            )
        elif isinstance(event, Forum.MeetingScheduled):
            connection.execute(
                INSERT_MEETING,
                {
                    "id": str(event.meeting_id),
                    "forum": forum,
                    "code": event.code,
                    "kind": event.kind,
                    "title": event.title,
                    "place": event.place,
                    "starts_on": event.starts_on,
                    "ends_on": event.ends_on,
                    "convened_by": event.convened_by,
                    "working_group_id": str(event.working_group_id)
                    if event.working_group_id
                    else None,
                    "status": str(MeetingStatus.SCHEDULED),
                },
            )
        elif isinstance(event, Forum.MeetingRescheduled):
            _update_meeting(connection, event, starts_on=event.starts_on, ends_on=event.ends_on)
        elif isinstance(event, Forum.MeetingCancelled):
            _update_meeting(connection, event, status=str(MeetingStatus.CANCELLED))
        elif isinstance(event, Forum.MeetingHeld):
            _update_meeting(connection, event, status=str(MeetingStatus.HELD))


def _update_meeting(connection: Connection, event: Any, **values: Any) -> None:
    connection.execute(UPDATE_MEETING, {"meeting": str(event.meeting_id), **values})


# built once, run with each event's values: building a statement cost more than running it
# (SQLAlchemy's cache key), a fifth of a quick rebuild's time in these small read models
INSERT_STATE = insert(states)
INSERT_CHAIRMANSHIP = insert(chairmanships)
INSERT_MEETING = insert(meetings)
UPDATE_MEETING = update(meetings).where(meetings.c.id == bindparam("meeting"))


def clear(connection: Connection) -> None:
    for table in (states, chairmanships, meetings):
        connection.execute(delete(table))


# -- queries -------------------------------------------------------------------------------


def list_meetings(connection: Connection, forum: str) -> list[Row[Any]]:
    return list(
        connection.execute(
            select(meetings).where(meetings.c.forum == forum).order_by(meetings.c.starts_on)
        )
    )


def find_meeting(connection: Connection, forum: str, key: str) -> Row[Any] | None:
    """A meeting by id or code."""
    return connection.execute(
        select(meetings)
        .where(meetings.c.forum == forum)
        .where((meetings.c.id == key) | (meetings.c.code == key))
    ).first()


def next_meeting_of_kinds(
    connection: Connection, forum: str, kinds: tuple[str, ...], on: date
) -> Row[Any] | None:
    return connection.execute(
        select(meetings)
        .where(meetings.c.forum == forum)
        .where(meetings.c.kind.in_(kinds))
        .where(meetings.c.starts_on >= on)
        .where(meetings.c.status == str(MeetingStatus.SCHEDULED))
        .order_by(meetings.c.starts_on)
        .limit(1)
    ).first()


def state_codes(connection: Connection, forum: str) -> set[str]:
    return set(connection.execute(select(states.c.code).where(states.c.forum == forum)).scalars())
