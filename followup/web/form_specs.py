"""Every secretariat form: its fields, the API body it fills, the command it runs, where it goes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field as PydanticField
from sqlalchemy import select

from adapters.read_models.forum_calendar import meetings, states
from adapters.read_models.outcome_status import outcomes
from adapters.read_models.working_groups import working_groups
from domain.outcome_record import Role
from domain.working_group import MemberRole
from followup.api.write_schemas import (
    ChairmanshipCreate,
    DeadlineCreate,
    FactIn,
    MeetingCreate,
    MeetingReschedule,
    MemberCreate,
    MemberRoleChange,
    OutcomeCreate,
    PublicityChange,
    ReasonIn,
    ResponsibilityCreate,
    StateCode,
    StateCreate,
    SupersessionCreate,
    SurveyCreate,
    WorkingGroupAssignment,
    WorkingGroupCreate,
)
from followup.commands.forum import ForumCommands
from followup.commands.groups import GroupCommands
from followup.commands.outcomes import DeadlineSpec, OutcomeCommands, Responsible
from followup.web.forms import Field, FormContext, FormSpec
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


def outcome_page(context: FormContext, body: Any, receipt: Any) -> str:
    return f"/outcomes/{context.target}"


def deadline_of(body: DeadlineCreate) -> DeadlineSpec:
    return DeadlineSpec(
        body.kind, body.due_on, body.meeting_kind, body.every_months, body.first_due_on
    )


def adopt_body(form: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        k: v
        for k, v in form.items()
        if k
        not in {
            "responsible_state",
            "responsible_role",
            "kind",
            "due_on",
            "meeting_kind",
            "every_months",
        }
    }
    if form.get("responsible_state"):
        body["responsible"] = [
            {"state": form["responsible_state"], "role": form.get("responsible_role", "lead")}
        ]
    if form.get("kind"):
        body["deadline"] = {
            k: form[k] for k in ("kind", "due_on", "meeting_kind", "every_months") if k in form
        }
    return body


def adopt_field(loc: tuple[Any, ...]) -> str:
    if loc[0] == "responsible":
        return "responsible_state" if "state" in loc else "responsible_role"
    if loc[0] == "deadline":
        return (
            str(loc[1])
            if len(loc) > 1 and loc[1] in {"due_on", "meeting_kind", "every_months"}
            else "kind"
        )
    return str(loc[0])


ADOPT = FormSpec(
    "adopt",
    N_("Record an adopted outcome"),
    (
        Field(
            "code",
            N_("Code"),
            required=True,
            hint=N_("Lower-case letters, digits, dots and dashes."),
        ),
        Field("title", N_("Title"), required=True),
        Field("summary", N_("Summary"), "textarea"),
        Field("meeting", N_("Adopted at"), "select", options=meeting_options),
        Field("roundtable", N_("Roundtable")),
        Field("session", N_("Session")),
        Field("responsible_state", N_("Responsible state"), "select", options=state_options),
        Field("responsible_role", N_("Its role"), "select", options=RESPONSIBLE_ROLES),
        Field("working_group", N_("Working group"), "select", options=group_options),
        Field("kind", N_("Kind of deadline"), "select", options=DEADLINE_KINDS),
        *DEADLINE_FIELDS[1:],
    ),
    OutcomeCreate,
    lambda c, b: OutcomeCommands(c.container, c.principal).adopt(
        b.code,
        b.title,
        b.occurred_on,
        summary=b.summary,
        meeting=b.meeting,
        roundtable=b.roundtable,
        session=b.session,
        source=b.source,
        responsible=[Responsible(r.state, Role(r.role)) for r in b.responsible],
        working_group=b.working_group,
        deadline=deadline_of(b.deadline) if b.deadline else None,
    ),
    lambda c, b, r: f"/outcomes/{b.code}",
    to_body=adopt_body,
    field_of=adopt_field,
)


OUTCOME_FORMS = {
    "responsibility": FormSpec(
        "responsibility",
        N_("Assign a responsible state"),
        (
            Field("state", N_("State"), "select", True, state_options),
            Field("role", N_("Role"), "select", True, RESPONSIBLE_ROLES),
        ),
        ResponsibilityCreate,
        lambda c, b: OutcomeCommands(c.container, c.principal).assign_responsibility(
            c.choices, b.state, Role(b.role), b.occurred_on, b.source
        ),
        outcome_page,
    ),
    "working-group": FormSpec(
        "working-group",
        N_("Give to a working group"),
        (
            Field(
                "working_group",
                N_("Working group"),
                "select",
                options=group_options,
                hint=N_("Leave empty to take the outcome back from its group."),
            ),
        ),
        WorkingGroupAssignment,
        lambda c, b: OutcomeCommands(c.container, c.principal).assign_working_group(
            c.choices, b.working_group, b.occurred_on, b.source
        ),
        outcome_page,
        to_body=lambda form: {"working_group": None, **form},
    ),
    "deadline": FormSpec(
        "deadline",
        N_("Set the deadline"),
        DEADLINE_FIELDS,
        DeadlineCreate,
        lambda c, b: OutcomeCommands(c.container, c.principal).set_deadline(
            c.choices, deadline_of(b), b.occurred_on, b.source
        ),
        outcome_page,
        field_of=lambda loc: (
            str(loc[0]) if loc[0] in {"due_on", "meeting_kind", "every_months"} else "kind"
        ),
    ),
    "publicity": FormSpec(
        "publicity",
        N_("Public view"),
        (Field("public", N_("Public view"), "select", True, YES_NO),),
        PublicityChange,
        lambda c, b: OutcomeCommands(c.container, c.principal).set_public(
            c.choices, b.public, b.occurred_on, b.source
        ),
        outcome_page,
    ),
    "withdrawal": FormSpec(
        "withdrawal",
        N_("Withdraw the outcome"),
        (Field("reason", N_("Reason"), "textarea", True),),
        ReasonIn,
        lambda c, b: OutcomeCommands(c.container, c.principal).withdraw(
            c.choices, b.reason, b.occurred_on, b.source
        ),
        outcome_page,
    ),
    "supersession": FormSpec(
        "supersession",
        N_("Record that another outcome supersedes this one"),
        (Field("successor", N_("Superseded by"), "select", True, outcome_options),),
        SupersessionCreate,
        lambda c, b: OutcomeCommands(c.container, c.principal).supersede(
            c.choices, b.successor, b.occurred_on, b.source
        ),
        outcome_page,
    ),
    "reopening": FormSpec(
        "reopening",
        N_("Reopen the outcome"),
        (Field("reason", N_("Reason"), "textarea", True),),
        ReasonIn,
        lambda c, b: OutcomeCommands(c.container, c.principal).reopen(
            c.choices, b.reason, b.occurred_on, b.source
        ),
        outcome_page,
    ),
}


def group_page(context: FormContext, body: Any, receipt: Any) -> str:
    return f"/working-groups/{context.target}"


GROUP_FORMS = {
    "member": FormSpec(
        "member",
        N_("Add a member state"),
        (
            Field("state", N_("State"), "select", True, state_options),
            Field("role", N_("Role"), "select", True, MEMBER_ROLES),
        ),
        MemberCreate,
        lambda c, b: GroupCommands(c.container, c.principal).admit_member(
            c.target, b.state, MemberRole(b.role), b.occurred_on, b.source
        ),
        group_page,
    ),
    "role": FormSpec(
        "role",
        N_("Change a member's role"),
        (
            Field("state", N_("State"), "select", True, state_options),
            Field("role", N_("Role"), "select", True, MEMBER_ROLES),
        ),
        MemberRoleForm,
        lambda c, b: GroupCommands(c.container, c.principal).change_member_role(
            c.target, b.state, MemberRole(b.role), b.occurred_on, b.source
        ),
        group_page,
    ),
    "departure": FormSpec(
        "departure",
        N_("A member state leaves"),
        (Field("state", N_("State"), "select", True, state_options),),
        MemberDeparture,
        lambda c, b: GroupCommands(c.container, c.principal).remove_member(
            c.target, b.state, b.occurred_on, b.source
        ),
        group_page,
    ),
}

FORUM_FORMS = {
    "adopt": ADOPT,
    "working-group": FormSpec(
        "working-group",
        N_("Form a working group"),
        (Field("code", N_("Code"), required=True), Field("name", N_("Name"), required=True)),
        WorkingGroupCreate,
        lambda c, b: GroupCommands(c.container, c.principal).form(
            b.code, b.name, b.occurred_on, b.source
        ),
        lambda c, b, r: f"/working-groups/{b.code}",
    ),
    "survey": FormSpec(
        "survey",
        N_("Launch a survey"),
        (
            Field("code", N_("Code"), required=True),
            Field("title", N_("Title"), required=True),
            Field("conducted_by", N_("Conducted by"), "select", options=state_options),
            Field(
                "working_group",
                N_("Working group recording its runs"),
                "select",
                options=group_options,
            ),
        ),
        SurveyCreate,
        lambda c, b: GroupCommands(c.container, c.principal).launch_survey(
            b.code, b.title, b.conducted_by, b.working_group, b.occurred_on, b.source
        ),
        lambda c, b, r: f"/surveys/{b.code}",
    ),
    "state": FormSpec(
        "state",
        N_("Admit a participating state"),
        (
            Field("code", N_("Code"), required=True, hint=N_("ISO 3166 code, e.g. SE.")),
            Field("name", N_("Name"), required=True),
        ),
        StateCreate,
        lambda c, b: ForumCommands(c.container, c.principal).admit_state(
            b.code, b.name, b.occurred_on, b.source
        ),
        lambda c, b, r: f"/states/{b.code}",
    ),
    "chairmanship": FormSpec(
        "chairmanship",
        N_("A state assumes the chair"),
        (
            Field("state", N_("State"), "select", True, state_options),
            Field("term", N_("Term"), required=True, hint=N_("E.g. 2013.")),
        ),
        ChairmanshipCreate,
        lambda c, b: ForumCommands(c.container, c.principal).assume_chairmanship(
            b.state, b.term, b.occurred_on, b.source
        ),
        lambda c, b, r: "/calendar",
    ),
    "meeting": FormSpec(
        "meeting",
        N_("Schedule a meeting"),
        (
            Field("code", N_("Code"), required=True),
            Field("kind", N_("Kind"), "select", True, kind_options),
            Field("title", N_("Title"), required=True),
            Field("place", N_("Place")),
            Field("starts_on", N_("Starts on"), "date", True),
            Field("ends_on", N_("Ends on"), "date"),
            Field("convened_by", N_("Convened by"), "select", options=state_options),
        ),
        MeetingCreate,
        lambda c, b: ForumCommands(c.container, c.principal).schedule_meeting(
            b.code,
            b.kind,
            b.title,
            b.starts_on,
            b.ends_on,
            b.place,
            b.convened_by,
            b.occurred_on,
            b.source,
        ),
        lambda c, b, r: "/calendar",
    ),
    "reschedule": FormSpec(
        "reschedule",
        N_("Move a meeting"),
        (
            Field("meeting", N_("Meeting"), "select", True, meeting_options),
            Field("starts_on", N_("Starts on"), "date", True),
            Field("ends_on", N_("Ends on"), "date"),
        ),
        MeetingMove,
        lambda c, b: ForumCommands(c.container, c.principal).reschedule_meeting(
            b.meeting, b.starts_on, b.ends_on, b.occurred_on, b.source
        ),
        lambda c, b, r: "/calendar",
    ),
    "cancellation": FormSpec(
        "cancellation",
        N_("Cancel a meeting"),
        (
            Field("meeting", N_("Meeting"), "select", True, meeting_options),
            Field("reason", N_("Reason"), "textarea", True),
        ),
        MeetingCancel,
        lambda c, b: ForumCommands(c.container, c.principal).cancel_meeting(
            b.meeting, b.reason, b.occurred_on, b.source
        ),
        lambda c, b, r: "/calendar",
    ),
    "held": FormSpec(
        "held",
        N_("Record that a meeting was held"),
        (Field("meeting", N_("Meeting"), "select", True, meeting_options),),
        MeetingChoice,
        lambda c, b: ForumCommands(c.container, c.principal).mark_meeting_held(
            b.meeting, b.occurred_on, b.source
        ),
        lambda c, b, r: "/calendar",
    ),
}
