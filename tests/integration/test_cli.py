"""The ``followup`` command as an operator uses it (on both backends)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from followup.cli import app
from tests.conftest import REFERENCE


@pytest.fixture
def cli(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", database_url)
    monkeypatch.setenv("FOLLOWUP_DATA_DIR", str(tmp_path))
    return CliRunner()


def test_import_twice_appends_nothing_the_second_time(cli: CliRunner) -> None:
    first = cli.invoke(app, ["import", str(REFERENCE)])
    assert first.exit_code == 0, first.output
    assert "appended 100 event(s)" in first.output
    second = cli.invoke(app, ["import", str(REFERENCE)])
    assert "appended 0 event(s)" in second.output


def test_a_bad_file_names_each_line_and_imports_nothing(cli: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        REFERENCE.read_text(encoding="utf-8")
        .replace(
            "{code: SE, name: Sweden}", "{code: SE, name: Sweden}\n  - {code: SE, name: Sweden}"
        )
        .replace("    starts_on: 2008-10-27", "    starts_on: 2008-02-30"),
        encoding="utf-8",
    )
    result = cli.invoke(app, ["import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:line 19: states[7].code: code 'SE' is used twice" in result.stderr
    assert "meetings[2].starts_on: '2008-02-30' is not a valid date" in result.stderr
    assert "nothing was imported" in result.stderr
    status = cli.invoke(app, ["projections", "status"])
    assert "event log head: 0" in status.output


def test_an_unreadable_file_is_a_clear_message(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, ["import", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 1 and "cannot read" in result.stderr


def test_rebuild_replays_everything_and_reports_it(cli: CliRunner) -> None:
    cli.invoke(app, ["import", str(REFERENCE)])
    result = cli.invoke(app, ["projections", "rebuild"])
    assert result.exit_code == 0, result.output
    # the 100 facts of the file, and what the workflow policy recorded from them: two
    # milestones reached (the 2009 formation, the 2008 run) and the survey's next cycle planned
    assert "rebuilt from 103 event(s)" in result.output
    status = cli.invoke(app, ["projections", "status"])
    assert "outcome_status" in status.output and "event log head: 103" in status.output


def test_a_rebuild_can_replay_every_event_instead_of_starting_from_snapshots(
    cli: CliRunner,
) -> None:
    cli.invoke(app, ["import", str(REFERENCE)])
    assert "--replay-all" in cli.invoke(app, ["projections", "rebuild", "--help"]).output
    result = cli.invoke(app, ["projections", "rebuild", "--replay-all"])
    assert result.exit_code == 0, result.output
    assert "rebuilt from 103 event(s)" in result.output


def test_rebuilding_an_unknown_projection_is_an_error(cli: CliRunner) -> None:
    result = cli.invoke(app, ["projections", "rebuild", "--name", "nope"])
    assert result.exit_code == 1 and "no projection named 'nope'" in result.stderr


def test_tokens_are_printed_once_listed_without_secret_and_revoked(cli: CliRunner) -> None:
    cli.invoke(app, ["import", str(REFERENCE)])
    created = cli.invoke(
        app,
        [
            "tokens",
            "create",
            "--role",
            "wg_lead",
            "--name",
            "PCDR co-chair",
            "--working-group",
            "wg-policy-coherence-data-research",
        ],
    )
    assert created.exit_code == 0, created.output
    bearer = created.stdout.strip()
    token_id, secret = bearer[3:].split(".", 1)
    listing = cli.invoke(app, ["tokens", "list"])
    assert token_id in listing.output and secret not in listing.output
    assert "wg-policy-coherence-data-research" in listing.output
    assert cli.invoke(app, ["tokens", "revoke", token_id]).exit_code == 0
    assert cli.invoke(app, ["tokens", "revoke", token_id]).exit_code == 1


def test_a_lead_token_needs_a_known_working_group(cli: CliRunner) -> None:
    cli.invoke(app, ["import", str(REFERENCE)])
    missing = cli.invoke(app, ["tokens", "create", "--role", "wg_lead", "--name", "x"])
    assert missing.exit_code == 2 and "needs at least one --working-group" in missing.stderr
    unknown = cli.invoke(
        app, ["tokens", "create", "--role", "wg_lead", "--name", "x", "--working-group", "nope"]
    )
    assert unknown.exit_code == 2 and "unknown working group 'nope'" in unknown.stderr
