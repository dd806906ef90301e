"""An outcome's progress reports and timeline as its pages list them, their words already in the
reader's language: a long-followed outcome has a report a month and dozens of events, and a call
from a template costs several times the call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request
from markupsafe import Markup

from adapters.read_models.event_data import event_data, event_type
from followup.web.i18n import current_language, format_day, format_partial, format_share, gettext
from followup.web.wording import event_label, event_summary


@dataclass(frozen=True, slots=True)
class ReportLine:
    """A progress report as the outcome page lists it, its words already in the reader's
    language (a long-followed outcome has a report a month)."""

    happened: str
    summary: str
    share: str | None
    evidence_urls: list[str]
    retracted: Markup | None  # "retracted on <day>", None while the report stands
    retraction_reason: str


def report_lines(request: Request, record: Any) -> list[ReportLine]:
    token = current_language.set(request.state.lang)
    try:
        return [
            ReportLine(
                happened=format_partial(r.occurred_on, r.precision),
                summary=r.summary,
                share=None if r.percent_complete is None else format_share(r.percent_complete),
                evidence_urls=r.evidence_urls,
                retracted=(
                    Markup(gettext("retracted on %(day)s")) % {"day": format_day(r.retracted_on)}
                    if r.retracted_on
                    else None
                ),
                retraction_reason=r.retraction_reason,
            )
            for r in record.reports.values()
        ]
    finally:
        current_language.reset(token)


def retracted_reports(record: Any) -> set[str]:
    return {str(r.report_id) for r in record.reports.values() if r.retracted_on}


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event as the timeline shows it, its words already in the reader's language: a
    timeline has an entry per event, and a call from a template costs several times the call."""

    type: str
    happened: str
    label: str
    gist: str
    report_id: str | None
    recorded: str
    actor: str
    source: str
    after_as_of: bool


def timeline_entries(
    request: Request,
    events: list[Any],
    as_of: date | None,
    actors: dict[str, str] | None = None,
) -> list[TimelineEntry]:
    """Every event: both dates, who recorded it (by name where known), the source, its gist."""
    if actors is None:
        actors = request.app.state.actor_names()
    token = current_language.set(request.state.lang)
    try:
        return [timeline_entry(event, actors, as_of) for event in events]
    finally:
        current_language.reset(token)


def timeline_entry(event: Any, actors: dict[str, str], as_of: date | None) -> TimelineEntry:
    kind = event_type(event)
    data = event_data(event)
    return TimelineEntry(
        type=kind,
        happened=format_partial(event.occurred_on, event.precision),
        label=event_label(kind),
        gist=event_summary(kind, data),
        report_id=data.get("report_id"),
        recorded=format_day(event.timestamp.date()),
        actor=actors.get(event.actor, event.actor),
        source=event.source,
        after_as_of=as_of is not None and event.occurred_on > as_of,
    )
