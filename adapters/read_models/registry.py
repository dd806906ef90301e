"""Every projection, registered in one place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from adapters.read_models.forum_calendar import ForumCalendarProjection
from adapters.read_models.outcome_status import OutcomeStatusProjection
from adapters.read_models.projection import Projection
from adapters.read_models.reminder_ledger import ReminderLedgerProjection
from adapters.read_models.survey_runs import SurveyRunsProjection
from adapters.read_models.timeline import TimelineProjection
from adapters.read_models.working_groups import WorkingGroupsProjection


def all_projections(today: Callable[[], date], due_soon_days: int) -> list[Projection]:
    """The read models, in the order they are caught up (all run in the background)."""
    return [
        ForumCalendarProjection(),
        WorkingGroupsProjection(),
        SurveyRunsProjection(),
        OutcomeStatusProjection(today, due_soon_days),
        TimelineProjection(),
        ReminderLedgerProjection(),
    ]


def register_account_tables() -> None:
    """Tables that are not read models (never dropped by a rebuild) but share the migrations."""
    import adapters.api_tokens
    import adapters.focal_points
    import adapters.idempotency
    import adapters.users  # noqa: F401


register_account_tables()
