"""An outcome's fields written in Python say, byte for byte, what ``_outcome_fields.html``
said (the template is kept here as it stood), for every status and kind of deadline, present and
missing fields, awkward text, in every language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from domain.forum import calendar_as_of
from domain.outcome_history import fold_outcome
from domain.status import status_of_record
from followup.outcome_views import Named, Names, OutcomeView, view_from_record
from followup.web.i18n import current_language
from followup.web.templating import environment
from tests.factories import ATHENS, events, forum_with_summits, outcome_with_every_kind_of_event

FORMER_FIELDS = "\n".join(
    [
        '<dl class="fields">',
        '  <dt>{{ _("Status") }}</dt>',
        "  <dd>{# _macros.status_badge written out: its import took more than the badge #"
        '}<span class="status status-{{ outcome.status }}">{{ status_label(outcome.status'
        ') }}</span> <span class="reason">{{ status_reason(outcome.status_rule, outcome.s'
        "tatus_details) }}</span></dd>",
        '  <dt>{{ _("Adopted") }}</dt>',
        "  <dd>{{ format_day(outcome.adopted_on) }}{% if outcome.meeting %}, {{ outcome.m"
        'eeting.title }}{% endif %}{% if outcome.roundtable %}, {{ _("roundtable %(number'
        ')s", number=outcome.roundtable) }}{% endif %}{% if outcome.session %}, {{ _("ses'
        'sion %(number)s", number=outcome.session) }}{% endif %}</dd>',
        '  <dt>{{ _("Responsible states") }}</dt>',
        "  <dd>{% for r in outcome.responsible_states %}{{ r.state }} ({{ role_label(r.ro"
        'le) }}){% if not loop.last %}, {% endif %}{% else %}{{ _("none named") }}{% endf'
        "or %}</dd>",
        '  <dt>{{ _("Working group") }}</dt>',
        "  <dd>{% if outcome.working_group %}{{ outcome.working_group.title }}{% else %}{"
        '{ _("none") }}{% endif %}</dd>',
        '  <dt>{{ _("Deadline") }}</dt>',
        "  <dd>{% if outcome.deadline %}{% if outcome.deadline.due_on %}{{ format_day(out"
        'come.deadline.due_on, "long") }}{% endif %} <span class="muted">({{ anchor_text('
        'outcome.status_details) }})</span>{% else %}{{ _("none set") }}{% endif %}</dd>',
        '  <dt>{{ _("Progress") }}</dt>',
        '  <dd>{{ ngettext("%(num)s progress report", "%(num)s progress reports", outcome'
        ".progress_reports) }}{% if outcome.percent_complete is not none %}, {{ format_sh"
        "are(outcome.percent_complete) }}{% endif %}</dd>",
        '  <dt>{{ _("Evidence") }}</dt>',
        "  <dd>{{ evidence_links(outcome.evidence_urls) }}</dd>",
        "</dl>",
        "",
    ]
)
FIELDS = "{{ outcome_fields(outcome) }}{# written in Python: outcome_fields.py #}\n"
AWKWARD = "Ann & <Bob> \"quoted\" 'single' %s {{ x }} %(number)s"
DAYS = (None, date(2008, 10, 30), date(2009, 3, 15), ATHENS, date(2009, 12, 1), date(2012, 6, 1))


def rendered(source: str, language: str, outcome: OutcomeView) -> str:
    token = current_language.set(language)
    try:
        return environment.from_string(source).render(outcome=outcome)
    finally:
        current_language.reset(token)


def views() -> list[OutcomeView]:
    """Both outcomes of every kind of event, as of several days, and fields present, missing and
    awkward."""
    calendar_events = events(forum_with_summits())
    found: list[OutcomeView] = []
    for text in ("plain", AWKWARD):
        every = outcome_with_every_kind_of_event(text)
        for outcome_id in dict.fromkeys(e.originator_id for e in every):
            stream = [e for e in every if e.originator_id == outcome_id]
            names = Names(
                {str(stream[0].meeting_id): Named("m", "summit-2008", text)},
                {"00000000-0000-0000-0000-000000000007": Named("g", "wg", text)},
            )
            for day in DAYS:
                on = day or date(2026, 11, 22)
                record = fold_outcome(stream, on)
                if record is None:
                    continue
                report = status_of_record(record, calendar_as_of(calendar_events, on), on)
                found.append(view_from_record(record, report, names))
    base = found[-1]
    variants: list[dict[str, Any]] = [
        {"meeting": None, "roundtable": "", "session": ""},
        {"roundtable": AWKWARD, "session": AWKWARD, "meeting": Named("m", "c", AWKWARD)},
        {"responsible_states": []},
        {"responsible_states": [{"state": AWKWARD, "role": "lead"}, {"state": "SE", "role": "x"}]},
        {"working_group": None, "deadline": None},
        {"percent_complete": 0, "progress_reports": 1},
        {"percent_complete": None, "progress_reports": 0},
        {"evidence_urls": []},
        {"evidence_urls": [AWKWARD, "https://a.example/1.pdf?a=1&b=2"]},
        {"status": AWKWARD},
    ]
    return found + [replace(base, **changes) for changes in variants]


def test_the_fields_are_the_former_templates_fields_in_every_language() -> None:
    found = views()
    assert len(found) > 20
    for outcome in found:
        for language in ("en", "fr", "es"):
            former = rendered(FORMER_FIELDS, language, outcome)
            assert rendered(FIELDS, language, outcome) == former, (language, outcome)


def test_the_fields_cover_every_kind_of_status_and_deadline() -> None:
    found = views()
    assert {"superseded", "withdrawn", "not_started", "in_progress"} <= {v.status for v in found}
    kinds = {v.deadline.kind for v in found if v.deadline}
    assert {"date", "next_meeting", "recurring"} <= kinds
    assert any(v.deadline and not v.deadline.due_on for v in found)
    assert any(v.deadline and v.deadline.due_on for v in found)
