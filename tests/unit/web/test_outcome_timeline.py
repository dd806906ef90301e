"""The timeline rows written straight from the events say, byte for byte, what the former
path said: an entry built per event (kept here as it stood), written by the template loop (kept
here as it stood in ``_timeline.html``)."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple
from uuid import UUID

from adapters.read_models.event_data import event_data, event_type
from followup.web.i18n import current_language, format_day, format_partial
from followup.web.outcome_timeline import timeline_rows
from followup.web.page_text import DayTexts
from followup.web.templating import environment
from followup.web.wording import event_label, event_summary
from tests.factories import outcome_with_every_kind_of_event

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
TIMELINE = "  {{ timeline }}\n"

AWKWARD = "Ann & <Bob> \"quoted\" 'single' %s {{ x }}"
ACTORS = {"user:ann": "Ann <the secretariat>", AWKWARD: "known by name"}


class FormerEntry(NamedTuple):
    """One event as the former timeline entry held it."""

    type: str
    happened: str
    label: str
    gist: str
    report_id: UUID | None
    recorded: str
    actor: str
    source: str
    after_as_of: bool


def former_entry(event: Any, actors: dict[str, str], as_of: date | None) -> FormerEntry:
    """``timeline_entry`` as it stood (with the event's whole plain data)."""
    kind = event_type(event)
    return FormerEntry(
        type=kind,
        happened=format_partial(event.occurred_on, event.precision),
        label=event_label(kind),
        gist=event_summary(kind, event_data(event)),
        report_id=getattr(event, "report_id", None),
        recorded=format_day(event.timestamp.date()),
        actor=actors.get(event.actor, event.actor),
        source=event.source,
        after_as_of=as_of is not None and event.occurred_on > as_of,
    )


def former_rows(events: list[Any], as_of: date | None, retracted: set[UUID], public: bool) -> str:
    entries = [former_entry(event, ACTORS, as_of) for event in events]
    if public:  # the public page left out what happened after the as-of day
        entries = [entry for entry in entries if not entry.after_as_of]
    template = environment.from_string(FORMER_TIMELINE_BODY)
    return template.render(timeline=entries, retracted=retracted)


def rows(events: list[Any], as_of: date | None, retracted: set[UUID], public: bool) -> str:
    days = DayTexts.of(current_language.get())
    timeline = timeline_rows(events, ACTORS, as_of, retracted, days, not public)
    return environment.from_string(TIMELINE).render(timeline=timeline)


def test_the_rows_are_the_former_loops_rows_in_every_language_and_case() -> None:
    for text in (AWKWARD, "plain"):
        events = outcome_with_every_kind_of_event(text)
        reports = {e.report_id for e in events if event_type(e) == "Outcome.ProgressReported"}
        assert len({event_type(e) for e in events}) == 16  # every kind of outcome event
        for language in ("en", "fr", "es"):
            token = current_language.set(language)
            try:
                for as_of in (None, date(2009, 6, 1), date(2008, 1, 1), date(2030, 1, 1)):
                    for retracted in (set(), set(list(reports)[:1]), reports):
                        for some in (events, events[:1], events[-2:], []):
                            for public in (False, True):
                                case = (text, language, as_of, retracted, len(some), public)
                                former = former_rows(some, as_of, retracted, public)
                                assert rows(some, as_of, retracted, public) == former, case
            finally:
                current_language.reset(token)
