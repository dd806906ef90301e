"""What the workflow policy watches, and what it asks the read models: the facts that can advance
an outcome's plan (``followup.workflows`` answers them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.forum import Forum
from domain.outcome import Outcome
from domain.outcome_record import FactRef, MilestoneKind
from domain.survey import Survey
from domain.working_group import WorkingGroup

ACTOR = "workflow"

WATCHED = (
    WorkingGroup.Formed,
    WorkingGroup.ExpertMeetingHeld,
    WorkingGroup.ExpertMeetingRetracted,
    Survey.RunClosed,
    Survey.RunRetracted,
    Forum.MeetingHeld,
    Outcome.MilestonePlanned,
    Outcome.ProgressReported,
    Outcome.ProgressReportRetracted,
)
TOPICS = [get_topic(cls) for cls in WATCHED]


@dataclass
class Lookups:
    """What the policy asks the read models (wired by the composition root)."""

    waiting: Callable[[MilestoneKind, str | None, int], list[UUID]]
    reached_by: Callable[[UUID], list[UUID]]
    groups: Callable[[], list[UUID]]


def cause_of(event: Any) -> FactRef:
    return FactRef(
        event.originator_id,
        event.originator_version,
        type(event).__qualname__,
        event.occurred_on,
        event.precision,
    )
