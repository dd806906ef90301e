"""The workflow policy: facts the forum records advance the plans of the outcomes waiting for them.

It runs as the eventsourcing library's process application following the forum's own log: each
``MilestoneReached`` (or ``MilestoneReopened``) is recorded in the same transaction as the log
position it answers, so an event delivered twice, or replayed, reaches nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent

from domain.calendar import Meeting, MeetingStatus
from domain.forum import Forum
from domain.outcome import Outcome
from domain.outcome_record import FactRef, Milestone, MilestoneKind
from domain.plan_templates import next_cycle
from domain.provenance import Provenance
from domain.survey import Survey
from domain.working_group import WorkingGroup
from followup.workflow_facts import ACTOR, Lookups, cause_of


class WorkflowPolicy:
    def __init__(self, app: Any, lookups: Lookups) -> None:
        self.app = app
        self.lookups = lookups

    # -- plumbing ---------------------------------------------------------------------------

    def _outcome(self, outcome_id: UUID, pe: ProcessingEvent[UUID]) -> Outcome | None:
        if outcome_id in pe.aggregates:
            found = pe.aggregates[outcome_id]
        else:
            try:
                found = self.app.repository.get(outcome_id)
            except AggregateNotFoundError:
                return None
        return found if isinstance(found, Outcome) else None

    def _fact(self, event: Any) -> Provenance:
        return Provenance(
            event.occurred_on, ACTOR, f"{type(event).__qualname__} of {event.originator_id}"
        )

    def _reach(
        self,
        outcome: Outcome,
        milestone: Milestone,
        cause: FactRef,
        event: Any,
        pe: ProcessingEvent[UUID],
    ) -> None:
        if outcome.reach_milestone(milestone.id, cause, self._fact(event)):
            if milestone.kind == MilestoneKind.RUN_SURVEY:
                next_cycle(outcome, milestone, Provenance(cause.occurred_on, ACTOR, "plan"))
            pe.collect_events(outcome)

    def _each_waiting(
        self, kind: MilestoneKind, key: str | None, pe: ProcessingEvent[UUID]
    ) -> Iterable[tuple[Outcome, Milestone]]:
        position = pe.tracking.notification_id if pe.tracking else 2**62
        for outcome_id in self.lookups.waiting(kind, key, position):
            outcome = self._outcome(outcome_id, pe)
            if outcome is None:
                continue
            for milestone in list(outcome.record.milestones.values()):
                if milestone.kind == kind and not milestone.reached:
                    yield outcome, milestone

    # -- the policy -------------------------------------------------------------------------

    def react(self, event: Any, pe: ProcessingEvent[UUID]) -> None:
        if isinstance(event, WorkingGroup.Formed):
            self.group_formed(event, pe)
        elif isinstance(event, WorkingGroup.ExpertMeetingHeld):
            self.expert_meeting_held(event, pe)
        elif isinstance(event, Survey.RunClosed):
            self.survey_run_closed(event, pe)
        elif isinstance(event, Forum.MeetingHeld):
            self.meeting_held(event, pe)
        elif isinstance(event, Outcome.MilestonePlanned):
            self.milestone_planned(event, pe)
        elif isinstance(event, Outcome.ProgressReported):
            self.progress_reported(event, pe)
        elif isinstance(
            event,
            Outcome.ProgressReportRetracted
            | Survey.RunRetracted
            | WorkingGroup.ExpertMeetingRetracted,
        ):
            self.fact_retracted(event, pe)

    def group_formed(self, event: Any, pe: ProcessingEvent[UUID]) -> None:
        key = str(event.originator_id)
        for outcome, milestone in self._each_waiting(MilestoneKind.FORM_WORKING_GROUP, key, pe):
            if milestone.working_group_id == event.originator_id:
                self._reach(outcome, milestone, cause_of(event), event, pe)

    def expert_meeting_held(self, event: Any, pe: ProcessingEvent[UUID]) -> None:
        key = str(event.originator_id)
        for outcome, milestone in self._each_waiting(MilestoneKind.HOLD_EXPERT_MEETING, key, pe):
            group_matches = milestone.working_group_id in (None, event.originator_id)
            if group_matches and event.occurred_on >= milestone.planned_on:
                self._reach(outcome, milestone, cause_of(event), event, pe)

    def survey_run_closed(self, event: Any, pe: ProcessingEvent[UUID]) -> None:
        key = str(event.originator_id)
        for outcome, milestone in self._each_waiting(MilestoneKind.RUN_SURVEY, key, pe):
            if milestone.survey_id == event.originator_id and self.run_counts(
                outcome, milestone, event.occurred_on
            ):
                self._reach(outcome, milestone, cause_of(event), event, pe)

    @staticmethod
    def run_counts(outcome: Outcome, milestone: Milestone, closed_on: date) -> bool:
        """A run fulfils the first cycle; a later cycle needs a run after the previous one's."""
        earlier = [
            m.reached_by.occurred_on
            for m in outcome.record.milestones.values()
            if m.kind == MilestoneKind.RUN_SURVEY
            and m.survey_id == milestone.survey_id
            and m.cycle < milestone.cycle
            and m.reached_by is not None
        ]
        return not earlier or closed_on > max(earlier)

    def meeting_held(self, event: Any, pe: ProcessingEvent[UUID]) -> None:
        forum = self.app.repository.get(event.originator_id)
        meeting = forum.book.meetings.get(event.meeting_id)
        if meeting is None:
            return
        for outcome, milestone in self._each_waiting(
            MilestoneKind.REPORT_AT_MEETING, meeting.kind, pe
        ):
            if milestone.meeting_kind == meeting.kind and self.reported_at(
                outcome, meeting, milestone
            ):
                self._reach(outcome, milestone, cause_of(event), event, pe)

    @staticmethod
    def reported_at(outcome: Outcome, meeting: Meeting, milestone: Milestone) -> bool:
        return meeting.starts_on >= milestone.planned_on and any(
            meeting.starts_on <= report.occurred_on <= meeting.ends_on
            for report in outcome.record.live_reports
        )

    def progress_reported(self, event: Any, pe: ProcessingEvent[UUID]) -> None:
        if event.milestone_id is None and not self.during_a_held_meeting(event.occurred_on, pe):
            # a report reaches only the custom milestone it names or a report-at-meeting one
            # whose meeting it falls in: most reports can do neither, and loading the outcome's
            # whole stream to find that out was most of the policy's cost
            return
        outcome = self._outcome(event.originator_id, pe)
        if outcome is None:
            return
        for milestone in list(outcome.record.milestones.values()):
            if milestone.reached:
                continue
            if milestone.kind == MilestoneKind.CUSTOM and event.milestone_id == milestone.id:
                self._reach(outcome, milestone, cause_of(event), event, pe)
            elif milestone.kind == MilestoneKind.REPORT_AT_MEETING:
                for meeting in self.held_meetings(milestone.meeting_kind, pe):
                    if meeting.starts_on <= event.occurred_on <= meeting.ends_on and (
                        meeting.starts_on >= milestone.planned_on
                    ):
                        self._reach(outcome, milestone, cause_of(event), event, pe)
                        break

    def held_meetings(self, kind: str | None, pe: ProcessingEvent[UUID]) -> list[Meeting]:
        calendar = self._calendar(pe)
        return [m for m in calendar.meetings if m.kind == kind and m.status == MeetingStatus.HELD]

    def during_a_held_meeting(self, day: date, pe: ProcessingEvent[UUID]) -> bool:
        return any(
            m.status == MeetingStatus.HELD and m.starts_on <= day <= m.ends_on
            for m in self._calendar(pe).meetings
        )

    def _calendar(self, pe: ProcessingEvent[UUID]) -> Any:
        """The calendar knowing at least every forum event up to the one answered (read once
        for a write and its answer: the projection asked for it first)."""
        return self.app.calendar(through=pe.tracking.notification_id if pe.tracking else None)

    def milestone_planned(self, event: Any, pe: ProcessingEvent[UUID]) -> None:
        """A plan made after its fact: reach it at once with that fact."""
        outcome = self._outcome(event.originator_id, pe)
        milestone = outcome.record.milestones.get(event.milestone_id) if outcome else None
        if outcome is None or milestone is None or milestone.reached:
            return
        cause = self.existing_fact(outcome, milestone, pe)
        if cause is not None:
            self._reach(outcome, milestone, cause_of(cause), cause, pe)

    def existing_fact(
        self, outcome: Outcome, milestone: Milestone, pe: ProcessingEvent[UUID]
    ) -> Any | None:
        kind = milestone.kind
        if kind == MilestoneKind.FORM_WORKING_GROUP and milestone.working_group_id:
            formed = self.app.events_of(milestone.working_group_id, up_to_version=1)
            return formed[0] if formed else None
        if kind == MilestoneKind.HOLD_EXPERT_MEETING:
            groups = (
                [milestone.working_group_id]
                if milestone.working_group_id
                else self.lookups.groups()
            )
            held = [
                e
                for g in groups
                for e in self.live_facts(
                    g, WorkingGroup.ExpertMeetingHeld, WorkingGroup.ExpertMeetingRetracted
                )
                if e.occurred_on >= milestone.planned_on
            ]
            return min(held, key=lambda e: e.occurred_on) if held else None
        if kind == MilestoneKind.RUN_SURVEY and milestone.survey_id:
            runs = [
                e
                for e in self.live_facts(milestone.survey_id, Survey.RunClosed, Survey.RunRetracted)
                if self.run_counts(outcome, milestone, e.occurred_on)
            ]
            return max(runs, key=lambda e: e.occurred_on) if runs else None
        if kind == MilestoneKind.REPORT_AT_MEETING:
            for meeting in self.held_meetings(milestone.meeting_kind, pe):
                if self.reported_at(outcome, meeting, milestone):
                    held = [
                        e
                        for e in self.app.events_of(self.app.forum_id)
                        if isinstance(e, Forum.MeetingHeld) and e.meeting_id == meeting.id
                    ]
                    return held[0] if held else None
        return None

    def live_facts(self, aggregate_id: UUID, made: type, retracted: type) -> list[Any]:
        """The aggregate's facts of type ``made`` not retracted since."""
        events = self.app.events_of(aggregate_id)
        gone = {self._subject(e) for e in events if isinstance(e, retracted)}
        return [e for e in events if isinstance(e, made) and self._subject(e) not in gone]

    @staticmethod
    def _subject(event: Any) -> Any:
        return getattr(event, "run_id", None) or getattr(event, "meeting_id", None)

    def fact_retracted(self, event: Any, pe: ProcessingEvent[UUID]) -> None:
        """The fact a milestone rests on was retracted: reopen the milestone."""
        subject = getattr(event, "report_id", None) or self._subject(event)
        versions = {
            e.originator_version
            for e in self.app.events_of(event.originator_id)
            if getattr(e, "report_id", None) == subject
            or (self._subject(e) == subject and not getattr(e, "reason", None))
        }
        for outcome_id in self.lookups.reached_by(event.originator_id):
            outcome = self._outcome(outcome_id, pe)
            if outcome is None:
                continue
            reason = f"{type(event).__qualname__}: {event.reason}"
            for milestone in list(outcome.record.milestones.values()):
                cause = milestone.reached_by
                rests_on_it = (
                    cause is not None
                    and cause.aggregate_id == event.originator_id
                    and cause.version in versions
                )
                if rests_on_it and outcome.reopen_milestone(
                    milestone.id, reason, self._fact(event)
                ):
                    pe.collect_events(outcome)
