"""A milestone of an outcome's plan as pages and the API show it: when it is due on the day's
calendar, and which fact (a working group's, a survey's, another outcome's) fulfilled it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.calendar import Calendar
from domain.outcome_record import Milestone
from domain.status import milestone_due
from followup.application import FollowupApplication
from followup.outcome_views import Names


@dataclass(frozen=True)
class PlanStep:
    """A milestone as pages and the API show it: its due date on the day's calendar, and the
    fact that fulfilled it (with the record it belongs to, for a link)."""

    milestone: Milestone
    due_on: date | None
    cause_code: str | None = None
    cause_kind: str | None = None


def plan_step(
    app: FollowupApplication, milestone: Milestone, calendar: Calendar, names: Names
) -> PlanStep:
    """``milestone`` due on ``calendar``, with the code and kind of the fact that reached it."""
    due = milestone_due(milestone, calendar)[0]
    cause = milestone.reached_by
    if cause is None:
        return PlanStep(milestone, due)
    kind = cause.event_type.split(".")[0]
    code = None
    if kind == "WorkingGroup":
        group = names.working_group(cause.aggregate_id)
        code = group.code if group else None
    elif kind == "Survey":
        survey = app.events_of(cause.aggregate_id, up_to_version=1)
        code = survey[0].code if survey else None
    elif kind == "Outcome":
        first = app.events_of(cause.aggregate_id, up_to_version=1)
        code = first[0].code if first else None
    return PlanStep(milestone, due, code, kind)
