"""``followup export-events`` / ``followup import-events``: a forum's whole event log, moved
between stores (SQLite and PostgreSQL, both ways) or kept as a backup.

Exit codes of ``import-events``: 1 when the file is bad, 2 when the store refuses it (another
forum's log, or a store that already holds other events); nothing is written in either case.
"""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from adapters.event_file_check import read_lines, validate
from adapters.event_log_restore import already_holds, write_events
from adapters.event_transfer import STDIO, ExportFile, TransferError, export_lines, write_export
from followup.bootstrap import Container, bootstrap

console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)
NOT_MOVED = (
    "users, API tokens, idempotency keys and focal points are not events and were not moved: "
    "carry them with a database backup (see the README, Backups and moves)"
)


def export_events(
    file: Annotated[str, typer.Argument(help="where to write (.gz compresses; - is stdout)")],
) -> None:
    """Write the forum's whole event log to FILE (JSON Lines), atomically."""
    container = bootstrap(migrate=False)
    try:
        header, lines = export_lines(container.app, container.settings.forum, container.clock.now())
        try:
            write_export(lines, file)
        except OSError as error:
            errors.print(f"cannot write {file}: {error}", markup=False, highlight=False)
            raise typer.Exit(code=1) from None
    finally:
        container.close()
    report = errors if file == STDIO else console
    report.print(
        f"exported {header.events} event(s) of forum {header.forum} "
        f"(log positions up to {header.head_position}) to {file}",
        markup=False,
        highlight=False,
    )


def import_events(
    file: Annotated[str, typer.Argument(help="an export-events file (.gz; - is stdin)")],
    dry_run: Annotated[bool, typer.Option(help="validate and report, write nothing")] = False,
) -> None:
    """Validate FILE whole, then write its events into this empty store and rebuild the read
    models (all or nothing; importing the same file again appends nothing)."""
    lines, problems = read_lines(file)
    parsed: ExportFile | None = None
    container = bootstrap()
    try:
        if not problems:
            parsed, problems = validate(lines, container.app.mapper.to_domain_event)
        if problems or parsed is None:
            for problem in problems:
                errors.print(f"{file}:{problem}", markup=False, highlight=False, soft_wrap=True)
            errors.print(f"{len(problems)} problem(s): nothing was imported", markup=False)
            raise typer.Exit(code=1)
        _import(container, file, parsed, dry_run)
    finally:
        container.close()


def _import(container: Container, file: str, parsed: ExportFile, dry_run: bool) -> None:
    header = parsed.header
    forum = container.settings.forum
    if header.forum != forum:
        errors.print(
            f"{file} holds the log of forum {header.forum!r}, this instance serves {forum!r} "
            "(FOLLOWUP_FORUM): nothing was imported",
            markup=False,
        )
        raise typer.Exit(code=2)
    held = container.app.head_position()
    if held:
        if already_holds(container.app.recorder, parsed):
            console.print(
                f"{file}: the store already holds these {header.events} event(s): "
                "appended 0 event(s)",
                markup=False,
            )
            return
        _refuse(f"the event store is not empty (log positions up to {held})")
    if dry_run:
        console.print(f"{file}: would append {header.events} event(s)", markup=False)
        return
    try:
        appended = write_events(container.app.recorder, container.app.name, parsed)
    except TransferError as error:
        _refuse(str(error))
    container.runner.rebuild(from_snapshots=False)  # every event is new here: replay them all
    container.settle()
    console.print(
        f"{file}: appended {appended} event(s) of forum {forum} "
        f"(log positions up to {header.head_position}); read models rebuilt",
        markup=False,
    )
    table = Table("read model", "position")
    for name, position in container.runner.positions().items():
        table.add_row(name, str(position))
    console.print(table)
    errors.print(NOT_MOVED, markup=False)


def _refuse(reason: str) -> NoReturn:
    errors.print(
        f"{reason}: import-events only fills an empty store; nothing was written", markup=False
    )
    raise typer.Exit(code=2)
