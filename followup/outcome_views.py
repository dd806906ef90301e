"""One outcome as the API and pages show it, built from a read-model row (current status) or
from the events folded as of a past day — the two paths give the same shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from adapters.read_models.event_data import plain
from domain.outcome_record import OutcomeRecord
from domain.status import StatusReport


@dataclass(frozen=True)
class Named:
    id: str
    code: str
    title: str


@dataclass(frozen=True)
class DeadlineView:
    kind: str
    description: str
    due_on: date | None
    anchor: str
    meeting_kind: str | None


@dataclass(frozen=True)
class OutcomeView:
    id: str
    code: str
    title: str
    summary: str
    status: str
    status_reason: str
    status_rule: str
    status_details: dict[str, Any]
    public: bool
    version: int
    adopted_on: date
    meeting: Named | None
    roundtable: str
    session: str
    responsible_states: list[dict[str, str]]
    working_group: Named | None
    deadline: DeadlineView | None
    progress_reports: int
    percent_complete: int | None
    completed_on: date | None
    evidence_urls: list[str] = field(default_factory=list)


@dataclass
class Names:
    """Meeting and working-group names by id, read once per request from the read models."""

    meetings: dict[str, Named]
    working_groups: dict[str, Named]

    def meeting(self, key: Any) -> Named | None:
        return self.meetings.get(str(key)) if key else None

    def working_group(self, key: Any) -> Named | None:
        return self.working_groups.get(str(key)) if key else None


def view_from_record(record: OutcomeRecord, report: StatusReport, names: Names) -> OutcomeView:
    deadline = record.deadline
    live = record.live_reports  # read once for the count, the percentage and the evidence
    percents = [r.percent_complete for r in live if r.percent_complete is not None]
    return OutcomeView(
        id=str(record.id),
        code=record.code,
        title=record.title,
        summary=record.summary,
        status=str(report.status),
        status_reason=report.reason,
        status_rule=report.rule,
        status_details=plain(report.details),
        public=record.public,
        version=record.version,
        adopted_on=record.adopted_on,
        meeting=names.meeting(record.meeting_id),
        roundtable=record.roundtable,
        session=record.session,
        responsible_states=[
            {"state": s, "role": str(r)} for s, r in sorted(record.responsible.items())
        ],
        working_group=names.working_group(record.working_group_id),
        deadline=DeadlineView(
            kind=str(deadline.kind),
            description=deadline.describe(),
            due_on=report.due_on,
            anchor=report.deadline_anchor,
            meeting_kind=deadline.meeting_kind,
        )
        if deadline
        else None,
        progress_reports=len(live),
        percent_complete=percents[-1] if percents else None,
        completed_on=record.last_completed_on if str(report.status) == "completed" else None,
        evidence_urls=sorted(
            {url for r in live for url in r.evidence_urls} | set(record.completion_evidence)
        ),
    )


def view_from_row(row: Any, responsible: list[dict[str, str]], names: Names) -> OutcomeView:
    return OutcomeView(
        id=row.id,
        code=row.code,
        title=row.title,
        summary=row.summary,
        status=row.status,
        status_reason=row.status_reason,
        status_rule=row.status_rule,
        status_details=dict(row.status_details),
        public=row.public,
        version=row.version,
        adopted_on=row.adopted_on,
        meeting=names.meeting(row.meeting_id),
        roundtable=row.roundtable,
        session=row.session,
        responsible_states=responsible,
        working_group=names.working_group(row.working_group_id),
        deadline=DeadlineView(
            kind=row.deadline_kind,
            description=row.deadline_text or "",
            due_on=row.due_on,
            anchor=row.deadline_anchor,
            meeting_kind=row.deadline_meeting_kind,
        )
        if row.deadline_kind
        else None,
        progress_reports=row.progress_reports,
        percent_complete=row.percent_complete,
        completed_on=row.completed_on if row.status == "completed" else None,
    )
