"""A store with the reference history, three responsible states with focal points, a real SMTP
server, and the clock set in September 2009, ahead of the Athens summit (2 November 2009)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from adapters.clock import FixedClock
from adapters.focal_points import FocalPointStore
from adapters.smtp_mailer import SmtpMailer
from domain.deadlines import DeadlineKind
from domain.outcome_record import Role as Responsibility
from followup.authorization import Principal, Role
from followup.bootstrap import Container
from followup.commands.outcomes import DeadlineSpec, OutcomeCommands, Responsible
from followup.importing.importer import Importer
from followup.reminders import ReminderService
from tests.smtp_server import Inbox, smtp_server

SETUP = Principal("setup", Role.SECRETARIAT, kind="user")


@dataclass
class World:
    container: Container
    clock: FixedClock
    inbox: Inbox
    service: ReminderService
    port: int

    def day(self, on: date, hour: int = 9) -> None:
        self.clock.move_to(datetime(on.year, on.month, on.day, hour, tzinfo=UTC))

    def tick(self) -> None:
        self.service.plan()
        self.service.send_due()


def owe(container: Container, code: str, state: str, deadline: DeadlineSpec, on: date) -> None:
    OutcomeCommands(container, SETUP).adopt(
        code,
        f"Outcome {code}",
        on,
        responsible=[Responsible(state, Responsibility.LEAD)],
        deadline=deadline,
    )


NEXT_SUMMIT = DeadlineSpec(DeadlineKind.NEXT_MEETING, meeting_kind="summit")


def history_until_athens(reference_text: str) -> str:
    """The reference history, with Athens not (yet) recorded as held: the clock is in 2009."""
    start = reference_text.index("  - code: summit-2009-athens")
    end = reference_text.index("  - code:", start + 10)
    block = reference_text[start:end]
    assert "held: true" in block
    return (
        reference_text[:start] + block.replace("held: true", "held: false") + reference_text[end:]
    )


@pytest.fixture
def world(container: Container, reference_text: str) -> Iterator[World]:
    assert Importer(container.app, "import:test").run(history_until_athens(reference_text)).ok
    clock = container.clock
    assert isinstance(clock, FixedClock)
    clock.move_to(datetime(2009, 9, 1, 9, tzinfo=UTC))
    owe(container, "ma-before-athens", "MA", NEXT_SUMMIT, date(2009, 9, 1))
    owe(container, "se-before-athens", "SE", NEXT_SUMMIT, date(2009, 9, 1))
    points = FocalPointStore(container.engine, "gfmd")
    points.add("MA", "Amal Benali", "amal@example.ma", "fr", clock.now())
    points.add("SE", "Sven Berg", "sven@example.se", "es", clock.now())
    points.add("AU", "Jo Smith", "jo@example.au", "en", clock.now())
    points.add("GR", "Eleni Pappa", "eleni@example.gr", "en", clock.now())
    with smtp_server() as (inbox, port):
        service = ReminderService(container, SmtpMailer("127.0.0.1", port, timeout=10))
        yield World(container, clock, inbox, service, port)
