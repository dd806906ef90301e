"""Forms on an outcome's plan: a template's milestones, one milestone more or less."""

from __future__ import annotations

from typing import Any

from followup.api.write_schemas import (
    MilestoneCreate,
    PlanApply,
)
from followup.commands.plans import PlanCommands
from followup.web.form_specs.choices import (
    MILESTONE_KINDS,
    MilestoneRemoval,
    group_options,
    kind_options,
    milestone_options,
    survey_options,
)
from followup.web.form_specs.outcome_forms import PLAN_FIELDS, deadline_of, outcome_page, plan_spec
from followup.web.forms import Field, FormSpec
from followup.web.i18n import N_


def milestone_body(form: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        k: v for k, v in form.items() if k not in {"due_on", "deadline_meeting_kind"}
    }
    if form.get("due_on"):
        body["deadline"] = {"kind": "date", "due_on": form["due_on"]}
    elif form.get("deadline_meeting_kind"):
        body["deadline"] = {"kind": "next_meeting", "meeting_kind": form["deadline_meeting_kind"]}
    return body


PLAN_FORMS = {
    "plan": FormSpec(
        "plan",
        N_("Add a plan template's milestones"),
        tuple(
            Field(
                f.name.removeprefix("plan_"),
                f.label,
                f.kind,
                f.name == "plan_template",
                f.options,
                f.hint,
            )
            for f in PLAN_FIELDS
        ),
        PlanApply,
        lambda c, b: PlanCommands(c.container, c.principal).use_template(
            c.choices, plan_spec(b), b.occurred_on, b.source
        ),
        outcome_page,
        field_of=lambda loc: str(loc[0]),
    ),
    "milestone": FormSpec(
        "milestone",
        N_("Add a milestone"),
        (
            Field("kind", N_("What fulfils it"), "select", True, MILESTONE_KINDS),
            Field("title", N_("Title"), required=True),
            Field("due_on", N_("Due on"), "date"),
            Field(
                "deadline_meeting_kind",
                N_("Or due by the next meeting of kind"),
                "select",
                options=kind_options,
            ),
            Field("working_group", N_("Working group"), "select", options=group_options),
            Field("survey", N_("Survey"), "select", options=survey_options),
            Field(
                "meeting_kind", N_("Reported at a meeting of kind"), "select", options=kind_options
            ),
        ),
        MilestoneCreate,
        lambda c, b: PlanCommands(c.container, c.principal).plan_milestone(
            c.choices,
            b.kind,
            b.title,
            b.occurred_on,
            deadline_of(b.deadline) if b.deadline else None,
            b.working_group,
            b.survey,
            b.meeting_kind,
            b.source,
        ),
        outcome_page,
        to_body=milestone_body,
        field_of=lambda loc: "due_on" if loc[0] == "deadline" else str(loc[0]),
    ),
    "milestone-removal": FormSpec(
        "milestone-removal",
        N_("Take a milestone off the plan"),
        (
            Field("milestone", N_("Milestone"), "select", True, milestone_options),
            Field("reason", N_("Reason"), "textarea", True),
        ),
        MilestoneRemoval,
        lambda c, b: PlanCommands(c.container, c.principal).remove_milestone(
            c.choices, b.milestone, b.reason, b.occurred_on, b.source
        ),
        outcome_page,
    ),
}
