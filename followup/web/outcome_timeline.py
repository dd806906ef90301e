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


def gist(event: Any, kind: EventKind) -> str:
    """``event_summary(kind, event_data(event))``: a text field taken as it is, the rest (the
    deadlines, roles and publicity, put in words) through ``event_summary`` itself."""
    if kind.gist_field is not None:
        value = vars(event).get(kind.gist_field)
        if type(value) is str:
            return value
    return event_summary(kind.name, OwnFields(event))


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
    rows = ["<tbody>\n"]
    for event in events:
        after = as_of is not None and event.occurred_on > as_of
        if after and not show_after_as_of:
            continue
        kind = kinds.get(type(event))
        if kind is None:
            kind = kinds[type(event)] = event_kind(type(event))
        text = gist(event, kind)
        actor = names.get(event.actor)
        if actor is None:
            actor = names[event.actor] = escaped(actors.get(event.actor, event.actor))
        source = sources.get(event.source)
        if source is None:
            source = sources[event.source] = escaped(event.source)
        later = kind.is_report and getattr(event, "report_id", None) in retracted
        rows.append(
            f'    <tr class="{kind.row_class}{" after-as-of" if after else ""}">\n'
            f"      <td>{days.partial(event.occurred_on, event.precision)}</td>\n"
            f"      <td>{kind.label}{'<br>' + escaped(text) if text else ''}"
            f"{retracted_later if later else ''}{after_tag if after else ''}</td>\n"
            f"      <td>{days.day(event.timestamp.date())}</td>\n"
            f"      <td>{actor}</td>\n"
            f"      <td>{source}</td>\n"
            "    </tr>\n"
        )
    rows.append("  </tbody>")
    return Markup("".join(rows))
