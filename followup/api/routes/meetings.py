"""The forum calendar as the API shows it."""

from __future__ import annotations

from fastapi import APIRouter

from followup.api.deps import AsOf, QueriesDep
from followup.api.routes.outcomes import INVALID
from followup.api.schemas import MeetingPublic, NextMeeting

router = APIRouter(prefix="/api/v1/meetings", tags=["meetings"])


@router.get("/next", response_model=NextMeeting, responses=INVALID)
def next_meeting(queries: QueriesDep, as_of: AsOf = None) -> NextMeeting:
    """The next meeting the Chair-in-Office convenes, and the open outcomes due by it."""
    day = as_of or queries.today
    meeting, due = queries.next_meeting(day)
    return NextMeeting.model_validate(
        {
            "as_of": day,
            "meeting": MeetingPublic.model_validate(meeting) if meeting else None,
            "due": due,
        }
    )
