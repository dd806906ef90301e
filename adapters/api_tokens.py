"""API tokens: stored hashed, never in events; revocation takes effect at once.

A token reads ``fu_<id>.<secret>``: the id finds the row, the secret is compared by its SHA-256
(the secret is 256 random bits, so a fast hash is the right tool; passwords are another matter).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import psycopg
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    String,
    Table,
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


#: the columns a token check reads, in order (``TokenStore._row``)
CHECKED = tuple(column.name for column in api_tokens.columns)
#: the check's query as each driver takes it (its placeholder: psycopg's, sqlite3's)
TOKEN_BY_ID = {
    placeholder: f"SELECT {', '.join(CHECKED)} FROM api_tokens WHERE id = {placeholder}"
    for placeholder in ("%s", "?")
}


class TokenRow(NamedTuple):
    """A token's stored row, as SQLAlchemy would have returned it."""

    id: str
    name: str
    role: str
    working_groups: list[str]
    secret_sha256: str
    created_at: datetime
    revoked_at: datetime | None


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
        dialect = engine.dialect
        self._on_postgres = dialect.name == "postgresql"
        self._query = TOKEN_BY_ID["%s" if self._on_postgres else "?"]
        #: what SQLAlchemy does to each column read (on SQLite: the JSON and the dates parsed)
        self._processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in api_tokens.columns
        ]

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

    def _row(self, token_id: str) -> TokenRow | None:
        """The token's row, asked of the driver itself on one of the pool's connections: every
        API request checks a token, and SQLAlchemy's execution of the query (its connection,
        the execution context, the result) was more than half of the check's CPU. Outside a
        transaction: on PostgreSQL one round trip instead of three (BEGIN, the query,
        ROLLBACK), the statement prepared once per connection; sqlite3 opens none for a
        SELECT. The pool still hands the connection out (pinging one that sat idle) and takes
        it back; one the server dropped is discarded with the rest of the pool, as SQLAlchemy
        does, and a failure is raised as SQLAlchemy raises it."""
        dialect = self.engine.dialect
        pooled = self.engine.raw_connection()
        try:
            driver = pooled.driver_connection
            raw = (
                _fetch_on_psycopg(driver, self._query, token_id)
                if self._on_postgres
                else _fetch_on_sqlite(driver, self._query, token_id)
            )
        except dialect.loaded_dbapi.Error as error:
            dropped = is_disconnect(dialect, error, pooled.dbapi_connection)
            if dropped:
                self.engine.pool._invalidate(pooled, error)  # as ``Connection`` does
            raise as_sqlalchemy_error(error, self._query, (token_id,), dialect, dropped) from error
        finally:
            pooled.close()
        if raw is None:
            return None
        pairs = zip(self._processors, raw, strict=True)
        return TokenRow._make(value if p is None else p(value) for p, value in pairs)

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


def _fetch_on_psycopg(driver: Any, query: str, token_id: str) -> tuple[Any, ...] | None:
    assert isinstance(driver, psycopg.Connection)
    driver.autocommit = True
    try:
        row: tuple[Any, ...] | None = driver.execute(query, (token_id,), prepare=True).fetchone()
        return row
    finally:
        if not driver.closed:
            driver.autocommit = False


def _fetch_on_sqlite(driver: Any, query: str, token_id: str) -> tuple[Any, ...] | None:
    assert isinstance(driver, sqlite3.Connection)
    cursor = driver.execute(query, (token_id,))
    try:
        row: tuple[Any, ...] | None = cursor.fetchone()
        return row
    finally:
        cursor.close()
