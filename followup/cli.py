"""The ``followup`` command: serve, demo, import, projections, db."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from adapters.users import UserStore
from followup import fleet_cli
from followup.bootstrap import PROJECT_ROOT, Container, SchemaMismatchError, bootstrap
from followup.forums import Role, open_forums
from followup.reminder_cli import focal_points_app, reminders_app
from followup.settings import SETTINGS_FILE_VARIABLE, Settings, SettingsFileError
from followup.token_cli import tokens_app
from followup.transfer_cli import export_events, import_events
from followup.user_cli import users_app

app = typer.Typer(
    help="followup: the follow-up tracker for intergovernmental forums.", no_args_is_help=True
)
projections_app = typer.Typer(help="Read models: status and rebuild.", no_args_is_help=True)
db_app = typer.Typer(help="Read-model schema (Alembic).", no_args_is_help=True)
app.add_typer(projections_app, name="projections")
app.add_typer(db_app, name="db")
app.add_typer(tokens_app, name="tokens")
app.add_typer(users_app, name="users")
app.add_typer(reminders_app, name="reminders")
app.add_typer(focal_points_app, name="focal-points")
app.command("export-events")(export_events)
app.command("import-events")(import_events)

app.command()(fleet_cli.serve)
app.command()(fleet_cli.worker)

console = Console()
errors = Console(stderr=True)
REFERENCE_HISTORY = PROJECT_ROOT / "data" / "reference-history.yaml"


@app.callback()
def main(
    settings: Annotated[
        Path | None,
        typer.Option(help="a TOML settings file [FOLLOWUP_SETTINGS_FILE]", dir_okay=False),
    ] = None,
    forum: Annotated[
        str | None, typer.Option(help="the forum a command works on [FOLLOWUP_FORUM]")
    ] = None,
) -> None:
    """Check the settings before any command runs: a bad file or value is reported, not
    half-applied."""
    if settings is not None:
        os.environ[SETTINGS_FILE_VARIABLE] = str(settings)
    if forum is not None:
        os.environ["FOLLOWUP_FORUM"] = forum
    try:
        Settings().hosted()
    except (SettingsFileError, ValidationError) as error:
        errors.print(f"settings: {error}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(code=2) from None


@app.command()
def demo(host: fleet_cli.HostOption = None, port: fleet_cli.PortOption = None) -> None:
    """A fresh SQLite store under the data directory, the reference history imported, served."""
    settings = Settings()
    demo_dir = settings.data_dir / "demo"
    shutil.rmtree(demo_dir, ignore_errors=True)
    demo_settings = settings.model_copy(
        update={
            "database_url": f"sqlite:///{(demo_dir / 'followup.sqlite').as_posix()}",
            # a person reads the demo's console: plain lines unless JSON was asked for
            "log_format": settings.log_format
            if "log_format" in settings.model_fields_set
            else "text",
        }
    )
    container = bootstrap(demo_settings)
    _import(container, REFERENCE_HISTORY, dry_run=False)
    password = secrets.token_urlsafe(12)
    UserStore(container.engine).create(
        "demo", "Demo secretariat", "secretariat", password, container.clock.now()
    )
    console.print(f"sign in to the pages as [bold]demo[/] with password [bold]{password}[/]")
    fleet_cli.serve_containers([container], demo_settings, host, port)


def _import(container: Container, file: Path, dry_run: bool) -> bool:
    from followup.importing.importer import Importer

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        errors.print(f"[red]cannot read {file}: {error}[/]")
        return False
    report = Importer(container.app, actor=f"import:{file.name}").run(text, dry_run=dry_run)
    if not report.ok:
        for problem in report.problems:
            errors.print(f"{file}:{problem}", markup=False, highlight=False, soft_wrap=True)
        errors.print(f"[red]{len(report.problems)} problem(s): nothing was imported[/]")
        return False
    verb = "would append" if dry_run else "appended"
    console.print(f"{file}: {verb} {report.events_appended} event(s)")
    for name, count in sorted(report.appended.items()):
        console.print(f"  {count:5d}  {name}")
    if not dry_run:
        container.settle()
    return True


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="a followup/1 YAML file")],
    dry_run: Annotated[bool, typer.Option(help="validate and report, append nothing")] = False,
) -> None:
    """Validate FILE, then append its facts (all or nothing; re-importing appends nothing)."""
    container = bootstrap()
    try:
        if not _import(container, file, dry_run):
            raise typer.Exit(code=1)
    finally:
        container.close()


@projections_app.command("status")
def projections_status() -> None:
    """Each read model's position in the event log and how far it lags."""
    container = bootstrap()
    try:
        head = container.app.head_position()
        lag = container.runner.lag()
        table = Table("projection", "position", "events to apply")
        for name, position in container.runner.positions().items():
            table.add_row(name, str(position), str(lag[name]))
        console.print(table)
        console.print(f"event log head: {head}")
    finally:
        container.close()


@projections_app.command("rebuild")
def projections_rebuild(
    name: Annotated[
        list[str] | None, typer.Option(help="only this read model (repeatable)")
    ] = None,
    replay_all: Annotated[
        bool,
        typer.Option(
            "--replay-all",
            help="decode and fold every event, not only those after each outcome's snapshot",
        ),
    ] = False,
) -> None:
    """Empty the read models and replay every event into them, with a progress bar. Outcomes
    start from their newest snapshot unless ``--replay-all`` is given."""
    container = bootstrap()
    try:
        head = container.app.head_position()
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(projection: str, position: int, total: int) -> None:
                if projection not in tasks:
                    tasks[projection] = bar.add_task(projection, total=max(head, 1))
                bar.update(tasks[projection], completed=position if position else head)

            try:
                applied = container.runner.rebuild(name, progress, from_snapshots=not replay_all)
            except KeyError as error:
                errors.print(f"[red]{error.args[0]}[/]")
                raise typer.Exit(code=1) from None
            for task in tasks.values():
                bar.update(task, completed=max(head, 1))
        console.print(f"rebuilt from {head} event(s) ({applied} applications)")
    finally:
        container.close()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Run the Alembic migrations of every hosted forum's read-model tables."""
    for container in open_forums(Settings(), Role.COMMAND, migrate=True):
        container.close()
        console.print(f"{container.settings.forum}: read-model schema is at the newest revision")


@app.command()
def verify() -> None:
    """Walk the event log and check every event's hash chain; report the first break."""
    from adapters.event_chain import verify as walk

    container = bootstrap(migrate=False)
    try:
        recorder = container.app.recorder

        def notifications() -> Iterator[Any]:
            position = 0
            while batch := recorder.select_notifications(position, 1000, inclusive_of_start=False):
                yield from batch
                position = batch[-1].id

        broken = next(walk(notifications()), None)
        if broken is not None:
            errors.print(
                f"the chain breaks at {broken}", markup=False, highlight=False, soft_wrap=True
            )
            raise typer.Exit(code=1)
        head = container.app.head_position()
        console.print(f"verified the event log up to position {head}: every hash holds")
    finally:
        container.close()


def run() -> None:
    """The ``followup`` command, with a clear line instead of a traceback when the database's
    schema is not the one this version knows."""
    try:
        app(prog_name="followup")
    except SchemaMismatchError as error:
        errors.print(str(error), style="red", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
