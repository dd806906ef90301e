"""Status rules: one pure function from an outcome's events, the calendar and a day to a status
and the reason in words. Nobody types a status in; this module is the only place it is decided.

The rules, in order (the README carries the same table):

1. superseded by another outcome            → ``superseded``
2. withdrawn                                → ``withdrawn``
3. completed (not reopened since); for a recurring deadline, completed within the current cycle
                                            → ``completed``
4. recurring, and the previous cycle passed without completion → ``overdue``
5. the deadline has passed                  → ``overdue``
6. the deadline is within ``due_soon_days`` → ``due_soon``
7. a live (not retracted) progress report   → ``in_progress``
8. otherwise                                → ``not_started``
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from domain.calendar import Calendar
from domain.deadlines import (
    Deadline,
    DeadlineKind,
    ResolvedDeadline,
    previous_cycle_due,
    resolve,
)
from domain.outcome_history import fold_outcome
from domain.outcome_record import Milestone, OutcomeRecord
from domain.provenance import format_partial_date

DUE_SOON_DAYS = 30


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class StatusReport:
    """A status, why, the due date that applies, and the day it next changes by itself."""

    status: Status
    reason: str
    due_on: date | None = None
    deadline_anchor: str = ""
    changes_on: date | None = None
    rule: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def status_of(
    events: Sequence[Any], calendar: Calendar, on: date, due_soon_days: int = DUE_SOON_DAYS
) -> StatusReport | None:
    """The status on ``on`` from the events that had occurred by then (None: not yet adopted).

    ``calendar`` should be the calendar as it stood on ``on`` (see ``calendar_as_of``).
    """
    record = fold_outcome(list(events), on)
    if record is None:
        return None
    return status_of_record(record, calendar, on, due_soon_days)


def status_of_record(
    record: OutcomeRecord, calendar: Calendar, on: date, due_soon_days: int = DUE_SOON_DAYS
) -> StatusReport:
    """The rules applied to an already folded record (see the module docstring)."""
    if record.superseded_on is not None:
        return StatusReport(
            Status.SUPERSEDED,
            f"superseded on {record.superseded_on}",
            rule="superseded",
            details={"on": record.superseded_on},
        )
    if record.withdrawn_on is not None:
        reason = f"withdrawn on {record.withdrawn_on}"
        if record.withdrawal_reason:
            reason += f": {record.withdrawal_reason}"
        return StatusReport(
            Status.WITHDRAWN,
            reason,
            rule="withdrawn",
            details={"on": record.withdrawn_on, "reason": record.withdrawal_reason},
        )
    deadline = record.deadline
    if deadline is not None and deadline.kind == DeadlineKind.RECURRING:
        return _recurring_status(record, calendar, on, due_soon_days)
    if record.completions:
        done = format_partial_date(record.completions[-1], record.completion_precision)
        return StatusReport(
            Status.COMPLETED,
            f"completed on {done}",
            rule="completed",
            details={"on": record.completions[-1], "precision": record.completion_precision},
        )
    resolved = resolve(deadline, calendar, on) if deadline is not None else None
    return _open_status(record, calendar, resolved, on, due_soon_days)


def _recurring_status(
    record: OutcomeRecord, calendar: Calendar, on: date, due_soon_days: int
) -> StatusReport:
    deadline = record.deadline
    assert deadline is not None
    resolved = resolve(deadline, calendar, on)
    due = resolved.due_on
    assert due is not None
    previous_due = previous_cycle_due(deadline, on)
    cycle_start = previous_due or date.min
    if any(cycle_start < done <= on for done in record.completions):
        return StatusReport(
            Status.COMPLETED,
            f"completed for the cycle ending {due}; due again from {due + timedelta(days=1)}",
            due,
            resolved.anchor,
            changes_on=due + timedelta(days=1),
            rule="completed_for_cycle",
            details={"due": due, **anchor_details(resolved, deadline)},
        )
    reached, planned = record.plan_share
    share = {"reached": reached, "planned": planned} if planned else {}
    late = milestone_status(record, calendar, on, due_soon_days, share)
    if late is not None and late.status == Status.OVERDUE:
        return late  # the plan's reason names the milestone
    if previous_due is not None:
        before_previous = previous_cycle_due(deadline, previous_due) or date.min
        if not any(before_previous < done <= previous_due for done in record.completions):
            return StatusReport(
                Status.OVERDUE,
                f"the cycle due {previous_due} ended without completion",
                previous_due,
                resolved.anchor,
                changes_on=None,
                rule="missed_cycle",
                details={"due": previous_due, **anchor_details(resolved, deadline)},
            )
    return _open_status(record, calendar, resolved, on, due_soon_days, cycle_start)


def _open_status(
    record: OutcomeRecord,
    calendar: Calendar,
    resolved: ResolvedDeadline | None,
    on: date,
    due_soon_days: int,
    since: date = date.min,
) -> StatusReport:
    due = resolved.due_on if resolved else None
    anchor = resolved.anchor if resolved else ""
    reached, planned = record.plan_share
    context: dict[str, Any] = {
        "due": due,
        **anchor_details(resolved, record.deadline),
        **({"reached": reached, "planned": planned} if planned else {}),
        **next_milestone(record, calendar),
    }
    late = milestone_status(record, calendar, on, due_soon_days, context)
    if late is not None and late.status == Status.OVERDUE:
        return late
    if due is not None and due < on:
        days = (on - due).days
        return StatusReport(
            Status.OVERDUE,
            f"due {due} ({anchor}), {days} days ago",
            due,
            anchor,
            changes_on=on + timedelta(days=1),  # its day count moves daily
            rule="overdue",
            details={**context, "days": days},
        )
    if late is not None:
        return late
    soon_from = due - timedelta(days=due_soon_days) if due is not None else None
    if due is not None and soon_from is not None and soon_from <= on:
        days = (due - on).days
        return StatusReport(
            Status.DUE_SOON,
            f"due {due} ({anchor}), in {days} days",
            due,
            anchor,
            changes_on=on + timedelta(days=1),  # its day count moves daily
            rule="due_soon",
            details={**context, "days": days},
        )
    reports = [r for r in record.live_reports if r.occurred_on > since]
    when = f"due {due} ({anchor})" if due is not None else (anchor or "no deadline set")
    if reached and not reports:
        return StatusReport(
            Status.IN_PROGRESS,
            f"{reached} of {planned} milestones reached; {when}",
            due,
            anchor,
            changes_on=min_date(soon_from, next_milestone_change(record, calendar, due_soon_days)),
            rule="milestones_reached",
            details=context,
        )
    if reports:
        latest = reports[-1]
        return StatusReport(
            Status.IN_PROGRESS,
            f"{len(reports)} progress report(s), latest "
            f"{format_partial_date(latest.occurred_on, latest.precision)}; {when}",
            due,
            anchor,
            changes_on=min_date(soon_from, next_milestone_change(record, calendar, due_soon_days)),
            rule="in_progress",
            details={
                **context,
                "count": len(reports),
                "latest": latest.occurred_on,
                "precision": latest.precision,
            },
        )
    return StatusReport(
        Status.NOT_STARTED,
        f"no progress reported; {when}",
        due,
        anchor,
        changes_on=min_date(soon_from, next_milestone_change(record, calendar, due_soon_days)),
        rule="not_started",
        details=context,
    )


def anchor_details(resolved: ResolvedDeadline | None, deadline: Deadline | None) -> dict[str, Any]:
    """What the due date hangs on, as values a page can put into its own language."""
    if resolved is None or deadline is None:
        return {"anchor": "none"}
    if resolved.meeting is not None:
        return {
            "anchor": "meeting",
            "meeting_kind": resolved.meeting.kind,
            "meeting_title": resolved.meeting.title,
        }
    if deadline.kind == DeadlineKind.RECURRING:
        return {"anchor": "recurring", "every_months": deadline.every_months}
    if deadline.kind == DeadlineKind.NEXT_MEETING:
        return {"anchor": "unscheduled", "meeting_kind": deadline.meeting_kind}
    return {"anchor": "date"}


def milestone_due(milestone: Milestone, calendar: Calendar) -> tuple[date | None, str]:
    """A milestone's due date on this calendar, and what it hangs on."""
    deadline = milestone.deadline
    if deadline is None:
        return None, ""
    if deadline.kind == DeadlineKind.NEXT_MEETING:
        meeting = calendar.next_meeting(deadline.meeting_kind or "", after=milestone.planned_on)
        return (meeting.starts_on, meeting.title) if meeting else (None, "")
    return deadline.due_on, ""


def milestone_status(
    record: OutcomeRecord,
    calendar: Calendar,
    on: date,
    due_soon_days: int,
    context: dict[str, Any],
) -> StatusReport | None:
    """An open milestone past its deadline makes the outcome overdue; one near it, due soon."""
    dated = []
    for milestone in record.open_milestones:
        due, anchor = milestone_due(milestone, calendar)
        if due is not None:
            dated.append((due, milestone.title, anchor))
    if not dated:
        return None
    due, title, anchor = min(dated)
    details = {**context, "milestone": title, "milestone_due": due}
    if due < on:
        days = (on - due).days
        return StatusReport(
            Status.OVERDUE,
            f'milestone "{title}" was due {due}, {days} days ago',
            due,
            anchor,
            changes_on=on + timedelta(days=1),  # its day count moves daily
            rule="milestone_overdue",
            details={**details, "days": days},
        )
    if due - timedelta(days=due_soon_days) <= on:
        days = (due - on).days
        return StatusReport(
            Status.DUE_SOON,
            f'milestone "{title}" is due {due}, in {days} days',
            due,
            anchor,
            changes_on=on + timedelta(days=1),  # its day count moves daily
            rule="milestone_due_soon",
            details={**details, "days": days},
        )
    return None


def next_milestone(record: OutcomeRecord, calendar: Calendar) -> dict[str, Any]:
    """The open milestone due first, for digests and pages (empty when none is dated)."""
    dated = [(milestone_due(m, calendar)[0], m.title) for m in record.open_milestones]
    known = sorted((d, t) for d, t in dated if d is not None)
    return {"next_milestone": known[0][1], "next_milestone_due": known[0][0]} if known else {}


def next_milestone_change(record: OutcomeRecord, calendar: Calendar, window: int) -> date | None:
    dates = [milestone_due(m, calendar)[0] for m in record.open_milestones]
    known = [d - timedelta(days=window) for d in dates if d is not None]
    return min(known) if known else None


def min_date(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None
