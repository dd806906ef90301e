"""What the planner reads as owed today, from the rows, is what the views say of every open
outcome (the policy never looks at a closed one)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from followup.queries import OutcomeFilter
from notifications.policy import OPEN
from tests.integration.reminders.conftest import World


def from_views(world: World) -> dict[UUID, tuple[object, ...]]:
    views, _ = world.service.queries.list_current(OutcomeFilter(), limit=10**9)
    return {
        UUID(v.id): (
            v.code,
            v.status,
            v.deadline.due_on if v.deadline else None,
            tuple(r["state"] for r in v.responsible_states),
            v.status_details,
        )
        for v in views
        if v.status in OPEN
    }


def test_owed_today_is_every_open_outcome_as_its_view_says(world: World) -> None:
    for day in (date(2009, 9, 1), date(2009, 10, 20), date(2010, 3, 1)):
        world.day(day)
        owed = world.service.owed_today()
        assert owed, day
        assert {
            o.id: (o.code, o.status, o.due_on, o.responsible, o.status_details) for o in owed
        } == from_views(world)
