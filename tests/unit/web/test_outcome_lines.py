"""The outcome page's long lists written in Python say, byte for byte, what the template loops
they replace said (the loops are kept here as they stood in the templates, and the report lines
they were given as they were built)."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from markupsafe import Markup

from domain.outcome_history import fold_outcome
from followup.web.i18n import current_language, format_day, format_partial, format_share, gettext
from followup.web.outcome_lines import report_items
from followup.web.page_text import DayTexts
from followup.web.templating import environment
from tests.factories import outcome_with_every_kind_of_event

FORMER_REPORT_LIST = """\
{% if reports %}
  <ul class="reports">
  {% for report in reports %}
    <li{% if report.retracted %} class="retracted"{% endif %}>
      <strong>{{ report.happened }}</strong>: {{ report.summary }}
      {% if report.share is not none %}({{ report.share }}){% endif %}
      {% for url in report.evidence_urls %} <a href="{{ url }}" rel="noopener noreferrer">\
{{ _("evidence") }}</a>{% endfor %}
      {% if report.retracted %}<br><span class="tag">{{ report.retracted }}</span> \
{{ report.retraction_reason }}{% endif %}
    </li>
  {% endfor %}
  </ul>
{% endif %}
"""
REPORT_LIST = "{% if reports %}\n  {{ reports }}\n{% endif %}\n"

FORMER_EVIDENCE = (
    '<dd>{% for url in urls %}<a href="{{ url }}" rel="noopener noreferrer">{{ url }}</a>'
    '{% if not loop.last %}<br>{% endif %}{% else %}{{ _("none yet") }}{% endfor %}</dd>'
)
EVIDENCE = "<dd>{{ evidence_links(urls) }}</dd>"

FORMER_DECISIONS = (
    '  <ul class="actions-list">\n'
    '    {% for action, label in [("plan", _("Add a plan template\'s milestones")), '
    '("milestone", _("Add a milestone")), '
    '("milestone-removal", _("Take a milestone off the plan")), '
    '("progress", _("Report progress")), ("completion", _("Record the completion")), '
    '("retraction", _("Retract a progress report")), '
    '("responsibility", _("Assign a responsible state")), '
    '("release", _("Release a responsible state")), '
    '("working-group", _("Give to a working group")), '
    '("deadline", _("Set the deadline")), ("publicity", _("Public view")), '
    '("withdrawal", _("Withdraw")), ("supersession", _("Supersede")), '
    '("reopening", _("Reopen"))] %}'
    "\n"
    '    <li><a href="/secretariat/outcomes/{{ outcome.code }}/{{ action }}">{{ label }}</a></li>\n'
    "    {% endfor %}\n"
    "  </ul>\n"
)
DECISIONS = "  {{ decision_links(code) }}\n"

MANILA_DAY = date(2008, 10, 30)  # the adoption: no report yet
AWKWARD = "Ann & <Bob> \"quoted\" 'single' %s {{ x }}"


class FormerReportLine(NamedTuple):
    """A progress report as the former report line held it."""

    happened: str
    summary: str
    share: str | None
    evidence_urls: list[str]
    retracted: Markup | None
    retraction_reason: str


def former_report_lines(record: Any) -> list[FormerReportLine]:
    """``report_lines`` as it stood."""
    return [
        FormerReportLine(
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


def first_outcome(events: list[Any]) -> list[Any]:
    return [e for e in events if e.originator_id == events[0].originator_id]


def rendered(source: str, language: str, **context: object) -> str:
    token = current_language.set(language)
    try:
        return environment.from_string(source).render(context)
    finally:
        current_language.reset(token)


def test_the_report_items_are_the_former_loops_items_in_every_language() -> None:
    for text in (AWKWARD, "plain"):
        events = first_outcome(outcome_with_every_kind_of_event(text))
        for as_of in (None, date(2009, 3, 15), date(2010, 1, 1), MANILA_DAY):
            record = fold_outcome(events, as_of)
            assert record is not None
            for language in ("en", "fr", "es"):
                token = current_language.set(language)
                try:
                    reports = former_report_lines(record)
                    former = rendered(FORMER_REPORT_LIST, language, reports=reports)
                    items = report_items(record, DayTexts.of(current_language.get()))
                    assert rendered(REPORT_LIST, language, reports=items) == former
                finally:
                    current_language.reset(token)


def test_the_reports_cover_every_case() -> None:
    record = fold_outcome(first_outcome(outcome_with_every_kind_of_event(AWKWARD)))
    assert record is not None
    reports = list(record.reports.values())
    assert {r.precision for r in reports} == {"day", "month", "year"}
    assert any(r.retracted_on for r in reports) and not all(r.retracted_on for r in reports)
    assert None in {r.percent_complete for r in reports} and any(r.evidence_urls for r in reports)
    adopted = fold_outcome(first_outcome(outcome_with_every_kind_of_event()), MANILA_DAY)
    assert adopted is not None and not adopted.reports


def test_the_evidence_links_are_the_former_loops_links_in_every_language() -> None:
    for language in ("en", "fr", "es"):
        for urls in (["https://a.example/1.pdf", AWKWARD, "b"], ["only"], []):
            former = rendered(FORMER_EVIDENCE, language, urls=urls)
            assert rendered(EVIDENCE, language, urls=urls) == former


def test_the_decision_links_are_the_former_loops_links_in_every_language() -> None:
    for language in ("en", "fr", "es"):
        for code in ("mnl-2008-rt3.2-focal-points", AWKWARD):
            former = rendered(FORMER_DECISIONS, language, outcome={"code": code})
            assert rendered(DECISIONS, language, code=code) == former
