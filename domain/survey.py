"""A survey of the forum's states, re-run in cycles; each run keeps its own figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import DuplicateCodeError, InvalidValueError
from domain.identity import child_id, record_id
from domain.provenance import Provenance


@dataclass(frozen=True)
class Figure:
    """One result of a run: ``numerator`` of ``denominator`` states, or a published percentage."""

    code: str
    label: str
    numerator: int | None = None
    denominator: int | None = None
    percent: float | None = None

    def __post_init__(self) -> None:
        if self.numerator is None and self.percent is None:
            raise InvalidValueError(f"figure {self.code}: give numerator/denominator or percent")
        if self.numerator is not None and self.denominator is None:
            raise InvalidValueError(f"figure {self.code}: a numerator needs its denominator")
        if self.denominator is not None and self.denominator < 1:
            raise InvalidValueError(f"figure {self.code}: the denominator must be at least 1")
        if self.numerator is not None and not 0 <= self.numerator <= (self.denominator or 0):
            raise InvalidValueError(f"figure {self.code}: numerator must be 0..denominator")
        if self.percent is not None and not 0 <= self.percent <= 100:
            raise InvalidValueError(f"figure {self.code}: percent must be 0..100")

    @property
    def share(self) -> float:
        """The figure as a percentage, computed when the counts are known."""
        if self.numerator is not None and self.denominator:
            return round(100 * self.numerator / self.denominator, 1)
        return float(self.percent or 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percent": self.percent,
        }


@dataclass(frozen=True)
class SurveyRun:
    run_id: UUID
    code: str
    closed_on: date
    responses: int
    figures: tuple[Figure, ...]


class Survey(Aggregate):
    """E.g. the policy-coherence questionnaire: 45 responses in 2007, 53 in June 2008."""

    class Event(Aggregate.Event):
        occurred_on: date
        precision: str
        actor: str
        source: str

    class Launched(Aggregate.Created):
        occurred_on: date
        precision: str
        actor: str
        source: str
        forum: str
        code: str
        title: str
        conducted_by: str | None

    class RunClosed(Event):
        run_id: UUID
        code: str
        responses: int
        figures: list[dict[str, Any]]

        def apply(self, aggregate: Any) -> None:
            aggregate.runs[self.run_id] = SurveyRun(
                run_id=self.run_id,
                code=self.code,
                closed_on=self.occurred_on,
                responses=self.responses,
                figures=tuple(Figure(**f) for f in self.figures),
            )

    class RunRetracted(Event):
        """A run recorded in error (a correction: the run stays in the history)."""

        run_id: UUID
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.runs.pop(self.run_id, None)
            aggregate.retracted_runs.add(self.run_id)

    class WorkingGroupAssigned(Event):
        working_group_id: UUID | None

        def apply(self, aggregate: Any) -> None:
            aggregate.working_group_id = self.working_group_id

    def __init__(
        self, forum: str, code: str, title: str, conducted_by: str | None, occurred_on: date
    ) -> None:
        self.forum = forum
        self.code = code
        self.title = title
        self.conducted_by = conducted_by
        self.launched_on = occurred_on
        self.runs: dict[UUID, SurveyRun] = {}
        self.retracted_runs: set[UUID] = set()
        self.working_group_id: UUID | None = None

    @staticmethod
    def create_id(forum: str, code: str) -> UUID:
        return record_id(forum, "survey", code)

    @classmethod
    def launch(
        cls, forum: str, code: str, title: str, fact: Provenance, conducted_by: str | None = None
    ) -> Survey:
        if not title.strip():
            raise InvalidValueError("a survey needs a title")
        return cls._create(
            cls.Launched,
            id=cls.create_id(forum, code),
            forum=forum,
            code=code,
            title=title,
            conducted_by=conducted_by,
            **fact.event_fields(),
        )

    def assign_working_group(self, working_group_id: UUID | None, fact: Provenance) -> None:
        """The group whose leads record this survey's runs."""
        if working_group_id == self.working_group_id:
            raise InvalidValueError("the survey is already with that working group")
        self.trigger_event(
            self.WorkingGroupAssigned, working_group_id=working_group_id, **fact.event_fields()
        )

    def retract_run(self, run_id: UUID, reason: str, fact: Provenance) -> None:
        if run_id not in self.runs:
            raise InvalidValueError(f"no run {run_id} of {self.code} to retract")
        self.trigger_event(self.RunRetracted, run_id=run_id, reason=reason, **fact.event_fields())

    def run_id(self, code: str) -> UUID:
        return child_id(self.id, "run", code)

    def close_run(self, code: str, responses: int, figures: list[Figure], fact: Provenance) -> UUID:
        run_id = self.run_id(code)
        if run_id in self.runs or run_id in self.retracted_runs:
            raise DuplicateCodeError(f"run {code!r} of {self.code} is already recorded")
        if responses < 0:
            raise InvalidValueError("responses cannot be negative")
        codes = [f.code for f in figures]
        if len(set(codes)) != len(codes):
            raise DuplicateCodeError(f"run {code!r}: figure codes repeat")
        self.trigger_event(
            self.RunClosed,
            run_id=run_id,
            code=code,
            responses=responses,
            figures=[f.as_dict() for f in figures],
            **fact.event_fields(),
        )
        return run_id
