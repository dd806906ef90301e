"""Who may do what: roles, the write operations, and the one rule that joins them.

The secretariat may do everything; a working-group lead may only log the follow-up of its own
groups (progress, completion, retraction, expert meetings, survey runs); a reviewer only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    SECRETARIAT = "secretariat"
    REVIEWER = "reviewer"
    WG_LEAD = "wg_lead"


class Operation(StrEnum):
    REPORT_PROGRESS = "report_progress"
    COMPLETE_OUTCOME = "complete_outcome"
    RETRACT_PROGRESS = "retract_progress"
    RECORD_EXPERT_MEETING = "record_expert_meeting"
    RECORD_SURVEY_RUN = "record_survey_run"
    ADOPT_OUTCOME = "adopt_outcome"
    ASSIGN_RESPONSIBILITY = "assign_responsibility"
    RELEASE_RESPONSIBILITY = "release_responsibility"
    ASSIGN_WORKING_GROUP = "assign_working_group"
    SET_DEADLINE = "set_deadline"
    WITHDRAW_OUTCOME = "withdraw_outcome"
    SUPERSEDE_OUTCOME = "supersede_outcome"
    REOPEN_OUTCOME = "reopen_outcome"
    SET_PUBLICITY = "set_publicity"
    EDIT_PLAN = "edit_plan"
    FORM_WORKING_GROUP = "form_working_group"
    ADMIT_MEMBER = "admit_member"
    CHANGE_MEMBER_ROLE = "change_member_role"
    REMOVE_MEMBER = "remove_member"
    LAUNCH_SURVEY = "launch_survey"
    ADMIT_STATE = "admit_state"
    ASSUME_CHAIRMANSHIP = "assume_chairmanship"
    SCHEDULE_MEETING = "schedule_meeting"
    RESCHEDULE_MEETING = "reschedule_meeting"
    CANCEL_MEETING = "cancel_meeting"
    MARK_MEETING_HELD = "mark_meeting_held"


LEAD_OPERATIONS = frozenset(
    {
        Operation.REPORT_PROGRESS,
        Operation.COMPLETE_OUTCOME,
        Operation.RETRACT_PROGRESS,
        Operation.RECORD_EXPERT_MEETING,
        Operation.RECORD_SURVEY_RUN,
    }
)


@dataclass(frozen=True)
class Principal:
    """The caller: a token's id, role and (for leads) the working groups it is scoped to."""

    id: str
    role: Role
    working_groups: frozenset[str] = frozenset()
    kind: str = "token"

    @property
    def actor(self) -> str:
        """What events record: ``token:<id>`` for the API, ``user:<name>`` for the pages."""
        return f"{self.kind}:{self.id}"


def is_allowed(principal: Principal, operation: Operation, working_group: str | None) -> bool:
    """May ``principal`` do ``operation`` on a record of ``working_group`` (its id, or None)?"""
    if principal.role == Role.SECRETARIAT:
        return True
    if principal.role == Role.WG_LEAD:
        return (
            operation in LEAD_OPERATIONS
            and working_group is not None
            and working_group in principal.working_groups
        )
    return False
