"""Builders of test data: domain objects and events with readable defaults."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from domain.deadlines import Deadline, DeadlineKind
from domain.forum import Forum
from domain.outcome import Outcome
from domain.provenance import Provenance

FORUM = "gfmd"
MANILA_CLOSE = date(2008, 10, 30)
ATHENS = date(2009, 11, 4)
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def fact(day: date, actor: str = "test", source: str = "test fixture") -> Provenance:
    return Provenance(day, actor, source)


def forum_with_summits(*, athens_on: date | None = ATHENS) -> Forum:
    """GFMD with Manila 2008 held and (unless None) Athens 2009 announced at Manila."""
    forum = Forum.establish(
        FORUM, "Global Forum on Migration and Development", fact(date(2007, 1, 1))
    )
    for code, name in [
        ("PH", "Philippines"),
        ("GR", "Greece"),
        ("SE", "Sweden"),
        ("MA", "Morocco"),
    ]:
        forum.admit_state(code, name, fact(date(2007, 1, 1)))
    manila = forum.schedule_meeting(
        "summit-2008-manila",
        "summit",
        "Manila",
        date(2008, 10, 27),
        fact(date(2008, 1, 1)),
        ends_on=MANILA_CLOSE,
        convened_by="PH",
    )
    forum.mark_meeting_held(manila, fact(MANILA_CLOSE))
    if athens_on is not None:
        forum.schedule_meeting(
            "summit-2009-athens",
            "summit",
            "Athens",
            athens_on,
            fact(MANILA_CLOSE),
            convened_by="GR",
        )
    return forum


def adopted_outcome(code: str = "mnl-2008-rt3.2-survey-rerun", day: date = MANILA_CLOSE) -> Outcome:
    return Outcome.adopt(FORUM, code, "Re-run the survey", fact(day), roundtable="3", session="3.2")


def next_summit() -> Deadline:
    return Deadline(DeadlineKind.NEXT_MEETING, MANILA_CLOSE, meeting_kind="summit")


def events(aggregate: Any) -> list[Any]:
    """The aggregate's pending events (without collecting them)."""
    return list(aggregate.pending_events)
