"""PostgreSQL appends a command's save in one call of followup's own function
(``adapters/postgres_recorder.py``): it must keep what the library's pipelined append gave, the
table lock that commits positions in the order they are handed out, and the notification."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest

from adapters.clock import FixedClock
from followup.bootstrap import Container, bootstrap
from followup.settings import Settings
from tests.factories import NOW, adopted_outcome, fact

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_container(database_url_postgres: str, tmp_path: Path) -> Iterator[Container]:
    settings = Settings(database_url=database_url_postgres, data_dir=tmp_path)
    wired = bootstrap(settings, FixedClock(NOW))
    yield wired
    wired.close()


def _saves(container: Container, writer: int, count: int, events: int) -> None:
    outcome = adopted_outcome(code=f"writer-{writer}")
    container.app.save(outcome)
    for number in range(count):
        for day in range(1, events + 1):  # a save's positions must stay together
            outcome.report_progress(
                outcome.report_id(f"{number}-{day}"), f"Report {number}", fact(date(2009, 1, day))
            )
        container.app.save(outcome)


def head(container: Container) -> int:
    return container.app.head_position()


@pytest.mark.parametrize("events", [1, 3], ids=["one-event saves", "three-event saves"])
def test_a_reader_never_sees_a_position_filled_in_behind_it(
    pg_container: Container, database_url_postgres: str, events: int
) -> None:
    """Positions commit in the order they are handed out: whatever a reader of the log has
    read up to, nothing appears later below it (the projections and the workflow policy read
    on from where they stopped). Without the table lock two writers commit out of order. A
    save of one event takes a function of its own: it must keep the lock too."""
    table = pg_container.app.recorder.events_table_name  # type: ignore[attr-defined]
    writers = [
        threading.Thread(target=_saves, args=(pg_container, number, 60, events))
        for number in range(6)
    ]
    seen: list[int] = []
    gaps: list[tuple[int, int]] = []
    with psycopg.connect(database_url_postgres.replace("+psycopg", ""), autocommit=True) as reader:
        for writer in writers:
            writer.start()
        while any(w.is_alive() for w in writers) or seen[-1:] != [head(pg_container)]:
            after = seen[-1] if seen else 0
            rows = reader.execute(
                f"SELECT notification_id FROM {table} WHERE notification_id > %s "
                "ORDER BY notification_id",
                (after,),
            ).fetchall()
            for (position,) in rows:
                if seen and position != seen[-1] + 1:
                    gaps.append((seen[-1], position))
                seen.append(position)
        for writer in writers:
            writer.join()
    assert gaps == []
    assert len(seen) == 6 * (1 + 60 * events)


@pytest.mark.parametrize("events", [1, 2], ids=["one event", "two events"])
def test_a_save_notifies_the_log_channel(
    pg_container: Container, database_url_postgres: str, events: int
) -> None:
    """A listener on the log's channel (a projection worker in a fleet) hears of each save,
    and the save's positions are the log's newest, in the order of its events."""
    channel = pg_container.app.recorder.channel_name  # type: ignore[attr-defined]
    outcome = adopted_outcome(code="heard")
    pg_container.app.save(outcome)
    for day in range(1, events + 1):
        outcome.report_progress(
            outcome.report_id(f"heard-{day}"), "Heard", fact(date(2009, 1, day))
        )
    with psycopg.connect(
        database_url_postgres.replace("+psycopg", ""), autocommit=True
    ) as listener:
        listener.execute(f'LISTEN "{channel}"')
        recordings = pg_container.app.save(outcome)
        heard = [n.channel for n in listener.notifies(timeout=5, stop_after=1)]
    assert heard == [channel]
    head = pg_container.app.head_position()
    assert [r.notification.id for r in recordings] == list(range(head - events + 1, head + 1))
    stored = pg_container.app.repository.get(outcome.id)
    assert [r.summary for r in stored.record.live_reports][-events:] == ["Heard"] * events
