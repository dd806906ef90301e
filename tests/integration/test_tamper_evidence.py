"""Every stored event is chained to the previous one of its stream; ``followup verify`` finds an
altered or removed event (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from followup.authorization import Principal, Role
from followup.bootstrap import Container
from followup.cli import app
from followup.commands.outcomes import OutcomeCommands
from tests.conftest import REFERENCE


@pytest.fixture
def cli(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", database_url)
    monkeypatch.setenv("FOLLOWUP_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(REFERENCE)]).exit_code == 0
    return runner


def events_table(container: Container) -> str:
    return "stored_events" if container.engine.dialect.name == "sqlite" else "followup_events"


def test_an_untouched_log_verifies(cli: CliRunner) -> None:
    result = cli.invoke(app, ["verify"])
    assert result.exit_code == 0, result.output
    assert "every hash holds" in result.output


def test_an_altered_event_is_caught_with_its_position(cli: CliRunner, container: Container) -> None:
    table = events_table(container)
    with container.engine.begin() as connection:
        row = connection.execute(
            text(
                f"SELECT originator_id, originator_version, state FROM {table} "
                "WHERE topic LIKE '%Survey.RunClosed' ORDER BY originator_version LIMIT 1"
            )
        ).one()
        state = json.loads(bytes(row.state))
        state["responses"] = 54  # someone "corrects" 53 to 54 behind the record's back
        update = (
            f"UPDATE {table} SET state = :state "
            "WHERE originator_id = :id AND originator_version = :v"
        )
        values = {
            "state": json.dumps(state).encode(),
            "id": row.originator_id,
            "v": row.originator_version,
        }
        connection.execute(text(update), values)
    result = cli.invoke(app, ["verify"])
    assert result.exit_code == 1
    assert "Survey.RunClosed v2" in result.stderr
    assert "its content does not match its hash" in result.stderr


def test_a_removed_event_is_caught(cli: CliRunner, container: Container) -> None:
    table = events_table(container)
    with container.engine.begin() as connection:
        connection.execute(
            text(
                f"DELETE FROM {table} WHERE topic LIKE '%Outcome.ProgressReported' "
                "AND originator_version = 2"
            )
        )
    result = cli.invoke(app, ["verify"])
    assert result.exit_code == 1
    assert "an event is missing or out of order" in result.stderr


def test_writes_after_loading_in_a_fresh_process_link_to_the_stored_chain(
    cli: CliRunner, container: Container
) -> None:
    """The save links to the hash of the outcome's newest event as the load read it."""
    container.settle()
    followed = "SELECT id FROM outcomes WHERE status = 'in_progress' ORDER BY version DESC"
    with container.engine.connect() as connection:
        outcome_id = UUID(connection.execute(text(followed)).scalars().first())
    commands = OutcomeCommands(container, Principal("sec", Role.SECRETARIAT, kind="user"))
    commands.report_progress(outcome_id, "Linked to what the load read", None)
    commands.report_progress(outcome_id, "Linked to what the save stored", None)
    result = cli.invoke(app, ["verify"])
    assert result.exit_code == 0, result.output
    assert "every hash holds" in result.output
