"""``followup reminders plan --dry-run`` and ``preview``, ``followup focal-points``."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from followup.cli import app
from tests.integration.reminders.conftest import World


@pytest.fixture
def cli(world: World, database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", database_url)
    return CliRunner()


def test_the_dry_run_shows_the_plan_and_appends_nothing(world: World, cli: CliRunner) -> None:
    before = world.container.app.head_position()
    result = cli.invoke(app, ["reminders", "plan", "--dry-run", "--on", "2009-09-20"])
    assert result.exit_code == 0, result.output
    assert "would plan 12" in result.output
    assert "2009-10-03" in result.output and "TROIKA" in result.output
    assert world.container.app.head_position() == before
    preview = cli.invoke(app, ["reminders", "preview", "MA", "--on", "2009-09-20"])
    assert preview.exit_code == 0, preview.output
    assert "Subject (fr)" in preview.output and "ma-before-athens" in preview.output


def test_a_real_plan_is_for_today_only(cli: CliRunner) -> None:
    result = cli.invoke(app, ["reminders", "plan", "--on", "2009-09-20"])
    assert result.exit_code == 2 and "--on goes with --dry-run" in result.stderr


def test_focal_points_from_the_command_line(cli: CliRunner) -> None:
    added = cli.invoke(
        app,
        [
            "focal-points",
            "add",
            "GR",
            "--name",
            "Nikos",
            "--email",
            "nikos@example.gr",
            "--language",
            "en",
        ],
    )
    assert added.exit_code == 0, added.output
    listing = cli.invoke(app, ["focal-points", "list", "GR"])
    assert "nikos@example.gr" in listing.output
    point_id = added.output.split()[2]
    assert cli.invoke(app, ["focal-points", "erase", point_id]).exit_code == 0
    assert "nikos@example.gr" not in cli.invoke(app, ["focal-points", "list"]).output
    bad = cli.invoke(app, ["focal-points", "add", "XX", "--name", "n", "--email", "n@x.org"])
    assert bad.exit_code == 2 and "not a participating state" in bad.stderr
