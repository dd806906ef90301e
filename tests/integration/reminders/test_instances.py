"""Several instances (2 and 4) on one PostgreSQL database: writes through all of them, and 100
planned reminders sent over up to 100 cycles — each delivered once, no write lost, read models
consistent."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from adapters.clock import FixedClock
from adapters.focal_points import FocalPointStore
from adapters.smtp_mailer import SmtpMailer
from domain.forum import Forum
from domain.outcome import Outcome
from domain.provenance import Provenance
from followup.bootstrap import Container, bootstrap
from followup.commands.base import StaleVersionError
from followup.commands.outcomes import OutcomeCommands
from followup.reminders import ReminderService
from followup.settings import Settings
from notifications.policy import ReminderPolicy
from tests.integration.reminders.conftest import NEXT_SUMMIT, SETUP, owe
from tests.smtp_server import smtp_server

pytestmark = pytest.mark.postgres
STATES = ["".join(letters) for letters in product("ABCDEFGHIJ", repeat=2)][:100]
POLICY = ReminderPolicy(offsets=(7,), meeting_kinds=("summit",))


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    from tests.conftest import _drop_pg_database, _fresh_pg_database

    request.getfixturevalue("postgres_available")
    name, url = _fresh_pg_database()
    try:
        yield url
    finally:
        _drop_pg_database(name)


def instance(url: str, data_dir: Path, clock: FixedClock) -> Container:
    return bootstrap(Settings(database_url=url, data_dir=data_dir), clock=clock)


@pytest.mark.parametrize("instances", [2, 4])
def test_instances_deliver_each_reminder_once_and_lose_no_write(
    postgres_url: str, tmp_path: Path, instances: int
) -> None:
    clock = FixedClock(datetime(2027, 1, 1, 9, tzinfo=UTC))
    first = instance(postgres_url, tmp_path, clock)
    fact = Provenance(date(2027, 1, 1), "test", "")
    forum = Forum.establish("gfmd", "Test forum", fact)
    for code in STATES:
        forum.admit_state(code, f"State {code}", fact)
    forum.schedule_meeting("summit-2027", "summit", "Summit 2027", date(2027, 3, 1), fact)
    first.app.save(forum)
    points = FocalPointStore(first.engine, "gfmd")
    for code in STATES:
        owe(first, f"owed-by-{code.lower()}", code, NEXT_SUMMIT, date(2027, 1, 1))
        points.add(code, f"Focal point {code}", f"fp-{code.lower()}@example.org", "en", clock.now())
    planner = ReminderService(first, None, POLICY)
    assert len(planner.plan().planned) == 100

    others = [instance(postgres_url, tmp_path, clock) for _ in range(instances - 1)]
    containers = [first, *others]
    clock.move_to(datetime(2027, 2, 22, 9, tzinfo=UTC))
    with smtp_server() as (inbox, port):
        senders = [
            ReminderService(c, SmtpMailer("127.0.0.1", port, timeout=10), POLICY, worker=f"i{n}")
            for n, c in enumerate(containers)
        ]
        sent: Counter[str] = Counter()
        written: Counter[str] = Counter()
        lock = threading.Lock()

        def run(service: ReminderService, number: int) -> None:
            commands = OutcomeCommands(service.container, SETUP)
            for cycle in range(100):
                code = STATES[(number * 7 + cycle) % len(STATES)].lower()
                write_with_retry(
                    commands,
                    Outcome.create_id("gfmd", f"owed-by-{code}"),
                    f"instance {number} cycle {cycle}",
                )
                with lock:
                    written[service.worker] += 1
                report = service.send_due()
                with lock:
                    sent[service.worker] += len(report.sent)
                if not service.open() and cycle >= 10:
                    return

        threads = [threading.Thread(target=run, args=(s, n)) for n, s in enumerate(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        messages = inbox.take()
    addresses = Counter(str(m["To"]).split("<")[-1].rstrip(">") for m in messages)
    assert len(messages) == 100 and set(addresses.values()) == {1}
    assert len({m["Message-ID"] for m in messages}) == 100
    assert sum(sent.values()) == 100 and all(sent[s.worker] > 0 for s in senders), sent
    reports = [
        e
        for code in STATES
        for e in first.app.events_of(Outcome.create_id("gfmd", f"owed-by-{code.lower()}"))
        if isinstance(e, Outcome.ProgressReported)
    ]
    assert len(reports) == sum(written.values())  # every acknowledged write is there
    first.settle()
    live = snapshot(first)
    first.runner.rebuild()
    assert snapshot(first) == live
    for container in containers:
        container.close()


def snapshot(container: Container) -> dict[str, list[tuple[str, ...]]]:
    from sqlalchemy import select

    from adapters.read_models.metadata import metadata

    with container.engine.connect() as connection:
        return {
            t.name: sorted(tuple(map(str, r)) for r in connection.execute(select(t)))
            for t in metadata.sorted_tables
            if t.name not in {"projection_tracking", "idempotency_records"}
        }


def write_with_retry(commands: OutcomeCommands, outcome_id: Any, summary: str) -> None:
    """As the API does without If-Match: a write that lost a race is decided again."""
    for _ in range(20):
        try:
            commands.report_progress(outcome_id, summary, None)
            return
        except StaleVersionError:
            continue
    raise AssertionError("could not write after 20 tries")
