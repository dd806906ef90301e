"""The secretariat's writes on the forum's bodies: working groups, surveys, states, calendar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from domain.working_group import MemberRole
from followup.api.auth import PrincipalDep
from followup.api.deps import ContainerDep
from followup.api.routes.follow_up import GroupKey
from followup.api.write_schemas import (
    ChairmanshipCreate,
    FactIn,
    MeetingCreate,
    MeetingReschedule,
    MemberCreate,
    MemberRoleChange,
    ReasonIn,
    ReceiptPublic,
    StateCreate,
    SurveyCreate,
    WorkingGroupCreate,
)
from followup.api.write_threads import runs_as_write
from followup.api.writes import WRITE_RESPONSES, IdempotencyKey, answer_write
from followup.commands.forum import ForumCommands
from followup.commands.groups import GroupCommands

router = APIRouter(prefix="/api/v1", tags=["forum bodies and calendar (secretariat)"])

StateKey = Annotated[str, Path(pattern=r"^[A-Z]{2,3}$", description="a member state's code")]
MeetingKey = Annotated[str, Path(max_length=120, description="the meeting's id or code")]


def _post(path: str) -> Callable[[Callable[..., JSONResponse]], Any]:
    """A write route of this module: 201 with a receipt, the write errors documented."""
    route = router.post(
        path, status_code=201, response_model=ReceiptPublic, responses=WRITE_RESPONSES
    )
    return lambda endpoint: route(runs_as_write(endpoint))


@_post("/working-groups")
def form_working_group(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    body: WorkingGroupCreate,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Form a working group."""
    commands = GroupCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.form(body.code, body.name, body.occurred_on, body.source),
    )


@_post("/working-groups/{group_id}/members")
def admit_member(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    group_id: GroupKey,
    body: MemberCreate,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Add a member state to a working group (as member or co-chair)."""
    commands = GroupCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.admit_member(
            group_id, body.state, MemberRole(body.role), body.occurred_on, body.source
        ),
    )


@_post("/working-groups/{group_id}/members/{state}/role")
def change_member_role(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    group_id: GroupKey,
    state: StateKey,
    body: MemberRoleChange,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Make a member co-chair, or a co-chair a member again."""
    commands = GroupCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.change_member_role(
            group_id, state, MemberRole(body.role), body.occurred_on, body.source
        ),
    )


@_post("/working-groups/{group_id}/members/{state}/departure")
def remove_member(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    group_id: GroupKey,
    state: StateKey,
    body: FactIn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """A member state leaves the working group."""
    commands = GroupCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.remove_member(group_id, state, body.occurred_on, body.source),
    )


@_post("/surveys")
def launch_survey(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    body: SurveyCreate,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Launch a survey, optionally with the working group whose leads record its runs."""
    commands = GroupCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.launch_survey(
            body.code,
            body.title,
            body.conducted_by,
            body.working_group,
            body.occurred_on,
            body.source,
        ),
    )


@_post("/states")
def admit_state(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    body: StateCreate,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Admit a participating state."""
    commands = ForumCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.admit_state(body.code, body.name, body.occurred_on, body.source),
    )


@_post("/chairmanships")
def assume_chairmanship(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    body: ChairmanshipCreate,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """A state assumes the chair (``occurred_on`` is the day it takes over)."""
    commands = ForumCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.assume_chairmanship(body.state, body.term, body.occurred_on, body.source),
    )


@_post("/meetings")
def schedule_meeting(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    body: MeetingCreate,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Put a meeting on the calendar (``occurred_on`` is the day it was decided)."""
    commands = ForumCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.schedule_meeting(
            body.code,
            body.kind,
            body.title,
            body.starts_on,
            body.ends_on,
            body.place,
            body.convened_by,
            body.occurred_on,
            body.source,
        ),
    )


@_post("/meetings/{meeting_id}/reschedule")
def reschedule_meeting(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    meeting_id: MeetingKey,
    body: MeetingReschedule,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Move a meeting; deadlines anchored to it move with it."""
    commands = ForumCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.reschedule_meeting(
            meeting_id, body.starts_on, body.ends_on, body.occurred_on, body.source
        ),
    )


@_post("/meetings/{meeting_id}/cancellation")
def cancel_meeting(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    meeting_id: MeetingKey,
    body: ReasonIn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Cancel a meeting; deadlines anchored to it move to the next meeting of its kind."""
    commands = ForumCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.cancel_meeting(meeting_id, body.reason, body.occurred_on, body.source),
    )


@_post("/meetings/{meeting_id}/held")
def mark_meeting_held(
    request: Request,
    principal: PrincipalDep,
    container: ContainerDep,
    meeting_id: MeetingKey,
    body: FactIn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record that a meeting was held (``occurred_on``: the day it ended)."""
    commands = ForumCommands(container, principal)
    return answer_write(
        request,
        principal,
        idempotency_key,
        body,
        lambda: commands.mark_meeting_held(meeting_id, body.occurred_on, body.source),
    )
