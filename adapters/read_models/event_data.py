"""Events as plain data: what the timeline stores and the history API returns."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Mapper, StoredEvent

BASE_FIELDS = {
    "originator_id",
    "originator_version",
    "originator_topic",
    "timestamp",
    "occurred_on",
    "precision",
    "actor",
    "source",
    "chain",
}


def plain(value: Any) -> Any:
    """JSON-ready: dates as ISO strings, UUIDs as strings, containers recursively."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


SCALARS = frozenset({str, int, float, bool, type(None)})
#: the sorted own fields of each shape of event seen (its attribute names, in order)
_OWN_FIELDS: dict[tuple[str, ...], tuple[str, ...]] = {}


def event_data(event: Any) -> dict[str, Any]:
    """The event's own fields, without the provenance every event carries.

    A rebuild writes this for every event of the log: the field names are sorted once per
    shape of event, and scalars are taken as they are."""
    state = vars(event)
    shape = tuple(state)
    names = _OWN_FIELDS.get(shape)
    if names is None:
        names = _OWN_FIELDS[shape] = tuple(sorted(k for k in shape if k not in BASE_FIELDS))
    data = {}
    for name in names:
        value = state[name]
        data[name] = value if type(value) in SCALARS else plain(value)
    return data


def event_type(event: Any) -> str:
    """``Outcome.ProgressReported`` — the aggregate and the event, as the domain names them."""
    return type(event).__qualname__


def aggregate_type(event: Any) -> str:
    return type(event).__qualname__.split(".")[0]


def stored_fields(mapper: Mapper[UUID], row: Any) -> dict[str, Any]:
    """A timeline row's ``data`` (the event's own fields as the store holds them) as plain data,
    as ``event_data`` gives them for the decoded event: decoded by the store's own mapper, so
    transcoded values come out as they went in and an older class version is upcast."""
    stored = StoredEvent(
        originator_id=UUID(row.aggregate_id),
        originator_version=row.version,
        topic=event_topic(row.event_type),
        state=json.dumps(row.data).encode(),
    )
    return event_data(mapper.to_domain_event(stored))


def event_topic(event_type: str) -> str:
    """The topic of the domain's event class ``event_type`` names (``Outcome.Adopted``)."""
    topics = _domain_event_topics()
    if event_type not in topics:  # a class imported since the map was made
        _domain_event_topics.cache_clear()
        topics = _domain_event_topics()
    return topics[event_type]


@cache
def _domain_event_topics() -> dict[str, str]:
    """The topic of every event class of the domain by its qualified name (unique there: each
    is nested in its aggregate's class). Spelled as ``get_topic`` spells it, without asking
    it: the aggregates' metaclass leaves copies of some classes among the subclasses, and
    ``get_topic`` refuses to register a second class under a topic."""
    found: dict[str, str] = {}
    pending: list[type] = [Aggregate.Event]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] == "domain":
            found[cls.__qualname__] = f"{cls.__module__}:{cls.__qualname__}"
    return found
