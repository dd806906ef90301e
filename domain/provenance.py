"""Where a fact comes from: every domain event carries when it happened, who recorded it and the
document it rests on. The store adds the time it was recorded (the event's ``timestamp``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Precision(StrEnum):
    """How much of ``occurred_on`` the sources actually give ("2009" is year-precise)."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> tuple[date, Precision]:
    """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a partial date stands for its first day.

    Raises ValueError with a message fit for a user when the text is not such a date.
    """
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = match.groups()
    try:
        value = date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValueError(f"{text!r} is not a valid date: {error}") from None
    if day:
        return value, Precision.DAY
    return value, (Precision.MONTH if month else Precision.YEAR)


def format_partial_date(value: date, precision: str) -> str:
    """The inverse of :func:`parse_partial_date`, so a year-precise fact shows as ``2009``."""
    if precision == Precision.YEAR:
        return f"{value.year:04d}"
    if precision == Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


@dataclass(frozen=True)
class Provenance:
    """The facts about a fact: passed to every command, copied onto the event it triggers."""

    occurred_on: date
    actor: str
    source: str = ""
    precision: Precision = Precision.DAY
    recorded_at: datetime | None = None

    def event_fields(self) -> dict[str, object]:
        """Keyword arguments for ``trigger_event``; ``timestamp`` is the recorded time."""
        fields: dict[str, object] = {
            "occurred_on": self.occurred_on,
            "precision": str(self.precision),
            "actor": self.actor,
            "source": self.source,
        }
        if self.recorded_at is not None:
            fields["timestamp"] = self.recorded_at
        return fields


def latest_day(value: date, precision: str) -> date:
    """The last day a partial date can stand for ("2008" may be any day up to 31 Dec 2008)."""
    if precision == Precision.YEAR:
        return date(value.year, 12, 31)
    if precision == Precision.MONTH:
        next_month = date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return date.fromordinal(next_month.toordinal() - 1)
    return value
