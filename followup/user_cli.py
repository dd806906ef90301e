"""``followup users create|list|disable``: accounts for the status pages."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from adapters.users import UserExistsError, UserStore
from followup.bootstrap import bootstrap

users_app = typer.Typer(help="Accounts for the status pages.", no_args_is_help=True)
console = Console(width=120)
errors = Console(stderr=True)
MINIMUM_PASSWORD = 12


class PageRole(StrEnum):
    SECRETARIAT = "secretariat"
    REVIEWER = "reviewer"


@users_app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="what they sign in with")],
    role: Annotated[PageRole, typer.Option(help="secretariat or reviewer")],
    name: Annotated[str, typer.Option(help="shown on pages and timelines")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Create an account (the password is asked for, or read from standard input)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MINIMUM_PASSWORD:
        errors.print(f"the password needs at least {MINIMUM_PASSWORD} characters")
        raise typer.Exit(code=2)
    container = bootstrap()
    try:
        UserStore(container.engine).create(
            username, name, str(role), password, container.clock.now()
        )
    except UserExistsError as error:
        errors.print(str(error))
        raise typer.Exit(code=1) from None
    finally:
        container.close()
    console.print(f"user {username} ({role}) created")


@users_app.command("list")
def list_users() -> None:
    """Every account and its role (never a password)."""
    container = bootstrap()
    try:
        table = Table("username", "name", "role", "disabled")
        for user in UserStore(container.engine).list():
            table.add_row(user.username, user.name, user.role, "yes" if user.disabled else "")
        console.print(table)
    finally:
        container.close()


@users_app.command("disable")
def disable(username: Annotated[str, typer.Argument()]) -> None:
    """Disable an account: its sessions end at their next request."""
    container = bootstrap()
    try:
        if not UserStore(container.engine).disable(username, container.clock.now()):
            errors.print(f"no enabled user {username!r}")
            raise typer.Exit(code=1)
    finally:
        container.close()
    console.print(f"user {username} disabled")
