"""An outcome's progress reports, evidence and the secretariat's decisions as its page lists
them, written in Python where the templates' loops were: a long-followed outcome has a report a
month, and jinja escaped each value into a ``Markup`` built twice, a third of the page's CPU.
Each writes, byte for byte, what its former loop wrote (kept in the tests)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import Request
from markupsafe import Markup

from followup.web.i18n import N_, current_language, format_day, format_share, gettext
from followup.web.outcome_timeline import timeline_rows
from followup.web.page_text import DayTexts, escaped, said


def retracted_reports(record: Any) -> set[UUID]:
    """The ids of the reports retracted since, as their events hold them (``report_id``): a
    page of ~170 reports made a string of every one only to look it up."""
    return {r.report_id for r in record.reports.values() if r.retracted_on}


def report_items(record: Any, days: DayTexts) -> Markup:
    """The progress reports' ``<ul>`` (empty when there is none), one item per report of the
    record, in the current language, written straight from the record's entries: when, what,
    the share done, the evidence links, and "retracted on <day>" with the reason."""
    reports = record.reports
    if not reports:
        return Markup("")
    evidence = said(N_("evidence"))
    shares: dict[int, str] = {}  # (~100 values at most; a page repeats them)
    partial_days = days.partial_days
    items = ['<ul class="reports">\n']
    for report in reports.values():
        links = (
            "".join(
                f' <a href="{escaped(url)}" rel="noopener noreferrer">{evidence}</a>'
                for url in report.evidence_urls
            )
            if report.evidence_urls
            else ""
        )
        share = ""
        if report.percent_complete is not None:
            share = shares.get(report.percent_complete) or shares.setdefault(
                report.percent_complete, "(" + escaped(format_share(report.percent_complete)) + ")"
            )
        marked = retracted = ""
        if report.retracted_on:
            marked = ' class="retracted"'
            retracted_on = Markup(gettext("retracted on %(day)s")) % {
                "day": format_day(report.retracted_on)
            }
            retracted = f'<br><span class="tag">{retracted_on}</span> ' + escaped(
                report.retraction_reason
            )
        key = (report.occurred_on, report.precision)
        day = partial_days.get(key) or days.partial(*key)
        items.append(
            f"    <li{marked}>\n"
            f"      <strong>{day}</strong>: {escaped(report.summary)}\n"
            f"{share}{links}{retracted}    </li>\n"
        )
    items.append("  </ul>")
    return Markup("".join(items))


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


def outcome_lists(
    request: Request,
    record: Any,
    events: list[Any],
    as_of: date | None,
    actors: Mapping[str, str] | None = None,
    show_after_as_of: bool = True,
) -> dict[str, Markup]:
    """An outcome page's ``timeline`` rows and ``reports`` list, in the reader's language,
    their days as the language writes them (kept). ``actors`` by name, read when not given."""
    if actors is None:
        actors = request.app.state.actor_names()
    token = current_language.set(request.state.lang)
    try:
        days = DayTexts.of(current_language.get())
        retracted = retracted_reports(record)
        return {
            "timeline": timeline_rows(events, actors, as_of, retracted, days, show_after_as_of),
            "reports": report_items(record, days),
        }
    finally:
        current_language.reset(token)
