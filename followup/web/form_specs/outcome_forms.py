"""Forms on outcomes: adopt one, and every decision on one outcome."""

from __future__ import annotations

from typing import Any

from domain.outcome_record import Role
from followup.api.write_schemas import (
    DeadlineCreate,
    OutcomeCreate,
    PublicityChange,
    ReasonIn,
    ResponsibilityCreate,
    SupersessionCreate,
    WorkingGroupAssignment,
)
from followup.commands.outcomes import DeadlineSpec, OutcomeCommands, Responsible
from followup.commands.plans import PlanCommands, PlanSpec
from followup.web.form_specs.choices import (
    DEADLINE_FIELDS,
    DEADLINE_KINDS,
    PLAN_TEMPLATES,
    RESPONSIBLE_ROLES,
    YES_NO,
    CompletionForm,
    ProgressForm,
    ResponsibilityRelease,
    RetractionForm,
    group_options,
    meeting_options,
    outcome_options,
    report_options,
    responsible_options,
    state_options,
    survey_options,
)
from followup.web.forms import Field, FormContext, FormSpec
from followup.web.i18n import N_


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
            "plan_template",
            "plan_working_group",
            "plan_survey",
            "plan_every_months",
        }
    }
    if form.get("plan_template"):
        body["plan"] = plan_body(form, "plan_")
    if form.get("responsible_state"):
        body["responsible"] = [
            {"state": form["responsible_state"], "role": form.get("responsible_role", "lead")}
        ]
    if form.get("kind"):
        body["deadline"] = {
            k: form[k] for k in ("kind", "due_on", "meeting_kind", "every_months") if k in form
        }
    return body


def plan_body(form: dict[str, str], prefix: str = "") -> dict[str, Any]:
    names = {
        "template": "template",
        "working_group": "working_group",
        "survey": "survey",
        "every_months": "every_months",
    }
    return {key: form[prefix + name] for key, name in names.items() if prefix + name in form}


def adopt_field(loc: tuple[Any, ...]) -> str:
    if loc[0] == "plan":
        return "plan_" + str(loc[1]) if len(loc) > 1 else "plan_template"
    if loc[0] == "responsible":
        return "responsible_state" if "state" in loc else "responsible_role"
    if loc[0] == "deadline":
        return (
            str(loc[1])
            if len(loc) > 1 and loc[1] in {"due_on", "meeting_kind", "every_months"}
            else "kind"
        )
    return str(loc[0])


PLAN_FIELDS = (
    Field(
        "plan_template",
        N_("Plan"),
        "select",
        options=PLAN_TEMPLATES,
        hint=N_("Milestones that the forum's own facts will fulfil."),
    ),
    Field(
        "plan_working_group",
        N_("Working group of the plan"),
        "select",
        options=group_options,
        hint=N_("The group to be formed, or whose expert meeting is awaited."),
    ),
    Field("plan_survey", N_("Survey of the plan"), "select", options=survey_options),
    Field("plan_every_months", N_("Survey every how many months"), "number"),
)


def plan_spec(body: Any) -> PlanSpec:
    return PlanSpec(body.template, body.working_group, body.survey, body.every_months)


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
        *PLAN_FIELDS,
    ),
    OutcomeCreate,
    lambda c, b: PlanCommands(c.container, c.principal).adopt_with_plan(
        plan_spec(b.plan) if b.plan else None,
        code=b.code,
        title=b.title,
        adopted_on=b.occurred_on,
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
    "release": FormSpec(
        "release",
        N_("Release a responsible state"),
        (Field("state", N_("State"), "select", True, responsible_options),),
        ResponsibilityRelease,
        lambda c, b: OutcomeCommands(c.container, c.principal).release_responsibility(
            c.choices, b.state, b.occurred_on, b.source
        ),
        outcome_page,
    ),
    "progress": FormSpec(
        "progress",
        N_("Report progress"),
        (
            Field("summary", N_("Summary"), "textarea", True),
            Field("percent_complete", N_("Percent complete"), "number"),
            Field("evidence_url", N_("Evidence (a web address)"), "url"),
        ),
        ProgressForm,
        lambda c, b: OutcomeCommands(c.container, c.principal).report_progress(
            c.choices,
            b.summary,
            b.occurred_on,
            b.percent_complete,
            [str(b.evidence_url)] if b.evidence_url else [],
            b.source,
        ),
        outcome_page,
    ),
    "completion": FormSpec(
        "completion",
        N_("Record the completion"),
        (
            Field("summary", N_("Summary"), "textarea"),
            Field("evidence_url", N_("Evidence (a web address)"), "url", True),
        ),
        CompletionForm,
        lambda c, b: OutcomeCommands(c.container, c.principal).complete(
            c.choices, b.summary, [str(b.evidence_url)], b.occurred_on, b.source
        ),
        outcome_page,
    ),
    "retraction": FormSpec(
        "retraction",
        N_("Retract a progress report"),
        (
            Field("report", N_("Progress report"), "select", True, report_options),
            Field("reason", N_("Reason"), "textarea", True),
        ),
        RetractionForm,
        lambda c, b: OutcomeCommands(c.container, c.principal).retract_progress(
            c.choices, b.report, b.reason, b.occurred_on, b.source
        ),
        outcome_page,
    ),
}
