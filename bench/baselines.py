"""Bare FastAPI endpoints doing the least the same job needs, on the same database: raw SQL,
no domain, no events, no templates. Every figure of followup is divided by one of these."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, event, text

from adapters.event_store import is_postgres

OPEN = ("not_started", "in_progress", "due_soon", "overdue")
BASELINE_TABLE = "bench_baseline_progress"


def create_baseline_table(engine: Engine) -> None:
    key = "BIGSERIAL PRIMARY KEY" if engine.dialect.name == "postgresql" else "INTEGER PRIMARY KEY"
    with engine.begin() as connection:
        connection.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {BASELINE_TABLE} (id {key}, outcome TEXT NOT NULL, "
                "summary TEXT NOT NULL, percent INTEGER, created DATE NOT NULL)"
            )
        )


def events_query(url: str) -> str:
    """One outcome's stored events, in the event store's own table."""
    if is_postgres(url):
        return (
            "SELECT originator_version, topic, state FROM followup_events "
            "WHERE originator_id = CAST(:id AS uuid) ORDER BY originator_version"
        )
    return (
        "SELECT originator_version, topic, state FROM stored_events "
        "WHERE originator_id = :id ORDER BY originator_version"
    )


def as_durable_as_the_event_store(engine: Engine) -> Engine:
    """The engine a bare write commits on: on SQLite, as durable as followup's event store,
    which eventsourcing leaves at WAL with ``synchronous=FULL`` (the WAL is synced at every
    commit), so a 201 on either side means the row survives a power cut. The read models'
    engine, which the read baselines use, syncs less (``NORMAL``): they can be rebuilt.
    PostgreSQL commits durably on both sides by default."""
    if engine.dialect.name != "sqlite":
        return engine
    durable = create_engine(engine.url)

    @event.listens_for(durable, "connect")
    def _full_sync(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return durable


def create_baseline_app(engine: Engine, url: str) -> FastAPI:
    """The bare endpoints the benchmarks compare followup with."""
    create_baseline_table(engine)
    app = FastAPI()
    history = text(events_query(url))
    writer = as_durable_as_the_event_store(engine)

    @app.post("/progress/{outcome}", status_code=201)
    def progress(outcome: str, body: dict[str, Any]) -> dict[str, Any]:
        with writer.begin() as connection:
            connection.execute(
                text(
                    f"INSERT INTO {BASELINE_TABLE} (outcome, summary, percent, created) "
                    "VALUES (:o, :s, :p, :c)"
                ),
                {
                    "o": outcome,
                    "s": body["summary"],
                    "p": body.get("percent_complete"),
                    "c": date.today(),
                },
            )
        return {"ok": True}

    @app.get("/dashboard")
    def dashboard() -> dict[str, Any]:
        with engine.connect() as connection:
            by_status = connection.execute(
                text("SELECT status, count(*) FROM outcomes GROUP BY status")
            ).all()
            by_state = connection.execute(
                text("SELECT state, count(*) FROM outcome_responsibilities GROUP BY state")
            ).all()
            by_group = connection.execute(
                text("SELECT working_group_id, count(*) FROM outcomes GROUP BY working_group_id")
            ).all()
        return {
            "status": dict(map(tuple, by_status)),
            "state": dict(map(tuple, by_state)),
            "group": {str(k): v for k, v in by_group},
        }

    @app.get("/outcomes")
    def outcome_list(state: str, status: str) -> dict[str, Any]:
        where = (
            "FROM outcomes o JOIN outcome_responsibilities r ON r.outcome_id = o.id "
            "WHERE r.state = :state AND o.status = :status"
        )
        params = {"state": state, "status": status}
        with engine.connect() as connection:
            total = connection.execute(text(f"SELECT count(*) {where}"), params).scalar()
            rows = connection.execute(
                text(
                    f"SELECT o.code, o.title, o.status, o.due_on {where} ORDER BY o.due_on, "
                    "o.code LIMIT 25"
                ),
                params,
            ).all()
        return {
            "total": total,
            "items": [
                {"code": r.code, "title": r.title, "status": r.status, "due_on": str(r.due_on)}
                for r in rows
            ],
        }

    @app.get("/outcomes/{code}")
    def outcome_page(code: str) -> dict[str, Any]:
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT * FROM outcomes WHERE code = :code"), {"code": code}
            ).one()
            states = connection.execute(
                text("SELECT state, role FROM outcome_responsibilities WHERE outcome_id = :id"),
                {"id": row.id},
            ).all()
            events = connection.execute(history, {"id": row.id}).all()
        return {
            "code": row.code,
            "status": row.status,
            "states": [tuple(s) for s in states],
            "events": [
                {"version": e.originator_version, "topic": e.topic, "data": json.loads(e.state)}
                for e in events
            ],
        }

    return app
