"""What the pages say about codes: statuses, the rule that decided, event types, kinds, roles.

Each text is a catalogue message, so a reviewer reads it in the page's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from followup.web.i18n import N_, format_day, format_partial, gettext, ngettext

STATUS = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "due_soon": N_("Due soon"),
    "overdue": N_("Overdue"),
    "completed": N_("Completed"),
    "withdrawn": N_("Withdrawn"),
    "superseded": N_("Superseded"),
}

MEETING_KIND = {
    "summit": N_("summit"),
    "troika": N_("Troika meeting"),
    "steering_group": N_("Steering Group meeting"),
    "friends_of_the_forum": N_("Friends of the Forum meeting"),
    "working_group": N_("working group meeting"),
    "expert_meeting": N_("expert meeting"),
}

MEETING_STATUS = {"scheduled": N_("scheduled"), "held": N_("held"), "cancelled": N_("cancelled")}

ROLE = {
    "lead": N_("lead"),
    "support": N_("support"),
    "co_chair": N_("co-chair"),
    "member": N_("member"),
    "secretariat": N_("secretariat"),
    "reviewer": N_("reviewer"),
    "wg_lead": N_("working-group lead"),
}

DEADLINE_KIND = {
    "date": N_("by a date"),
    "next_meeting": N_("by the next meeting of a kind"),
    "recurring": N_("recurring"),
}

EVENT = {
    "Outcome.Adopted": N_("Adopted"),
    "Outcome.ResponsibilityAssigned": N_("Responsibility assigned"),
    "Outcome.ResponsibilityReleased": N_("Responsibility released"),
    "Outcome.WorkingGroupAssigned": N_("Working group assigned"),
    "Outcome.DeadlineSet": N_("Deadline set"),
    "Outcome.ProgressReported": N_("Progress reported"),
    "Outcome.ProgressReportRetracted": N_("Progress report retracted"),
    "Outcome.Completed": N_("Completed"),
    "Outcome.Reopened": N_("Reopened"),
    "Outcome.Withdrawn": N_("Withdrawn"),
    "Outcome.Superseded": N_("Superseded"),
    "Outcome.PublicityChanged": N_("Public view changed"),
    "Outcome.MilestonePlanned": N_("Milestone planned"),
    "Outcome.MilestoneRemoved": N_("Milestone taken off the plan"),
    "Outcome.MilestoneReached": N_("Milestone reached"),
    "Outcome.MilestoneReopened": N_("Milestone reopened"),
    "WorkingGroup.Formed": N_("Working group formed"),
    "WorkingGroup.ExpertMeetingHeld": N_("Expert meeting held"),
    "Survey.RunClosed": N_("Survey run closed"),
    "Forum.MeetingHeld": N_("Meeting held"),
}

MILESTONE_KIND = {
    "form_working_group": N_("a working group to be formed"),
    "hold_expert_meeting": N_("an expert meeting to be held"),
    "run_survey": N_("a survey to be run"),
    "report_at_meeting": N_("to be reported on at a meeting"),
    "custom": N_("reported by a lead"),
}


def milestone_kind(code: str) -> str:
    return gettext(MILESTONE_KIND.get(code, code))


def cause_link(kind: str | None, code: str | None) -> str | None:
    """Where the fact that fulfilled a milestone is shown."""
    paths = {"WorkingGroup": "/working-groups/", "Survey": "/surveys/", "Outcome": "/outcomes/"}
    if kind == "Forum":
        return "/calendar"
    return f"{paths[kind]}{code}" if kind in paths and code else None


def status_label(code: str) -> str:
    return gettext(STATUS.get(code, code))


def meeting_kind(code: str | None) -> str:
    return gettext(MEETING_KIND.get(code or "", code or ""))


REMINDER_STATE = {
    "planned": N_("planned"),
    "sent": N_("sent"),
    "failed": N_("failed"),
    "cancelled": N_("cancelled"),
}


def reminder_state(code: str) -> str:
    return gettext(REMINDER_STATE.get(code, code))


def meeting_status(code: str) -> str:
    return gettext(MEETING_STATUS.get(code, code))


def role_label(code: str) -> str:
    return gettext(ROLE.get(code, code))


def event_label(event_type: str) -> str:
    return gettext(EVENT.get(event_type, event_type))


def anchor_text(details: dict[str, Any]) -> str:
    """What a due date hangs on, in words."""
    anchor = details.get("anchor")
    if anchor == "meeting":
        return gettext("the next %(kind)s: %(title)s") % {
            "kind": meeting_kind(details.get("meeting_kind")),
            "title": details.get("meeting_title", ""),
        }
    if anchor == "unscheduled":
        return gettext("the next %(kind)s, not yet scheduled") % {
            "kind": meeting_kind(details.get("meeting_kind"))
        }
    if anchor == "recurring":
        return gettext("recurring every %(months)s months") % {"months": details["every_months"]}
    if anchor == "date":
        return gettext("a fixed date")
    return gettext("no deadline set")


def status_reason(rule: str, details: dict[str, Any]) -> str:
    """The rule that produced a status, in words (see ``domain.status``)."""
    due = format_day(details.get("due"))
    anchor = anchor_text(details)
    days = int(details.get("days", 0))
    if rule == "superseded":
        return gettext("Superseded by another outcome on %(date)s.") % {
            "date": format_day(details["on"])
        }
    if rule == "withdrawn":
        return gettext("Withdrawn on %(date)s.") % {"date": format_day(details["on"])}
    if rule == "completed":
        return gettext("Completed on %(date)s.") % {
            "date": format_partial(details["on"], details.get("precision", "day"))
        }
    if rule == "completed_for_cycle":
        return gettext("Completed for the cycle ending %(date)s; due again after it.") % {
            "date": due
        }
    if rule == "missed_cycle":
        return gettext("The cycle due %(date)s ended without completion.") % {"date": due}
    if rule == "overdue":
        return ngettext(
            "Due %(date)s (%(anchor)s): %(days)s day ago.",
            "Due %(date)s (%(anchor)s): %(days)s days ago.",
            days,
        ) % {"date": due, "anchor": anchor, "days": days}
    if rule == "due_soon":
        return ngettext(
            "Due %(date)s (%(anchor)s): in %(days)s day.",
            "Due %(date)s (%(anchor)s): in %(days)s days.",
            days,
        ) % {"date": due, "anchor": anchor, "days": days}
    when = gettext("due %(date)s (%(anchor)s)") % {"date": due, "anchor": anchor} if due else anchor
    if rule == "in_progress":
        count = int(details.get("count", 0))
        return ngettext(
            "%(count)s progress report, the latest of %(latest)s; %(when)s.",
            "%(count)s progress reports, the latest of %(latest)s; %(when)s.",
            count,
        ) % {
            "count": count,
            "latest": format_partial(details.get("latest"), details.get("precision", "day")),
            "when": when,
        }
    return gettext("No progress reported; %(when)s.") % {"when": when}


def event_summary(event_type: str, data: Mapping[str, Any]) -> str:
    """The gist of one event's data for the timeline (text from the record stays as written)."""
    name = event_type.split(".")[-1]
    if name in {"ProgressReported", "Completed"}:
        return str(data.get("summary", ""))
    if name == "ResponsibilityAssigned":
        return f"{data.get('state')} ({role_label(str(data.get('role')))})"
    if name == "ResponsibilityReleased":
        return str(data.get("state", ""))
    if name in {"MilestonePlanned"}:
        return str(data.get("title", ""))
    if name in {
        "ProgressReportRetracted",
        "Reopened",
        "Withdrawn",
        "MilestoneReopened",
        "MilestoneRemoved",
    }:
        return str(data.get("reason", ""))
    if name == "Adopted":
        return str(data.get("title", ""))
    if name == "DeadlineSet":
        kind = str(data.get("kind"))
        if kind == "date":
            return gettext("due %(date)s") % {"date": format_day(data.get("due_on"))}
        if kind == "next_meeting":
            return gettext("by the next %(kind)s") % {
                "kind": meeting_kind(data.get("meeting_kind"))
            }
        return gettext("recurring every %(months)s months") % {"months": data.get("every_months")}
    if name == "PublicityChanged":
        return (
            gettext("shown on the public view")
            if data.get("public")
            else gettext("taken off the public view")
        )
    return ""
