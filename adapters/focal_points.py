"""The focal-point registry: personal data (names, addresses) kept out of events, erasable."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, DateTime, Engine, String, Table, delete, insert, select

from adapters.read_models.metadata import metadata

focal_points = Table(
    "focal_points",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("forum", String(64), nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("language", String(8), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class FocalPoint:
    id: str
    state: str
    name: str
    email: str
    language: str


def _point(row: object) -> FocalPoint:
    return FocalPoint(row.id, row.state, row.name, row.email, row.language)  # type: ignore[attr-defined]


class FocalPointStore:
    def __init__(self, engine: Engine, forum: str) -> None:
        self.engine = engine
        self.forum = forum

    def add(self, state: str, name: str, email: str, language: str, now: datetime) -> FocalPoint:
        point = FocalPoint(uuid.uuid4().hex, state, name, email, language)
        with self.engine.begin() as connection:
            connection.execute(
                insert(focal_points).values(forum=self.forum, created_at=now, **vars(point))
            )
        return point

    def list(self, states: list[str] | None = None) -> list[FocalPoint]:
        query = select(focal_points).where(focal_points.c.forum == self.forum)
        if states is not None:
            query = query.where(focal_points.c.state.in_(states))
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(focal_points.c.state, focal_points.c.name))
            return [_point(row) for row in rows]

    def erase(self, point_id: str) -> bool:
        """Forget a focal point entirely (the ledger keeps only its opaque id)."""
        with self.engine.begin() as connection:
            removed = connection.execute(
                delete(focal_points).where(
                    focal_points.c.id == point_id, focal_points.c.forum == self.forum
                )
            ).rowcount
        return bool(removed)
