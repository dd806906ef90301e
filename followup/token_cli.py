"""``followup tokens create|list|revoke``: bearer tokens for the write API."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from adapters.api_tokens import TokenStore
from adapters.read_models.working_groups import working_groups
from domain.identity import record_id
from followup.authorization import Role
from followup.bootstrap import bootstrap

tokens_app = typer.Typer(
    help="API tokens: create (printed once), list, revoke.", no_args_is_help=True
)
console = Console(width=160)
errors = Console(stderr=True)


@tokens_app.command("create")
def create(
    role: Annotated[Role, typer.Option(help="secretariat, reviewer or wg_lead")],
    name: Annotated[str, typer.Option(help="who holds it, e.g. 'PCDR co-chair (Morocco)'")],
    working_group: Annotated[
        list[str] | None,
        typer.Option(help="code of a working group a wg_lead token may write to (repeatable)"),
    ] = None,
) -> None:
    """Create a token and print it once: it is stored hashed and cannot be shown again."""
    groups = working_group or []
    if role == Role.WG_LEAD and not groups:
        errors.print("a wg_lead token needs at least one --working-group")
        raise typer.Exit(code=2)
    if role != Role.WG_LEAD and groups:
        errors.print("only a wg_lead token is scoped to working groups")
        raise typer.Exit(code=2)
    container = bootstrap()
    try:
        group_ids = []
        for code in groups:
            group_id = record_id(container.settings.forum, "working_group", code)
            if not container.app.exists(group_id):
                errors.print(f"unknown working group {code!r}")
                raise typer.Exit(code=2)
            group_ids.append(str(group_id))
        info, bearer = TokenStore(container.engine).create(
            name, str(role), group_ids, container.clock.now()
        )
    finally:
        container.close()
    errors.print(f"token {info.id} ({info.role}) for {info.name}; store it now, it is shown once:")
    print(bearer)


@tokens_app.command("list")
def list_tokens() -> None:
    """Every token: id, role, scope, when created and revoked (never the secret)."""
    container = bootstrap()
    try:
        with container.engine.connect() as connection:
            rows = connection.execute(select(working_groups.c.id, working_groups.c.code))
            codes: dict[str, str] = {row.id: row.code for row in rows}
        table = Table("id", "name", "role", "working groups", "created", "revoked")
        for token in TokenStore(container.engine).list():
            table.add_row(
                token.id,
                token.name,
                token.role,
                ", ".join(codes.get(g, g) for g in token.working_groups),
                token.created_at.strftime("%Y-%m-%d %H:%M"),
                token.revoked_at.strftime("%Y-%m-%d %H:%M") if token.revoked_at else "",
            )
        console.print(table)
    finally:
        container.close()


@tokens_app.command("revoke")
def revoke(token_id: Annotated[str, typer.Argument(help="the token's id (see list)")]) -> None:
    """Revoke a token; it is refused from the next request on."""
    container = bootstrap()
    try:
        if not TokenStore(container.engine).revoke(token_id, container.clock.now()):
            errors.print(f"no live token {token_id!r}")
            raise typer.Exit(code=1)
    finally:
        container.close()
    console.print(f"token {token_id} revoked")
