"""An outcome's timeline rows, written straight from its events in one pass.

A long-followed outcome has ~200 events: building an entry object per event (its dates
formatted, its words looked up) and then writing each entry's row cost a quarter of the page and
half of it again. Here each event becomes its row directly, each day is written as the process
has kept it (``DayTexts``), and what repeats on a page is worked out once: an event type's
label, an actor's name, a source.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, NamedTuple
from uuid import UUID

from markupsafe import Markup

from adapters.read_models.event_data import BASE_FIELDS, SCALARS, plain
from followup.web.i18n import N_
from followup.web.page_text import DayTexts, escaped, said
from followup.web.wording import event_label, event_summary

RETRACTION = "Outcome.ProgressReportRetracted"
REPORT = "Outcome.ProgressReported"
#: the events whose gist is one of their text fields as it stands (``event_summary``)
GIST_FIELDS = {
    "ProgressReported": "summary",
    "Completed": "summary",
    "ResponsibilityReleased": "state",
    "MilestonePlanned": "title",
    "Adopted": "title",
    "ProgressReportRetracted": "reason",
    "Reopened": "reason",
    "Withdrawn": "reason",
    "MilestoneReopened": "reason",
    "MilestoneRemoved": "reason",
}


class OwnFields(Mapping[str, Any]):
    """``event_data(event)`` read a field at a time: a gist reads one or two of its event's
    fields, where ``event_data`` makes plain data of all of them (the evidence list, every
    UUID)."""

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


class EventKind(NamedTuple):
    """What every row of one event type shares: its name, its label as the row writes it, the
    field that is its gist (if one is), the tags it carries."""

    name: str
    label: str  # "<strong>label</strong>" and, for a retraction, its "correction" tag
    gist_field: str | None
    row_class: str  # the row's class before the as-of mark
    is_report: bool


def event_kind(event_class: type) -> EventKind:
    """An event type's share of its rows, in the current language."""
    kind = event_class.__qualname__  # as ``event_type`` names it
    is_retraction = kind == RETRACTION
    label = f"<strong>{escaped(event_label(kind))}</strong>"
    if is_retraction:  # (a message outside an f-string, where pybabel finds it)
        correction = said(N_("correction"))
        label += f' <span class="tag">{correction}</span>'
    return EventKind(
        kind,
        label,
        GIST_FIELDS.get(kind.split(".")[-1]),
        "retraction" if is_retraction else "",
        kind == REPORT,
    )


def timeline_rows(
    events: Iterable[Any],
    actors: Mapping[str, str],
    as_of: date | None,
    retracted: set[UUID],
    days: DayTexts,
    show_after_as_of: bool = True,
) -> Markup:
    """The timeline's ``<tbody>``, one row per event, in the current language, as
    ``_timeline.html`` wrote it from entries: both dates, the label (a retraction tagged as a
    correction), the gist, whether a report was retracted later, whether the event happened
    after the as-of day (left out unless ``show_after_as_of``), who recorded it (by name where
    known) and the source. ``retracted``: the ids of the reports retracted since."""
    tags = said(N_("retracted later")), said(N_("after the as-of day"))  # (outside f-strings,
    retracted_later = f'<br><span class="tag">{tags[0]}</span>'  # where pybabel finds them)
    after_tag = f'<br><span class="tag">{tags[1]}</span>'
    kinds: dict[type, EventKind] = {}
    names: dict[str, str] = {}
    sources: dict[Any, str] = {}
    partial_days, days_kept = days.partial_days, days.days  # (looked up inline: ~400 a page)
    rows = ["<tbody>\n"]
    for event in events:
        state = vars(event)
        happened = state["occurred_on"]
        after = as_of is not None and happened > as_of
        if after and not show_after_as_of:
            continue
        kind = kinds.get(type(event))
        if kind is None:
            kind = kinds[type(event)] = event_kind(type(event))
        text = state.get(kind.gist_field) if kind.gist_field else None
        if type(text) is not str:  # a text field is its gist as it stands; the rest (deadlines,
            text = event_summary(kind.name, OwnFields(event))  # roles...) put in words
        actor = names.get(state["actor"])
        if actor is None:
            actor = names[state["actor"]] = escaped(actors.get(state["actor"], state["actor"]))
        source = sources.get(state["source"])
        if source is None:
            source = sources[state["source"]] = escaped(state["source"])
        precision = state["precision"]
        day = partial_days.get((happened, precision)) or days.partial(happened, precision)
        recorded_on = state["timestamp"].date()
        recorded = days_kept.get(recorded_on) or days.day(recorded_on)
        later = kind.is_report and state.get("report_id") in retracted
        rows.append(
            f'    <tr class="{kind.row_class}{" after-as-of" if after else ""}">\n'
            f"      <td>{day}</td>\n"
            f"      <td>{kind.label}{'<br>' + escaped(text) if text else ''}"
            f"{retracted_later if later else ''}{after_tag if after else ''}</td>\n"
            f"      <td>{recorded}</td>\n"
            f"      <td>{actor}</td>\n"
            f"      <td>{source}</td>\n"
            "    </tr>\n"
        )
    rows.append("  </tbody>")
    return Markup("".join(rows))
