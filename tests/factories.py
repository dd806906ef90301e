"""Builders of test data: domain objects and events with readable defaults."""

from __future__ import annotations

import json
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


def outcome_with_every_kind_of_event(text: str = "plain") -> list[Any]:
    """The events of two outcomes (one withdrawn, one superseded) holding every kind of outcome
    event, ``text`` in every free text (titles, summaries, reasons, actors, sources, links),
    facts dated by day, month and year, some recorded late, reports retracted and not."""
    from uuid import UUID

    from domain.outcome_record import FactRef, MilestoneKind, Role
    from domain.provenance import Precision

    def on(day: date, precision: Precision = Precision.DAY, hour: int = 9) -> Provenance:
        recorded = datetime(day.year + 1, day.month, min(day.day, 28), hour, tzinfo=UTC)
        return Provenance(day, text, text, precision, recorded)

    first = Outcome.adopt(FORUM, "rt1-awkward", text, on(MANILA_CLOSE), summary=text)
    first.assign_responsibility("PH", Role.LEAD, on(MANILA_CLOSE))
    first.assign_responsibility(
        "GR", Role.SUPPORT, Provenance(date(2009, 1, 5), "user:ann", "", recorded_at=NOW)
    )
    first.release_responsibility("GR", on(date(2009, 2, 1)))
    first.assign_working_group(UUID(int=7), on(date(2009, 2, 1)))
    first.set_deadline(Deadline(DeadlineKind.DATE, ATHENS, due_on=date(2010, 6, 30)), on(ATHENS))
    first.set_deadline(next_summit(), on(date(2009, 12, 1)))
    first.set_deadline(
        Deadline(DeadlineKind.RECURRING, ATHENS, every_months=12, first_due_on=date(2010, 1, 1)),
        on(date(2009, 12, 2)),
    )
    milestone = first.plan_milestone("m1", MilestoneKind.CUSTOM, text, on(date(2009, 3, 1)))
    first.plan_milestone("m2", MilestoneKind.CUSTOM, "second", on(date(2009, 3, 1)))
    reports = [first.report_id(key) for key in ("a", "b", "c", "d")]
    first.report_progress(reports[0], text, on(date(2009, 3, 1), Precision.MONTH), 50, [text, "x"])
    first.report_progress(reports[1], text, on(date(2009, 1, 1), Precision.YEAR))
    first.report_progress(reports[2], "backdated", on(date(2008, 11, 2)), 0, [], milestone)
    first.report_progress(reports[3], text, on(date(2010, 5, 5)), 100)
    first.retract_progress(reports[0], text, on(date(2009, 4, 1)))
    first.retract_progress(reports[3], "", on(date(2011, 1, 1)))
    cause = FactRef(first.id, 13, "Outcome.ProgressReported", date(2008, 11, 2))
    first.reach_milestone(milestone, cause, on(date(2009, 5, 1)))
    first.reopen_milestone(milestone, text, on(date(2009, 6, 1)))
    first.remove_milestone(first.milestone_id("m2"), text, on(date(2009, 6, 2)))
    first.set_public(True, on(date(2009, 7, 1)))
    first.set_public(False, on(date(2009, 7, 2)))
    first.complete(text, [text], on(date(2011, 3, 1), Precision.MONTH))
    first.reopen(text, on(date(2011, 4, 1)))
    first.withdraw(text, on(date(2012, 1, 1)))
    second = Outcome.adopt(FORUM, "rt2-superseded", "Superseded", on(date(2012, 2, 2)))
    second.supersede(first.id, on(date(2012, 3, 3)))
    return [*events(first), *events(second)]


def store_v1_progress_report(app: Any) -> None:
    """Append, straight to the store, a class-version-1 progress report (one ``evidence_url``,
    no percent, no milestone) on the first adopted outcome: as an older followup stored it."""
    from eventsourcing.persistence import StoredEvent
    from eventsourcing.utils import get_topic

    [(_, adopted)] = app.notifications(0, 1, [get_topic(Outcome.Adopted)])
    outcome = app.repository.get(adopted.originator_id)
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2009-03-01T10:00:00+00:00"},
        "occurred_on": {"_type_": "date_iso", "_data_": "2009-02-27"},
        "precision": "day",
        "actor": "secretariat",
        "source": "an old export",
        "report_id": {"_type_": "uuid_hex", "_data_": "0" * 31 + "1"},
        "summary": "Workshop held",
        "evidence_url": "https://example.org/old.pdf",
        "chain": "0" * 64,
    }
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=outcome.id,
                originator_version=outcome.version + 1,
                topic=get_topic(Outcome.ProgressReported),
                state=json.dumps(state).encode(),
            )
        ]
    )
