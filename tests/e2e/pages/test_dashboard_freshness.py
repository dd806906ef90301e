"""The dashboard keeps its last answer only while nothing changed: a new fact shows at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from domain.deadlines import DeadlineKind
from domain.outcome_record import Role as Responsibility
from followup.authorization import Principal, Role
from followup.commands.outcomes import DeadlineSpec, OutcomeCommands, Responsible
from tests.pages_server import pages_server, signed_in_client

SETUP = Principal("setup", Role.SECRETARIAT, kind="user")


def test_a_new_outcome_shows_on_the_dashboard_at_once(tmp_path: Path) -> None:
    with pages_server(tmp_path) as server:
        bob = signed_in_client(server.base, "bob")
        try:
            before = bob.get("/").text
            assert bob.get("/").text == before  # asked again: the same answer
            assert "30 outcomes in the portfolio." in before
            OutcomeCommands(server.container, SETUP).adopt(
                "fresh-2026-outcome",
                "A fresh outcome",
                date(2026, 11, 20),
                responsible=[Responsible("FI", Responsibility.LEAD)],
                deadline=DeadlineSpec(DeadlineKind.NEXT_MEETING, meeting_kind="summit"),
            )
            after = bob.get("/").text
        finally:
            bob.close()
    assert "31 outcomes in the portfolio." in after
    assert after.count(">FI<") >= before.count(">FI<")
