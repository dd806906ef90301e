"""Two sender instances on one PostgreSQL database, 100 planned reminders: each delivered once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import product
from pathlib import Path

import pytest

from adapters.clock import FixedClock
from adapters.focal_points import FocalPointStore
from adapters.smtp_mailer import SmtpMailer
from domain.forum import Forum
from domain.provenance import Provenance
from followup.bootstrap import Container, bootstrap
from followup.reminders import ReminderService
from followup.settings import Settings
from notifications.policy import ReminderPolicy
from tests.integration.reminders.conftest import NEXT_SUMMIT, owe
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


def test_two_senders_deliver_each_of_100_reminders_exactly_once(
    postgres_url: str, tmp_path: Path
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

    second = instance(postgres_url, tmp_path, clock)
    clock.move_to(datetime(2027, 2, 22, 9, tzinfo=UTC))
    with smtp_server() as (inbox, port):
        senders = [
            ReminderService(c, SmtpMailer("127.0.0.1", port, timeout=10), POLICY, worker=name)
            for c, name in [(first, "one"), (second, "two")]
        ]
        sent: Counter[str] = Counter()
        lock = threading.Lock()

        def run(service: ReminderService) -> None:
            for _ in range(20):
                report = service.send_due()
                with lock:
                    sent[service.worker] += len(report.sent)
                if not report.sent and not service.open():
                    return

        threads = [threading.Thread(target=run, args=(s,)) for s in senders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        messages = inbox.take()
    first.close()
    second.close()
    addresses = Counter(str(m["To"]).split("<")[-1].rstrip(">") for m in messages)
    assert len(messages) == 100 and set(addresses.values()) == {1}
    assert len({m["Message-ID"] for m in messages}) == 100
    assert sum(sent.values()) == 100 and all(sent[w] > 0 for w in ("one", "two")), sent
