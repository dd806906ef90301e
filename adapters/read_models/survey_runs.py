"""Read model "what each survey run found": runs with their figures, to compare across cycles."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, Column, Connection, Date, Integer, String, Table, insert

from adapters.read_models.metadata import metadata
from adapters.read_models.projection import Projection
from domain.survey import Survey

surveys = Table(
    "surveys",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("forum", String(64), nullable=False),
    Column("code", String(120), nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("conducted_by", String(16)),
    Column("launched_on", Date, nullable=False),
)

survey_runs = Table(
    "survey_runs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("survey_id", String(36), nullable=False, index=True),
    Column("code", String(64), nullable=False),
    Column("closed_on", Date, nullable=False),
    Column("precision", String(8), nullable=False),
    Column("responses", Integer, nullable=False),
    Column("figures", JSON, nullable=False),
)


class SurveyRunsProjection(Projection):
    name: ClassVar[str] = "survey_runs"
    tables: ClassVar[tuple[Table, ...]] = (survey_runs, surveys)
    event_classes: ClassVar[tuple[type, ...]] = (Survey.Launched, Survey.RunClosed)

    def apply(self, connection: Connection, event: Any, position: int) -> None:
        if isinstance(event, Survey.Launched):
            connection.execute(
                INSERT_SURVEY,
                {
                    "id": str(event.originator_id),
                    "forum": event.forum,
                    "code": event.code,
                    "title": event.title,
                    "conducted_by": event.conducted_by,
                    "launched_on": event.occurred_on,
                },
            )
        elif isinstance(event, Survey.RunClosed):
            connection.execute(
                INSERT_RUN,
                {
                    "id": str(event.run_id),
                    "survey_id": str(event.originator_id),
                    "code": event.code,
                    "closed_on": event.occurred_on,
                    "precision": event.precision,
                    "responses": event.responses,
                    "figures": list(event.figures),
                },
            )


# built once: building a statement cost more than running it (SQLAlchemy's cache key)
INSERT_SURVEY = insert(surveys)
INSERT_RUN = insert(survey_runs)
