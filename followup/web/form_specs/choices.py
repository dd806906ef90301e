"""What the secretariat's forms offer to choose from, and the small bodies only forms need."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field as PydanticField
from pydantic import HttpUrl, field_validator
from sqlalchemy import select

from adapters.read_models.forum_calendar import meetings, states
from adapters.read_models.outcome_status import outcomes
from adapters.read_models.working_groups import working_groups
from domain.errors import DomainError
from domain.survey import Figure
from followup.api.write_schemas import (
    FactIn,
    MeetingReschedule,
    MemberRoleChange,
    ReasonIn,
    StateCode,
)
from followup.web.forms import Field, FormContext
from followup.web.i18n import N_, gettext
from followup.web.wording import MEETING_KIND, meeting_kind


def _rows(context: FormContext, statement: Any) -> list[Any]:
    with context.container.engine.connect() as connection:
        return list(connection.execute(statement))


def state_options(context: FormContext) -> list[tuple[str, str]]:
    return [
        (r.code, f"{r.name} ({r.code})")
        for r in _rows(context, select(states).order_by(states.c.name))
    ]


def group_options(context: FormContext) -> list[tuple[str, str]]:
    return [
        (r.code, r.name)
        for r in _rows(context, select(working_groups).order_by(working_groups.c.name))
    ]


def meeting_options(context: FormContext) -> list[tuple[str, str]]:
    found = _rows(context, select(meetings).order_by(meetings.c.starts_on))
    return [(r.code, f"{r.starts_on.isoformat()} · {r.title}") for r in found]


def outcome_options(context: FormContext) -> list[tuple[str, str]]:
    found = _rows(context, select(outcomes.c.code, outcomes.c.title).order_by(outcomes.c.code))
    return [(r.code, f"{r.code} · {r.title[:80]}") for r in found if r.code != context.target]


def survey_options(context: FormContext) -> list[tuple[str, str]]:
    from adapters.read_models.survey_runs import surveys

    rows = _rows(context, select(surveys).order_by(surveys.c.title))
    return [(r.code, r.title) for r in rows]


def milestone_options(context: FormContext) -> list[tuple[str, str]]:
    record = _outcome_record(context)
    if record is None:
        return []
    return [(str(m.id), m.title) for m in record.milestones.values()]


def kind_options(context: FormContext) -> list[tuple[str, str]]:
    return [(code, meeting_kind(code)) for code in MEETING_KIND]


def fixed(*pairs: tuple[str, str]) -> Any:
    return lambda context: [(code, gettext(label)) for code, label in pairs]


RESPONSIBLE_ROLES = fixed(("lead", N_("lead")), ("support", N_("support")))
MEMBER_ROLES = fixed(("member", N_("member")), ("co_chair", N_("co-chair")))
DEADLINE_KINDS = fixed(
    ("date", N_("by a date")),
    ("next_meeting", N_("by the next meeting of a kind")),
    ("recurring", N_("recurring")),
)
PLAN_TEMPLATES = fixed(
    ("form_working_group", N_("form a working group")),
    ("expert_meeting_before_summit", N_("hold an expert meeting before the next summit")),
    ("rerun_survey", N_("re-run a survey every N months")),
    ("report_at_next_summit", N_("report at the next summit")),
)
MILESTONE_KINDS = fixed(
    ("form_working_group", N_("a working group formed")),
    ("hold_expert_meeting", N_("an expert meeting held")),
    ("run_survey", N_("a run of a survey closed")),
    ("report_at_meeting", N_("a meeting held, with the outcome reported on")),
    ("custom", N_("a lead's report")),
)
YES_NO = fixed(("true", N_("shown on the public view")), ("false", N_("not shown")))

DEADLINE_FIELDS = (
    Field("kind", N_("Kind of deadline"), "select", True, DEADLINE_KINDS),
    Field("due_on", N_("Due on"), "date", hint=N_("For a deadline by a date.")),
    Field(
        "meeting_kind",
        N_("Meeting kind"),
        "select",
        options=kind_options,
        hint=N_("For a deadline by the next meeting of a kind."),
    ),
    Field(
        "every_months", N_("Every how many months"), "number", hint=N_("For a recurring deadline.")
    ),
)


MeetingKey = Annotated[str, PydanticField(min_length=1, max_length=120)]


class MeetingChoice(FactIn):
    meeting: MeetingKey


class MeetingMove(MeetingReschedule):
    meeting: MeetingKey


class MeetingCancel(ReasonIn):
    meeting: MeetingKey


class MemberRoleForm(MemberRoleChange):
    state: StateCode


class MemberDeparture(FactIn):
    state: StateCode


def _outcome_record(context: FormContext) -> Any:
    from domain.outcome import Outcome

    found = context.container.app.repository.get(context.choices)
    return found.record if isinstance(found, Outcome) else None


def responsible_options(context: FormContext) -> list[tuple[str, str]]:
    record = _outcome_record(context)
    return [(state, state) for state in sorted(record.responsible)] if record else []


def report_options(context: FormContext) -> list[tuple[str, str]]:
    record = _outcome_record(context)
    if record is None:
        return []
    return [
        (str(r.report_id), f"{r.occurred_on.isoformat()} · {r.summary[:80]}")
        for r in record.live_reports
    ]


class ResponsibilityRelease(FactIn):
    state: StateCode


class ProgressForm(FactIn):
    """The API's progress report, with one evidence link as a form field."""

    summary: Annotated[str, PydanticField(min_length=1, max_length=4000)]
    percent_complete: Annotated[int | None, PydanticField(ge=0, le=100)] = None
    evidence_url: HttpUrl | None = None


class CompletionForm(FactIn):
    summary: Annotated[str, PydanticField(max_length=4000)] = ""
    evidence_url: HttpUrl


class RetractionForm(ReasonIn):
    report: UUID


class SurveyRunForm(FactIn):
    """A run with its figures, one per line: ``code | label | numerator | denominator``."""

    code: Annotated[str, PydanticField(pattern=r"^[a-z0-9][a-z0-9.\-]*$", max_length=120)]
    responses: Annotated[int, PydanticField(ge=0)]
    figures: Annotated[str, PydanticField(max_length=20000)] = ""

    @field_validator("figures")
    @classmethod
    def _figures_parse(cls, text: str) -> str:
        parse_figures(text)
        return text

    def parsed_figures(self) -> list[Figure]:
        return parse_figures(self.figures)


def parse_figures(text: str) -> list[Figure]:
    """``code | label | numerator | denominator`` per line; a bad line names its number."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 4 or not parts[2].isdigit() or not parts[3].isdigit():
            raise ValueError(f"line {number}: write code | label | numerator | denominator")
        try:
            found.append(Figure(parts[0], parts[1], int(parts[2]), int(parts[3])))
        except DomainError as error:
            raise ValueError(f"line {number}: {error}") from None
    return found


class MilestoneRemoval(ReasonIn):
    milestone: UUID
