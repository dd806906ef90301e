"""The workflow policy's questions to the read models: who waits for a fact, who rests on one."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Engine, select

from adapters.read_models.outcome_status import milestones
from adapters.read_models.working_groups import working_groups
from domain.outcome_record import MilestoneKind
from followup.workflow_facts import Lookups

KEYS = {
    MilestoneKind.FORM_WORKING_GROUP: milestones.c.working_group_id,
    MilestoneKind.HOLD_EXPERT_MEETING: milestones.c.working_group_id,
    MilestoneKind.RUN_SURVEY: milestones.c.survey_id,
    MilestoneKind.REPORT_AT_MEETING: milestones.c.meeting_kind,
}


def milestone_lookups(engine: Engine) -> Lookups:
    def waiting(kind: MilestoneKind, key: str | None, before: int) -> list[UUID]:
        query = select(milestones.c.outcome_id).where(
            milestones.c.kind == str(kind),
            milestones.c.reached.is_(False),
            milestones.c.planned_position < before,
        )
        column = KEYS.get(kind)
        if column is not None and key is not None:
            if kind == MilestoneKind.HOLD_EXPERT_MEETING:
                query = query.where((column == key) | column.is_(None))
            else:
                query = query.where(column == key)
        with engine.connect() as connection:
            return [UUID(i) for i in dict.fromkeys(connection.execute(query).scalars())]

    def reached_by(cause: UUID) -> list[UUID]:
        query = select(milestones.c.outcome_id).where(milestones.c.cause_aggregate_id == str(cause))
        with engine.connect() as connection:
            return [UUID(i) for i in dict.fromkeys(connection.execute(query).scalars())]

    def groups() -> list[UUID]:
        with engine.connect() as connection:
            return [UUID(i) for i in connection.execute(select(working_groups.c.id)).scalars()]

    return Lookups(waiting, reached_by, groups)
