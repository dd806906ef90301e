"""An outcome adopted by a session: who owes it, by when, and what has been done about it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.deadlines import Deadline, DeadlineKind
from domain.errors import (
    AlreadyCompletedError,
    InvalidValueError,
    NotCompletedError,
    OutcomeClosedError,
    UnknownReportError,
)
from domain.identity import child_id, record_id
from domain.milestones import OutcomePlan
from domain.outcome_record import OutcomeRecord, ProgressEntry, Role
from domain.provenance import Provenance, latest_day


class Outcome(OutcomePlan, Aggregate):
    """A recommendation or planned action adopted at a meeting, followed up to completion."""

    #: bump when an event's ``record_in`` changes what it makes of the record without changing
    #: the record's shape: snapshots taken before are then ignored (``adapters.outcome_snapshots``)
    snapshot_revision = 1

    class Event(Aggregate.Event):
        occurred_on: date
        precision: str
        actor: str
        source: str

        # no default ``record_in`` here: every event below defines its own, and the plan's events
        # (inherited from ``OutcomePlan``, re-based on this class) must keep theirs

        def apply(self, aggregate: Any) -> None:
            self.record_in(aggregate.record)  # type: ignore[attr-defined]
            aggregate.record.version = self.originator_version

    class Adopted(Aggregate.Created):
        occurred_on: date
        precision: str
        actor: str
        source: str
        forum: str
        code: str
        title: str
        summary: str
        meeting_id: UUID | None
        roundtable: str
        session: str

        def apply(self, aggregate: Any) -> None:
            aggregate.record = OutcomeRecord.adopted(self)

    class ResponsibilityAssigned(Event):
        state: str
        role: str

        def record_in(self, record: OutcomeRecord) -> None:
            record.responsible[self.state] = Role(self.role)

    class ResponsibilityReleased(Event):
        state: str

        def record_in(self, record: OutcomeRecord) -> None:
            record.responsible.pop(self.state, None)

    class WorkingGroupAssigned(Event):
        working_group_id: UUID | None

        def record_in(self, record: OutcomeRecord) -> None:
            record.working_group_id = self.working_group_id

    class DeadlineSet(Event):
        kind: str
        due_on: date | None
        meeting_kind: str | None
        every_months: int | None
        first_due_on: date | None

        def record_in(self, record: OutcomeRecord) -> None:
            record.deadline = Deadline(
                kind=DeadlineKind(self.kind),
                set_on=self.occurred_on,
                due_on=self.due_on,
                meeting_kind=self.meeting_kind,
                every_months=self.every_months,
                first_due_on=self.first_due_on,
            )

    class ProgressReported(Event):
        """v2: ``evidence_urls`` (a list) replaced v1's single ``evidence_url``; adds percent.
        v3: ``milestone_id``, the custom milestone a report says it fulfils (or None)."""

        class_version = 3
        report_id: UUID
        summary: str
        percent_complete: int | None
        evidence_urls: list[str]
        milestone_id: UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            url = state.pop("evidence_url", None)
            state["evidence_urls"] = [url] if url else []
            state.setdefault("percent_complete", None)

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state.setdefault("milestone_id", None)

        def record_in(self, record: OutcomeRecord) -> None:
            record.reports[self.report_id] = ProgressEntry(
                report_id=self.report_id,
                occurred_on=self.occurred_on,
                precision=self.precision,
                summary=self.summary,
                percent_complete=self.percent_complete,
                evidence_urls=list(self.evidence_urls),
            )

    class ProgressReportRetracted(Event):
        report_id: UUID
        reason: str

        def record_in(self, record: OutcomeRecord) -> None:
            entry = record.reports.get(self.report_id)
            if entry is not None:  # replaced, not changed: a copied record may share it
                record.reports[self.report_id] = replace(
                    entry, retracted_on=self.occurred_on, retraction_reason=self.reason
                )

    class Completed(Event):
        summary: str
        evidence_urls: list[str]

        def record_in(self, record: OutcomeRecord) -> None:
            record.completions.append(self.occurred_on)
            record.completion_precision = self.precision
            record.completion_evidence = list(self.evidence_urls)

    class Reopened(Event):
        reason: str

        def record_in(self, record: OutcomeRecord) -> None:
            if record.completions:
                record.completions.pop()

    class Withdrawn(Event):
        reason: str

        def record_in(self, record: OutcomeRecord) -> None:
            record.withdrawn_on = self.occurred_on
            record.withdrawal_reason = self.reason

    class Superseded(Event):
        successor_id: UUID

        def record_in(self, record: OutcomeRecord) -> None:
            record.superseded_on = self.occurred_on
            record.successor_id = self.successor_id

    record: OutcomeRecord  # set by ``Adopted.apply``; shared with the status rules

    class PublicityChanged(Event):
        """Whether the outcome shows on the public view (read-only, without sign-in)."""

        public: bool

        def record_in(self, record: OutcomeRecord) -> None:
            record.public = self.public

    def __init__(self) -> None:
        """State comes from ``Adopted.apply``: the record is shared with the status rules."""

    @staticmethod
    def create_id(forum: str, code: str) -> UUID:
        return record_id(forum, "outcome", code)

    @classmethod
    def adopt(
        cls,
        forum: str,
        code: str,
        title: str,
        fact: Provenance,
        summary: str = "",
        meeting_id: UUID | None = None,
        roundtable: str = "",
        session: str = "",
    ) -> Outcome:
        if not title.strip():
            raise InvalidValueError("an outcome needs a title")
        return cls._create(
            cls.Adopted,
            id=cls.create_id(forum, code),
            forum=forum,
            code=code,
            title=title,
            summary=summary,
            meeting_id=meeting_id,
            roundtable=roundtable,
            session=session,
            **fact.event_fields(),
        )

    # -- guards -----------------------------------------------------------------------------

    def check_open(self) -> None:
        if self.record.withdrawn_on is not None:
            raise OutcomeClosedError(f"outcome {self.record.code} was withdrawn")
        if self.record.superseded_on is not None:
            raise OutcomeClosedError(f"outcome {self.record.code} was superseded")

    def check_after_adoption(self, fact: Provenance) -> None:
        if latest_day(fact.occurred_on, fact.precision) < self.record.adopted_on:
            raise InvalidValueError(
                f"{fact.occurred_on} is before the outcome was adopted ({self.record.adopted_on})"
            )

    @property
    def is_recurring(self) -> bool:
        deadline = self.record.deadline
        return deadline is not None and deadline.kind == DeadlineKind.RECURRING

    def check_not_completed(self) -> None:
        if self.record.completions and not self.is_recurring:
            raise AlreadyCompletedError(f"outcome {self.record.code} is already completed")

    # -- commands ---------------------------------------------------------------------------

    def assign_responsibility(self, state: str, role: Role, fact: Provenance) -> None:
        self.check_open()
        self.trigger_event(
            self.ResponsibilityAssigned, state=state, role=str(role), **fact.event_fields()
        )

    def release_responsibility(self, state: str, fact: Provenance) -> None:
        self.check_open()
        if state not in self.record.responsible:
            raise InvalidValueError(f"{state} is not responsible for {self.record.code}")
        self.trigger_event(self.ResponsibilityReleased, state=state, **fact.event_fields())

    def assign_working_group(self, working_group_id: UUID | None, fact: Provenance) -> None:
        self.check_open()
        self.trigger_event(
            self.WorkingGroupAssigned, working_group_id=working_group_id, **fact.event_fields()
        )

    def set_deadline(self, deadline: Deadline, fact: Provenance) -> None:
        self.check_open()
        self.trigger_event(
            self.DeadlineSet,
            kind=str(deadline.kind),
            due_on=deadline.due_on,
            meeting_kind=deadline.meeting_kind,
            every_months=deadline.every_months,
            first_due_on=deadline.first_due_on,
            **fact.event_fields(),
        )

    def report_id(self, key: str) -> UUID:
        """The id of the progress report named ``key`` (a client's or an import's)."""
        return child_id(self.id, "report", key)

    def report_progress(
        self,
        report_id: UUID,
        summary: str,
        fact: Provenance,
        percent_complete: int | None = None,
        evidence_urls: list[str] | None = None,
        milestone_id: UUID | None = None,
    ) -> None:
        self.check_open()
        self.check_not_completed()
        self.check_after_adoption(fact)
        if milestone_id is not None and milestone_id not in self.record.milestones:
            raise InvalidValueError(f"no milestone {milestone_id} in this outcome's plan")
        if report_id in self.record.reports:
            raise InvalidValueError(f"progress report {report_id} is already recorded")
        if not summary.strip():
            raise InvalidValueError("a progress report needs a summary")
        if percent_complete is not None and not 0 <= percent_complete <= 100:
            raise InvalidValueError("percent_complete must be between 0 and 100")
        self.trigger_event(
            self.ProgressReported,
            report_id=report_id,
            summary=summary,
            percent_complete=percent_complete,
            evidence_urls=list(evidence_urls or []),
            milestone_id=milestone_id,
            **fact.event_fields(),
        )

    def retract_progress(self, report_id: UUID, reason: str, fact: Provenance) -> None:
        self.check_open()
        entry = self.record.reports.get(report_id)
        if entry is None or entry.retracted_on is not None:
            raise UnknownReportError(f"no live progress report {report_id} on {self.record.code}")
        self.trigger_event(
            self.ProgressReportRetracted, report_id=report_id, reason=reason, **fact.event_fields()
        )

    def complete(self, summary: str, evidence_urls: list[str], fact: Provenance) -> None:
        self.check_open()
        self.check_not_completed()
        self.check_after_adoption(fact)
        if not evidence_urls and not fact.source.strip():
            raise InvalidValueError("completion needs evidence: a link or a source document")
        self.trigger_event(
            self.Completed,
            summary=summary,
            evidence_urls=list(evidence_urls),
            **fact.event_fields(),
        )

    def reopen(self, reason: str, fact: Provenance) -> None:
        self.check_open()
        if not self.record.completions:
            raise NotCompletedError(f"outcome {self.record.code} is not completed")
        self.trigger_event(self.Reopened, reason=reason, **fact.event_fields())

    def set_public(self, public: bool, fact: Provenance) -> None:
        if self.record.public == public:
            raise InvalidValueError(
                f"outcome {self.record.code} is already {'public' if public else 'not public'}"
            )
        self.trigger_event(self.PublicityChanged, public=public, **fact.event_fields())

    def withdraw(self, reason: str, fact: Provenance) -> None:
        self.check_open()
        self.trigger_event(self.Withdrawn, reason=reason, **fact.event_fields())

    def supersede(self, successor_id: UUID, fact: Provenance) -> None:
        self.check_open()
        if successor_id == self.id:
            raise InvalidValueError("an outcome cannot supersede itself")
        self.trigger_event(self.Superseded, successor_id=successor_id, **fact.event_fields())
