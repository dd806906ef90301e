"""The outcome page's long lists written in Python say, byte for byte, what the template loops
they replace said (the loops are kept here as they stood in the templates)."""

from __future__ import annotations

from uuid import UUID, uuid4

from markupsafe import Markup, escape

from followup.web.i18n import current_language
from followup.web.outcome_lines import (
    ReportLine,
    TimelineEntry,
    escaped,
)
from followup.web.templating import environment

FORMER_TIMELINE_BODY = """\
  <tbody>
  {% for entry in timeline %}
    <tr class="{% if entry.type == 'Outcome.ProgressReportRetracted' %}retraction{% endif %}\
{% if entry.after_as_of %} after-as-of{% endif %}">
      <td>{{ entry.happened }}</td>
      <td><strong>{{ entry.label }}</strong>\
{% if entry.type == 'Outcome.ProgressReportRetracted' %} <span class="tag">\
{{ _("correction") }}</span>{% endif %}
        {% if entry.gist %}<br>{{ entry.gist }}{% endif %}
        {% if entry.type == 'Outcome.ProgressReported' and entry.report_id in retracted %}<br>\
<span class="tag">{{ _("retracted later") }}</span>{% endif %}
        {% if entry.after_as_of %}<br><span class="tag">{{ _("after the as-of day") }}</span>\
{% endif %}</td>
      <td>{{ entry.recorded }}</td>
      <td>{{ entry.actor }}</td>
      <td>{{ entry.source }}</td>
    </tr>
  {% endfor %}
  </tbody>
"""
TIMELINE_BODY = "  {{ timeline_body(timeline, retracted) }}\n"

FORMER_REPORT_LIST = """\
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
"""
REPORT_LIST = "  {{ report_list(reports) }}\n"

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

AWKWARD = "Ann & <Bob> \"quoted\" 'single' %s {{ x }}"
R1, R2 = uuid4(), uuid4()


def entry(kind: str, report_id: UUID | None = R1, **changes: object) -> TimelineEntry:
    fields: dict[str, object] = {
        "type": kind,
        "happened": "June 2008",
        "label": "Progress reported",
        "gist": AWKWARD,
        "report_id": report_id,
        "recorded": "Nov 22, 2026",
        "actor": "Alice (Support Unit)",
        "source": "seed 002 <Manila> & more",
        "after_as_of": False,
    }
    fields.update(changes)
    return TimelineEntry(**fields)  # type: ignore[arg-type]


ENTRIES = [
    entry("Outcome.Adopted", None, label="Adopted", gist=""),
    entry("Outcome.ProgressReported", R1),
    entry("Outcome.ProgressReported", R2, after_as_of=True),
    entry("Outcome.ProgressReportRetracted", R1, label="Report retracted"),
    entry("Outcome.ProgressReportRetracted", R2, after_as_of=True, gist=""),
    entry("Outcome.DeadlineSet", None, gist="due 30 Oct 2008", actor=AWKWARD),
    entry("Outcome.Completed", None, source=None, actor="token:<7>"),
]
REPORTS = [
    ReportLine("June 2008", AWKWARD, "50%", ["https://a.example/x?y=1&z=<2>", "b"], None, ""),
    ReportLine("2009", "plain", None, [], None, ""),
    ReportLine(
        "Oct 1, 2008",
        "withdrawn <soon>",
        "0%",
        ["https://c.example/'q'"],
        Markup("retracted on %(day)s") % {"day": "Oct <2>, 2008"},
        AWKWARD,
    ),
]


def rendered(source: str, language: str, **context: object) -> str:
    token = current_language.set(language)
    try:
        return environment.from_string(source).render(context)
    finally:
        current_language.reset(token)


def test_escaped_writes_what_markupsafe_writes() -> None:
    for value in (AWKWARD, "", "plain", None, 42, 0.5, Markup("<b>kept</b>"), ["<x>"]):
        assert escaped(value) == str(escape(value)), value


def test_the_timeline_rows_are_the_former_loops_rows_in_every_language() -> None:
    for language in ("en", "fr", "es"):
        for retracted in (set(), {R1}, {R1, R2}):
            for entries in (ENTRIES, ENTRIES[:1], []):
                context = {"timeline": entries, "retracted": retracted}
                former = rendered(FORMER_TIMELINE_BODY, language, **context)
                assert rendered(TIMELINE_BODY, language, **context) == former


def test_the_report_items_are_the_former_loops_items_in_every_language() -> None:
    for language in ("en", "fr", "es"):
        for reports in (REPORTS, REPORTS[2:], []):
            former = rendered(FORMER_REPORT_LIST, language, reports=reports)
            assert rendered(REPORT_LIST, language, reports=reports) == former


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
