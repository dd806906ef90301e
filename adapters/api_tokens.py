"""API tokens: stored hashed, never in events; revocation takes effect at once.

A token reads ``fu_<id>.<secret>``: the id finds the row, the secret is compared by its SHA-256
(the secret is 256 random bits, so a fast hash is the right tool; passwords are another matter).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    String,
    Table,
    bindparam,
    insert,
    select,
    update,
)

from adapters.driver_errors import as_sqlalchemy_error, is_disconnect
from adapters.read_models.metadata import metadata

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("working_groups", JSON, nullable=False),
    Column("secret_sha256", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)


# built once: building a statement costs more than running it (SQLAlchemy's cache key)
TOKEN_BY_ID = select(api_tokens).where(api_tokens.c.id == bindparam("token_id"))
#: the same query as psycopg takes it (``TokenStore._row_on_postgres``)
TOKEN_BY_ID_ON_POSTGRES = (
    "SELECT id, name, role, working_groups, secret_sha256, created_at, revoked_at "
    "FROM api_tokens WHERE id = %s"
)


@dataclass(frozen=True)
class TokenInfo:
    """Who a token speaks for: never the secret."""

    id: str
    name: str
    role: str
    working_groups: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None

    @property
    def actor(self) -> str:
        """What events record as the actor."""
        return f"token:{self.id}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _info(row: object) -> TokenInfo:
    return TokenInfo(
        id=row.id,  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        role=row.role,  # type: ignore[attr-defined]
        working_groups=tuple(row.working_groups),  # type: ignore[attr-defined]
        created_at=row.created_at,  # type: ignore[attr-defined]
        revoked_at=row.revoked_at,  # type: ignore[attr-defined]
    )


class TokenStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        #: a token check is one SELECT: without a transaction around it, on PostgreSQL it takes
        #: one round trip instead of three (BEGIN, the query, ROLLBACK), on every API request.
        #: SQLite's driver opens no transaction for a SELECT, and switching a connection to
        #: autocommit and back cost more than the query (57 against 30 us)
        self._checker = (
            engine
            if engine.dialect.name == "sqlite"
            else engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self._on_postgres = engine.dialect.name == "postgresql"

    def create(
        self, name: str, role: str, working_groups: list[str], now: datetime
    ) -> tuple[TokenInfo, str]:
        """A new token; the returned bearer string is shown once and never stored."""
        token_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            connection.execute(
                insert(api_tokens).values(
                    id=token_id,
                    name=name,
                    role=role,
                    working_groups=list(working_groups),
                    secret_sha256=_digest(secret),
                    created_at=now,
                )
            )
        info = TokenInfo(token_id, name, role, tuple(working_groups), now, None)
        return info, f"fu_{token_id}.{secret}"

    def authenticate(self, bearer: str) -> TokenInfo | None:
        """The live token this bearer string proves, or None."""
        if not bearer.startswith("fu_") or "." not in bearer:
            return None
        token_id, secret = bearer[3:].split(".", 1)
        row = self._row(token_id)
        if row is None or row.revoked_at is not None:
            return None
        if not hmac.compare_digest(row.secret_sha256, _digest(secret)):
            return None
        return _info(row)

    def _row(self, token_id: str) -> Any:
        if self._on_postgres:
            return self._row_on_postgres(token_id)
        with self._checker.connect() as connection:
            return connection.execute(TOKEN_BY_ID, {"token_id": token_id}).first()

    def _row_on_postgres(self, token_id: str) -> Any:
        """The token's row, asked of psycopg itself on one of the pool's connections: every API
        request checks a token, and SQLAlchemy's execution of the query (its connection, the
        execution context, the result) was more than half of the check's CPU; psycopg
        prepares the statement once per connection. Outside a transaction, as ``_checker``'s
        check was. The pool still hands the connection out (pinging one that sat idle) and
        takes it back; one the server dropped is discarded with the rest of the pool, as
        SQLAlchemy does, and the failure is raised as SQLAlchemy raises it."""
        pooled = self.engine.raw_connection()
        try:
            driver = pooled.driver_connection
            assert isinstance(driver, psycopg.Connection)
            driver.autocommit = True
            try:
                with driver.cursor(row_factory=namedtuple_row) as cursor:
                    cursor.execute(TOKEN_BY_ID_ON_POSTGRES, (token_id,), prepare=True)
                    return cursor.fetchone()
            finally:
                if not driver.closed:
                    driver.autocommit = False
        except psycopg.Error as error:
            dropped = is_disconnect(self.engine.dialect, error, pooled.dbapi_connection)
            if dropped:
                self.engine.pool._invalidate(pooled, error)  # as ``Connection`` does
            raise as_sqlalchemy_error(
                error, TOKEN_BY_ID_ON_POSTGRES, (token_id,), self.engine.dialect, dropped
            ) from error
        finally:
            pooled.close()

    def list(self) -> list[TokenInfo]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(api_tokens).order_by(api_tokens.c.created_at))
            return [_info(row) for row in rows]

    def revoke(self, token_id: str, now: datetime) -> bool:
        """Revoke at once; False when no live token has that id."""
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(api_tokens)
                .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
            ).rowcount
        return bool(changed)
