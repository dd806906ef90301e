"""Read model "who is in each working group, who leads it, what expert meetings it held"."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import (
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
from adapters.read_models.projection import Projection
from domain.working_group import WorkingGroup

working_groups = Table(
    "working_groups",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("forum", String(64), nullable=False),
    Column("code", String(120), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("formed_on", Date, nullable=False),
    Column("precision", String(8), nullable=False),
)

members = Table(
    "working_group_members",
    metadata,
    Column("working_group_id", String(36), primary_key=True),
    Column("state", String(16), primary_key=True),
    Column("role", String(16), nullable=False),
)

expert_meetings = Table(
    "expert_meetings",
    metadata,
    Column("meeting_id", String(36), primary_key=True),
    Column("working_group_id", String(36), nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("place", String(200), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("precision", String(8), nullable=False),
)


class WorkingGroupsProjection(Projection):
    name: ClassVar[str] = "working_groups"
    tables: ClassVar[tuple[Table, ...]] = (expert_meetings, members, working_groups)
    event_classes: ClassVar[tuple[type, ...]] = (
        WorkingGroup.Formed,
        WorkingGroup.MemberJoined,
        WorkingGroup.MemberRoleChanged,
        WorkingGroup.MemberLeft,
        WorkingGroup.ExpertMeetingHeld,
    )

    def apply(self, connection: Connection, event: Any, position: int) -> None:
        group = str(event.originator_id)
        if isinstance(event, WorkingGroup.Formed):
            connection.execute(
                INSERT_GROUP,
                {
                    "id": group,
                    "forum": event.forum,
                    "code": event.code,
                    "name": event.name,
                    "formed_on": event.occurred_on,
                    "precision": event.precision,
                },
            )
        elif isinstance(event, WorkingGroup.MemberJoined):
            connection.execute(
                INSERT_MEMBER, {"working_group_id": group, "state": event.state, "role": event.role}
            )
        elif isinstance(event, WorkingGroup.MemberRoleChanged):
            connection.execute(
                CHANGE_ROLE, {"group": group, "member": event.state, "role": event.role}
            )
        elif isinstance(event, WorkingGroup.MemberLeft):
            connection.execute(REMOVE_MEMBER, {"group": group, "member": event.state})
        elif isinstance(event, WorkingGroup.ExpertMeetingHeld):
            connection.execute(
                INSERT_EXPERT_MEETING,
                {
                    "meeting_id": str(event.meeting_id),
                    "working_group_id": group,
                    "title": event.title,
                    "place": event.place,
                    "held_on": event.occurred_on,
                    "precision": event.precision,
                },
            )


# built once: building a statement cost more than running it (SQLAlchemy's cache key)
INSERT_GROUP = insert(working_groups)
INSERT_MEMBER = insert(members)
INSERT_EXPERT_MEETING = insert(expert_meetings)
_ONE_MEMBER = (
    members.c.working_group_id == bindparam("group"),
    members.c.state == bindparam("member"),
)
CHANGE_ROLE = update(members).where(*_ONE_MEMBER)
REMOVE_MEMBER = delete(members).where(*_ONE_MEMBER)


def find_working_group(connection: Connection, forum: str, key: str) -> Row[Any] | None:
    """A working group by id or code."""
    return connection.execute(
        select(working_groups)
        .where(working_groups.c.forum == forum)
        .where((working_groups.c.id == key) | (working_groups.c.code == key))
    ).first()
