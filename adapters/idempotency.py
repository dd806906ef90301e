"""Idempotency keys: the first response to a keyed write is kept and replayed, never re-run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Engine, Integer, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from adapters.read_models.metadata import metadata

idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("actor", String(64), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: str
    status: int
    body: Any
    headers: dict[str, str]


class IdempotencyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def find(self, actor: str, key: str) -> StoredResponse | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(idempotency_records).where(
                    idempotency_records.c.actor == actor, idempotency_records.c.key == key
                )
            ).first()
        if row is None:
            return None
        return StoredResponse(row.fingerprint, row.status, row.body, dict(row.headers))

    def keep(self, actor: str, key: str, response: StoredResponse, now: datetime) -> bool:
        """Store the first response; False when another request with the key won the race."""
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(idempotency_records).values(
                        actor=actor,
                        key=key,
                        fingerprint=response.fingerprint,
                        status=response.status,
                        body=response.body,
                        headers=response.headers,
                        created_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True
