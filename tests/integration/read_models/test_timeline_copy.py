"""The timeline copied from the log by the database holds, column for column, what writing each
decoded event through SQLAlchemy held (the form before 0009), and its ``data`` reads back as
the decoded event's own fields, an older class version upcast."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from adapters.read_models.event_data import aggregate_type, event_data, event_type, stored_fields
from adapters.read_models.timeline import timeline
from followup.bootstrap import Container
from tests.factories import store_v1_progress_report


def rows_by_position(container: Container) -> dict[int, Any]:
    with container.engine.connect() as connection:
        return {row.position: row for row in connection.execute(select(timeline))}


def as_written(container: Container, when: datetime) -> datetime:
    """A timestamp as SQLAlchemy gives it back: SQLite keeps no offset."""
    return when if container.engine.dialect.name == "postgresql" else when.replace(tzinfo=None)


def test_every_row_is_the_decoded_event_as_it_was_written(loaded: Container) -> None:
    events = loaded.app.notifications(0, 100_000)
    rows = rows_by_position(loaded)
    assert len(events) > 100 and sorted(rows) == [position for position, _ in events]
    mapper = loaded.app.mapper
    for position, event in events:
        row = rows[position]
        assert (
            row.aggregate_id,
            row.version,
            row.aggregate_type,
            row.event_type,
            row.occurred_on,
            row.precision,
            row.recorded_at,
            row.actor,
            row.source,
        ) == (
            str(event.originator_id),
            event.originator_version,
            aggregate_type(event),
            event_type(event),
            event.occurred_on,
            event.precision,
            as_written(loaded, event.timestamp),
            event.actor,
            event.source,
        ), position
        assert stored_fields(mapper, row) == event_data(event), position
    kinds = {row.event_type for row in rows.values()}
    assert {"Forum.Established", "Outcome.Adopted", "Outcome.DeadlineSet"} <= kinds


def test_an_event_stored_at_an_older_class_version_reads_upcast(loaded: Container) -> None:
    """A progress report of class version 1 (one ``evidence_url``, no percent, no milestone)
    stored before the class grew: its row reads as the decoded, upcast event."""
    store_v1_progress_report(loaded.app)
    loaded.runner.catch_up()
    position = loaded.app.head_position()
    row = rows_by_position(loaded)[position]
    [(_, event)] = loaded.app.notifications(position - 1, 1)
    assert stored_fields(loaded.app.mapper, row) == event_data(event)
    assert stored_fields(loaded.app.mapper, row)["evidence_urls"] == ["https://example.org/old.pdf"]
    assert row.recorded_at == as_written(loaded, datetime(2009, 3, 1, 10, tzinfo=UTC))
    assert row.source == "an old export" and row.event_type == "Outcome.ProgressReported"
