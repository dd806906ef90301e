"""Forms on the forum's bodies: working groups and their members, surveys, states, the calendar."""

from __future__ import annotations

from typing import Any

from domain.working_group import MemberRole
from followup.api.write_schemas import (
    ChairmanshipCreate,
    ExpertMeetingCreate,
    MeetingCreate,
    MemberCreate,
    StateCreate,
    SurveyCreate,
    WorkingGroupCreate,
)
from followup.commands.forum import ForumCommands
from followup.commands.groups import GroupCommands
from followup.web.form_specs.choices import (
    MEMBER_ROLES,
    MeetingCancel,
    MeetingChoice,
    MeetingMove,
    MemberDeparture,
    MemberRoleForm,
    SurveyRunForm,
    group_options,
    kind_options,
    meeting_options,
    state_options,
)
from followup.web.form_specs.outcome_forms import ADOPT
from followup.web.forms import Field, FormContext, FormSpec
from followup.web.i18n import N_


def group_page(context: FormContext, body: Any, receipt: Any) -> str:
    return f"/working-groups/{context.target}"


GROUP_FORMS = {
    "expert-meeting": FormSpec(
        "expert-meeting",
        N_("Record an expert meeting held"),
        (
            Field("code", N_("Code"), required=True),
            Field("title", N_("Title"), required=True),
            Field("place", N_("Place")),
        ),
        ExpertMeetingCreate,
        lambda c, b: GroupCommands(c.container, c.principal).record_expert_meeting(
            c.target, b.code, b.title, b.place, b.occurred_on, b.source
        ),
        group_page,
    ),
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


SURVEY_FORMS = {
    "run": FormSpec(
        "run",
        N_("Record a run of the survey"),
        (
            Field("code", N_("Code"), required=True, hint=N_("E.g. the year of the run.")),
            Field("responses", N_("Responses"), "number", True),
            Field(
                "figures",
                N_("Figures"),
                "textarea",
                hint=N_("One per line: code | label | numerator | denominator."),
            ),
        ),
        SurveyRunForm,
        lambda c, b: GroupCommands(c.container, c.principal).record_survey_run(
            c.target, b.code, b.responses, b.parsed_figures(), b.occurred_on, b.source
        ),
        lambda c, b, r: f"/surveys/{c.target}",
    ),
}
