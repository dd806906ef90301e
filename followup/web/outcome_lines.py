"""An outcome's progress reports and timeline as its pages list them, their words already in the
reader's language: a long-followed outcome has a report a month and dozens of events, and a call
from a template costs several times the call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, NamedTuple
from uuid import UUID

from fastapi import Request
from markupsafe import Markup

try:  # the escaping markupsafe.escape applies to a text: in C where built, as markupsafe picks it
    from markupsafe._speedups import _escape_inner as escape_text
except ImportError:  # pragma: no cover
    from markupsafe._native import _escape_inner as escape_text

from adapters.read_models.event_data import BASE_FIELDS, SCALARS, event_type, plain
from followup.web.i18n import (
    N_,
    current_language,
    format_day,
    format_partial,
    format_share,
    gettext,
    text_in,
)
from followup.web.wording import event_label, event_summary


class ReportLine(NamedTuple):
    """A progress report as the outcome page lists it, its words already in the reader's
    language (a long-followed outcome has a report a month). A named tuple: a frozen
    dataclass builds its ~80 a page field by field through ``object.__setattr__``, three
    times the time."""

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


def retracted_reports(record: Any) -> set[UUID]:
    """The ids of the reports retracted since, as their events hold them (``report_id`` of a
    timeline entry): a page of ~170 reports made a string of every one only to look it up."""
    return {r.report_id for r in record.reports.values() if r.retracted_on}


class TimelineEntry(NamedTuple):
    """One event as the timeline shows it, its words already in the reader's language: a
    timeline has an entry per event, and a call from a template costs several times the call
    (a named tuple, as ``ReportLine``)."""

    type: str
    happened: str
    label: str
    gist: str
    report_id: UUID | None  # of a progress report, or of the report a retraction takes back
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


class OwnFields(Mapping[str, Any]):
    """``event_data(event)`` read a field at a time: a timeline entry reads one or two of its
    event's fields, where ``event_data`` makes plain data of all of them (the evidence list,
    every UUID)."""

    __slots__ = ("_state",)

    def __init__(self, event: Any) -> None:
        self._state: dict[str, Any] = vars(event)

    def __getitem__(self, key: str) -> Any:
        if key in BASE_FIELDS:
            raise KeyError(key)
        value = self._state[key]
        return value if type(value) in SCALARS else plain(value)

    def get(self, key: str, default: Any = None) -> Any:
        state = self._state
        if key in BASE_FIELDS or key not in state:
            return default
        value = state[key]
        return value if type(value) in SCALARS else plain(value)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(k for k in self._state if k not in BASE_FIELDS))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def timeline_entry(event: Any, actors: dict[str, str], as_of: date | None) -> TimelineEntry:
    kind = event_type(event)
    data = OwnFields(event)
    return TimelineEntry(
        type=kind,
        happened=format_partial(event.occurred_on, event.precision),
        label=event_label(kind),
        gist=event_summary(kind, data),
        report_id=getattr(event, "report_id", None),
        recorded=format_day(event.timestamp.date()),
        actor=actors.get(event.actor, event.actor),
        source=event.source,
        after_as_of=as_of is not None and event.occurred_on > as_of,
    )


# -- the long lists as HTML --------------------------------------------------------------------
# A long-followed outcome's page lists ~80 reports, ~100 events and dozens of evidence links:
# written out by jinja, each value passed through ``markupsafe.escape`` (whose ``Markup`` it
# builds cost as much again) and each row through the template's loop and attribute lookups.
# These write the very same markup in Python; the templates call them in place of their loops.


def escaped(value: Any) -> str:
    """What ``{{ value }}`` writes in an autoescaped template: ``markupsafe.escape`` without
    the ``Markup`` it builds (the same escaping of a text, markupsafe's own)."""
    if type(value) is str:
        return escape_text(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return escape_text(str(value))


def said(message: str) -> str:
    """``{{ _(message) }}``: a text without variables, in the reader's language."""
    return escaped(text_in(current_language.get(), message))


def timeline_body(entries: list[TimelineEntry], retracted: set[str]) -> Markup:
    """The timeline's ``<tbody>``, one row per entry, as ``_timeline.html`` wrote it."""
    tags = said(N_("correction")), said(N_("retracted later")), said(N_("after the as-of day"))
    correction = f' <span class="tag">{tags[0]}</span>'
    retracted_later = f'<br><span class="tag">{tags[1]}</span>'
    after = f'<br><span class="tag">{tags[2]}</span>'
    rows = ["<tbody>\n"]
    for entry in entries:
        is_retraction = entry.type == "Outcome.ProgressReportRetracted"
        later = entry.type == "Outcome.ProgressReported" and entry.report_id in retracted
        rows.append(
            f'    <tr class="{"retraction" if is_retraction else ""}'
            f'{" after-as-of" if entry.after_as_of else ""}">\n'
            f"      <td>{escaped(entry.happened)}</td>\n"
            f"      <td><strong>{escaped(entry.label)}</strong>"
            f"{correction if is_retraction else ''}"
            f"{'<br>' + escaped(entry.gist) if entry.gist else ''}"
            f"{retracted_later if later else ''}"
            f"{after if entry.after_as_of else ''}</td>\n"
            f"      <td>{escaped(entry.recorded)}</td>\n"
            f"      <td>{escaped(entry.actor)}</td>\n"
            f"      <td>{escaped(entry.source)}</td>\n"
            "    </tr>\n"
        )
    rows.append("  </tbody>")
    return Markup("".join(rows))


def report_list(reports: list[ReportLine]) -> Markup:
    """The progress reports' ``<ul>``, one item per report, as ``outcome.html`` wrote it."""
    evidence = said(N_("evidence"))
    items = ['<ul class="reports">\n']
    for report in reports:
        links = "".join(
            f' <a href="{escaped(url)}" rel="noopener noreferrer">{evidence}</a>'
            for url in report.evidence_urls
        )
        marked = ' class="retracted"' if report.retracted else ""
        items.append(
            f"    <li{marked}>\n"
            f"      <strong>{escaped(report.happened)}</strong>: {escaped(report.summary)}\n"
            f"{'(' + escaped(report.share) + ')' if report.share is not None else ''}{links}"
            f"{retraction(report)}    </li>\n"
        )
    items.append("  </ul>")
    return Markup("".join(items))


def retraction(report: ReportLine) -> str:
    if not report.retracted:
        return ""
    return f'<br><span class="tag">{escaped(report.retracted)}</span> ' + escaped(
        report.retraction_reason
    )


def evidence_links(urls: Iterable[str]) -> Markup:
    """An outcome's evidence, each link on its own line, as ``_outcome_fields.html`` wrote it."""
    links = [f'<a href="{url}" rel="noopener noreferrer">{url}</a>' for url in map(escaped, urls)]
    return Markup("<br>".join(links) if links else said(N_("none yet")))


DECISIONS = (
    ("plan", N_("Add a plan template's milestones")),
    ("milestone", N_("Add a milestone")),
    ("milestone-removal", N_("Take a milestone off the plan")),
    ("progress", N_("Report progress")),
    ("completion", N_("Record the completion")),
    ("retraction", N_("Retract a progress report")),
    ("responsibility", N_("Assign a responsible state")),
    ("release", N_("Release a responsible state")),
    ("working-group", N_("Give to a working group")),
    ("deadline", N_("Set the deadline")),
    ("publicity", N_("Public view")),
    ("withdrawal", N_("Withdraw")),
    ("supersession", N_("Supersede")),
    ("reopening", N_("Reopen")),
)


def decision_links(code: str) -> Markup:
    """The secretariat's forms for one outcome, as ``outcome.html`` listed them (its loop
    escaped three values and translated a label per link, on every page the secretariat reads)."""
    path = f"/secretariat/outcomes/{escaped(code)}/"
    items = ['<ul class="actions-list">\n']
    for action, label in DECISIONS:
        items.append(f'    <li><a href="{path}{escaped(action)}">{said(label)}</a></li>\n')
    items.append("  </ul>")
    return Markup("".join(items))
