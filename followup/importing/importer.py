"""``followup import FILE``: validate everything first, then append all or nothing.

Importing the same file twice appends nothing the second time: every record has a
deterministic id, and only facts the store does not hold yet become events.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.errors import DomainError
from domain.forum import DEFAULT_CHAIR_MEETING_KINDS, DEFAULT_MEETING_KINDS, Forum
from domain.identity import record_id
from domain.provenance import Precision, Provenance, latest_day
from domain.survey import Figure, Survey
from domain.working_group import WorkingGroup
from followup.application import FollowupApplication
from followup.importing.checks import Checker
from followup.importing.outcome_import import OutcomeImport
from followup.importing.schema import (
    ImportFile,
    MeetingIn,
    PartialDate,
    SurveyIn,
    WorkingGroupIn,
)
from followup.importing.validation import skipped_codes, validate_items
from followup.importing.yaml_lines import Path, Problem, dotted, load_located


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    problems: list[Problem] = field(default_factory=list)
    appended: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def events_appended(self) -> int:
        return sum(self.appended.values())


class _PlanningError(Exception):
    def __init__(self, path: Path, error: DomainError) -> None:
        super().__init__(str(error))
        self.path = path


class Importer(OutcomeImport):
    """Turns an import file into events on ``app``; ``actor`` is recorded on every event."""

    def __init__(self, app: FollowupApplication, actor: str) -> None:
        self.app = app
        self.actor = actor
        self.touched: dict[UUID, Aggregate] = {}

    def run(self, text: str, dry_run: bool = False) -> ImportReport:
        doc, problems = load_located(text)
        if doc is None or problems:
            return ImportReport(problems)
        parsed, problems = validate_items(doc)
        if parsed is None:
            return ImportReport(problems)
        forum = self.app.find_forum()
        checker = Checker(parsed, doc, forum, self.app.clock.today(), self.exists)
        problems += checker.run(self.app.forum_code, skipped_codes(doc, problems))
        if problems:
            return ImportReport(sorted(problems, key=lambda p: p.line))
        try:
            self.plan(parsed, forum)
        except _PlanningError as error:
            return ImportReport([Problem(doc.line_of(error.path), dotted(error.path), str(error))])
        pending = [a for a in self.touched.values() if a.pending_events]
        report = ImportReport()
        for aggregate in pending:
            for event in aggregate.pending_events:
                report.appended[type(event).__qualname__] += 1
        if not dry_run and pending:
            self.app.save(*pending)
        return report

    def exists(self, kind: str, code: str) -> bool:
        return self.app.exists(record_id(self.app.forum_code, kind, code))

    # -- planning ---------------------------------------------------------------------------

    def fact(self, when: PartialDate, source: str) -> Provenance:
        return Provenance(
            occurred_on=when[0],
            actor=self.actor,
            source=source,
            precision=when[1],
            recorded_at=self.app.clock.now(),
        )

    def load(self, aggregate_id: UUID) -> Aggregate | None:
        if aggregate_id in self.touched:
            return self.touched[aggregate_id]
        try:
            aggregate: object = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        assert isinstance(aggregate, Aggregate)
        self.touched[aggregate_id] = aggregate
        return aggregate

    def keep(self, aggregate: Aggregate) -> None:
        self.touched[aggregate.id] = aggregate

    def plan(self, file: ImportFile, forum: Forum | None) -> None:
        forum = self.plan_forum(file, forum)
        for i, group in enumerate(file.working_groups):
            self.guarded(("working_groups", i), lambda g=group: self.plan_working_group(g))
        for i, meeting in enumerate(file.meetings):
            self.guarded(("meetings", i), lambda m=meeting: self.plan_meeting(forum, m))
        for i, survey in enumerate(file.surveys):
            self.guarded(("surveys", i), lambda s=survey: self.plan_survey(s))
        for i, outcome in enumerate(file.outcomes):
            self.guarded(("outcomes", i), lambda o=outcome: self.plan_outcome(forum, o))

    @staticmethod
    def guarded(path: Path, step: object) -> None:
        try:
            step()  # type: ignore[operator]
        except DomainError as error:
            raise _PlanningError(path, error) from None

    def plan_forum(self, file: ImportFile, forum: Forum | None) -> Forum:
        spec = file.forum
        first_day = min(
            [c.assumed_on for c in file.chairmanships] + [m.starts_on for m in file.meetings],
            default=(self.app.clock.today(), Precision.DAY),
        )
        if forum is None:
            forum = Forum.establish(
                spec.code,
                spec.name,
                self.fact(first_day, "import file"),
                languages=spec.languages,
                meeting_kinds=spec.meeting_kinds or DEFAULT_MEETING_KINDS,
                chair_meeting_kinds=spec.chair_meeting_kinds or DEFAULT_CHAIR_MEETING_KINDS,
            )
        self.keep(forum)
        for i, state in enumerate(file.states):
            if state.code not in forum.states:
                self.guarded(
                    ("states", i),
                    lambda s=state: forum.admit_state(
                        s.code, s.name, self.fact(first_day, "import file")
                    ),
                )
        held = {(c.state, c.term) for c in forum.book.chairmanships}
        for i, chair in enumerate(file.chairmanships):
            if (chair.state, chair.term) not in held:
                self.guarded(
                    ("chairmanships", i),
                    lambda c=chair: forum.assume_chairmanship(
                        c.state, c.term, self.fact(c.assumed_on, c.source)
                    ),
                )
        return forum

    def plan_meeting(self, forum: Forum, spec: MeetingIn) -> None:
        meeting_id = forum.meeting_id(spec.code)
        starts_on = spec.starts_on[0]
        ends_on = latest_day(*spec.ends_on) if spec.ends_on else starts_on
        existing = forum.book.meetings.get(meeting_id)
        group_id = (
            record_id(self.app.forum_code, "working_group", spec.working_group)
            if spec.working_group
            else None
        )
        if existing is None:
            announced = spec.announced_on or (date(starts_on.year, 1, 1), Precision.YEAR)
            forum.schedule_meeting(
                spec.code,
                spec.kind,
                spec.title,
                starts_on,
                self.fact(announced, spec.source),
                ends_on=ends_on,
                place=spec.place,
                convened_by=spec.convened_by,
                working_group_id=group_id,
            )
        elif (existing.starts_on, existing.ends_on) != (starts_on, ends_on) and (
            existing.status == "scheduled"
        ):
            forum.reschedule_meeting(
                meeting_id,
                starts_on,
                self.fact((self.app.clock.today(), Precision.DAY), spec.source),
                ends_on=ends_on,
            )
        current = forum.book.meetings[meeting_id]
        if spec.held and current.status == "scheduled":
            forum.mark_meeting_held(meeting_id, self.fact((ends_on, Precision.DAY), spec.source))
        if spec.held and group_id is not None:
            group = self.load(group_id)
            assert isinstance(group, WorkingGroup)
            if meeting_id not in group.expert_meetings:
                group.hold_expert_meeting(
                    meeting_id, spec.title, self.fact(spec.starts_on, spec.source), spec.place
                )

    def plan_working_group(self, spec: WorkingGroupIn) -> None:
        group_id = WorkingGroup.create_id(self.app.forum_code, spec.code)
        group = self.load(group_id)
        if group is None:
            group = WorkingGroup.form(
                self.app.forum_code, spec.code, spec.name, self.fact(spec.formed_on, spec.source)
            )
            self.keep(group)
        assert isinstance(group, WorkingGroup)
        for member in spec.members:
            fact = self.fact(member.joined_on or spec.formed_on, member.source or spec.source)
            if member.state not in group.members:
                group.admit_member(member.state, member.role, fact)
            elif group.members[member.state] != member.role:
                group.change_member_role(member.state, member.role, fact)

    def plan_survey(self, spec: SurveyIn) -> None:
        survey = self.load(Survey.create_id(self.app.forum_code, spec.code))
        if survey is None:
            survey = Survey.launch(
                self.app.forum_code,
                spec.code,
                spec.title,
                self.fact(spec.launched_on, spec.source),
                conducted_by=spec.conducted_by,
            )
            self.keep(survey)
        assert isinstance(survey, Survey)
        if spec.working_group is not None:
            group_id = record_id(self.app.forum_code, "working_group", spec.working_group)
            if survey.working_group_id != group_id:
                survey.assign_working_group(group_id, self.fact(spec.launched_on, spec.source))
        for run in spec.runs:
            if survey.run_id(run.code) not in survey.runs:
                figures = [Figure(**f.model_dump()) for f in run.figures]
                survey.close_run(
                    run.code, run.responses, figures, self.fact(run.closed_on, run.source)
                )
