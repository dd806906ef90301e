"""Checks across the import file (and what the store already holds) that a schema cannot make:
unique codes, known states, meetings and working groups, dates in order and not in the future."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from domain.forum import DEFAULT_MEETING_KINDS, Forum
from domain.provenance import latest_day
from followup.importing.schema import ImportFile, PartialDate
from followup.importing.yaml_lines import LocatedDocument, Path, Problem, dotted


class Checker:
    def __init__(
        self,
        parsed: ImportFile,
        doc: LocatedDocument,
        forum: Forum | None,
        today: date,
        exists: Callable[[str, str], bool],
    ) -> None:
        self.exists = exists
        self.parsed = parsed
        self.doc = doc
        self.forum = forum
        self.today = today
        self.problems: list[Problem] = []

    def fail(self, path: Path, message: str) -> None:
        self.problems.append(Problem(self.doc.line_of(path), dotted(path), message))

    def run(self, serving_forum: str, skipped: set[str] | None = None) -> list[Problem]:
        """Every problem found; references to ``skipped`` codes (invalid items) are let pass."""
        self.skipped = skipped or set()
        file = self.parsed
        if file.forum.code != serving_forum:
            self.fail(("forum", "code"), f"this instance serves forum {serving_forum!r}")
        self.unique("states", (s.code for s in file.states))
        self.unique("meetings", (m.code for m in file.meetings))
        self.unique("working_groups", (w.code for w in file.working_groups))
        self.unique("surveys", (s.code for s in file.surveys))
        self.unique("outcomes", (o.code for o in file.outcomes))
        self.check_chairmanships()
        self.check_meetings()
        self.check_working_groups()
        self.check_surveys()
        self.check_outcomes()
        return self.problems

    # -- helpers ----------------------------------------------------------------------------

    def unique(self, section: str, codes: Iterable[str], within: Path = ()) -> None:
        seen: set[str] = set()
        for index, code in enumerate(codes):
            if code in seen:
                self.fail((*within, section, index, "code"), f"code {code!r} is used twice")
            seen.add(code)

    @property
    def states(self) -> set[str]:
        known = {s.code for s in self.parsed.states}
        return known | (set(self.forum.states) if self.forum else set())

    @property
    def meeting_kinds(self) -> set[str]:
        if self.forum is not None:
            return set(self.forum.meeting_kinds)
        return set(self.parsed.forum.meeting_kinds or DEFAULT_MEETING_KINDS)

    def state(self, path: Path, code: str | None) -> None:
        if code is not None and code not in self.states and code not in self.skipped:
            self.fail(path, f"unknown state {code!r} (list it under states)")

    def not_future(self, path: Path, value: PartialDate | None) -> None:
        if value is not None and value[0] > self.today:
            self.fail(path, f"{value[0]} is in the future")

    def known_group(self, code: str) -> bool:
        listed = {w.code for w in self.parsed.working_groups} | self.skipped
        return code in listed or self.exists("working_group", code)

    def known_survey(self, code: str) -> bool:
        listed = {s.code for s in self.parsed.surveys} | self.skipped
        return code in listed or self.exists("survey", code)

    def check_plan_step(self, path: Path, group: str | None, survey: str | None) -> None:
        if group is not None and not self.known_group(group):
            self.fail((*path, "working_group"), f"unknown working group {group!r}")
        if survey is not None and not self.known_survey(survey):
            self.fail((*path, "survey"), f"unknown survey {survey!r}")

    def meeting_codes(self) -> set[str]:
        known = {m.code for m in self.parsed.meetings} | self.skipped
        if self.forum is not None:
            known |= {m.code for m in self.forum.book.meetings.values()}
        return known

    # -- sections ---------------------------------------------------------------------------

    def check_chairmanships(self) -> None:
        for i, chair in enumerate(self.parsed.chairmanships):
            self.state(("chairmanships", i, "state"), chair.state)
            self.not_future(("chairmanships", i, "assumed_on"), chair.assumed_on)

    def check_meetings(self) -> None:
        for i, meeting in enumerate(self.parsed.meetings):
            path: Path = ("meetings", i)
            if meeting.kind not in self.meeting_kinds:
                kinds = ", ".join(sorted(self.meeting_kinds))
                self.fail((*path, "kind"), f"unknown meeting kind {meeting.kind!r} ({kinds})")
            self.state((*path, "convened_by"), meeting.convened_by)
            if meeting.ends_on is not None and meeting.ends_on[0] < meeting.starts_on[0]:
                self.fail((*path, "ends_on"), "the meeting ends before it starts")
            if meeting.working_group is not None and not self.known_group(meeting.working_group):
                self.fail(
                    (*path, "working_group"), f"unknown working group {meeting.working_group!r}"
                )
            if meeting.held:
                self.not_future((*path, "starts_on"), meeting.starts_on)
            self.not_future((*path, "announced_on"), meeting.announced_on)

    def check_working_groups(self) -> None:
        for i, group in enumerate(self.parsed.working_groups):
            self.not_future(("working_groups", i, "formed_on"), group.formed_on)
            self.unique("members", (m.state for m in group.members), ("working_groups", i))
            for j, member in enumerate(group.members):
                self.state(("working_groups", i, "members", j, "state"), member.state)

    def check_surveys(self) -> None:
        for i, survey in enumerate(self.parsed.surveys):
            self.state(("surveys", i, "conducted_by"), survey.conducted_by)
            if survey.working_group is not None and not self.known_group(survey.working_group):
                self.fail(
                    ("surveys", i, "working_group"),
                    f"unknown working group {survey.working_group!r}",
                )
            self.unique("runs", (r.code for r in survey.runs), ("surveys", i))
            for j, run in enumerate(survey.runs):
                self.not_future(("surveys", i, "runs", j, "closed_on"), run.closed_on)
                self.unique("figures", (f.code for f in run.figures), ("surveys", i, "runs", j))

    def check_outcomes(self) -> None:
        meetings = {m.code: m for m in self.parsed.meetings}
        known_meetings = self.meeting_codes()
        for i, outcome in enumerate(self.parsed.outcomes):
            path: Path = ("outcomes", i)
            self.not_future((*path, "adopted_on"), outcome.adopted_on)
            if outcome.adopted_at is not None:
                if outcome.adopted_at not in known_meetings:
                    self.fail((*path, "adopted_at"), f"unknown meeting {outcome.adopted_at!r}")
                elif outcome.adopted_at in meetings:
                    meeting = meetings[outcome.adopted_at]
                    first = meeting.starts_on[0]
                    last = latest_day(*(meeting.ends_on or meeting.starts_on))
                    if not first <= outcome.adopted_on[0] <= last:
                        self.fail(
                            (*path, "adopted_on"),
                            f"{outcome.adopted_on[0]} is outside meeting {meeting.code} "
                            f"({first} to {last})",
                        )
            for j, responsible in enumerate(outcome.responsible):
                self.state((*path, "responsible", j, "state"), responsible.state)
            self.unique("responsible", (r.state for r in outcome.responsible), path)
            if outcome.working_group is not None and not self.known_group(outcome.working_group):
                self.fail(
                    (*path, "working_group"), f"unknown working group {outcome.working_group!r}"
                )
            kind = outcome.deadline.next_meeting if outcome.deadline else None
            if kind is not None and kind not in self.meeting_kinds:
                self.fail((*path, "deadline", "next_meeting"), f"unknown meeting kind {kind!r}")
            for j, template in enumerate(outcome.plan):
                self.check_plan_step((*path, "plan", j), template.working_group, template.survey)
            for j, milestone in enumerate(outcome.milestones):
                self.check_plan_step(
                    (*path, "milestones", j), milestone.working_group, milestone.survey
                )
            for j, report in enumerate(outcome.progress):
                self.not_future((*path, "progress", j, "occurred_on"), report.occurred_on)
            if outcome.completed is not None:
                self.not_future((*path, "completed", "occurred_on"), outcome.completed.occurred_on)
