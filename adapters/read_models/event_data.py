"""Events as plain data: what the timeline stores and the history API returns."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

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
