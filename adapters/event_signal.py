"""A nudge from the process that appended events to the worker that projects them: PostgreSQL
``NOTIFY`` after each write, ``LISTEN`` in the worker, so a fleet's read models follow a write
within milliseconds instead of the next poll. Polling stays as the safety net: a lost nudge
only delays, never loses, since the worker always reads from its tracked position."""

from __future__ import annotations

import contextlib
import logging
import threading

import psycopg
from sqlalchemy import Engine, text

from adapters.duty_lock import lock_key
from adapters.event_store import is_postgres, persistence_env

log = logging.getLogger(__name__)


def channel(forum: str, schema: str | None) -> str:
    """A valid, bounded channel name per forum store."""
    return f"followup_events_{lock_key(forum, schema or 'public', 'events') & 0xFFFFFFFF:08x}"


def nudge(engine: Engine, forum: str, schema: str | None) -> None:
    """Tell listening workers that events were appended (PostgreSQL; nothing on SQLite)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        connection.execute(
            text("SELECT pg_notify(:channel, '')"), {"channel": channel(forum, schema)}
        )


class Listener:
    """Waits for a nudge or the timeout, whichever comes first; on SQLite, for the timeout."""

    def __init__(self, url: str, forum: str, schema: str | None, stop: threading.Event) -> None:
        self.url = url
        self.channel = channel(forum, schema)
        self.stop = stop
        self._connection: psycopg.Connection[tuple[object, ...]] | None = None
        self.postgres = is_postgres(url)

    def wait(self, timeout: float) -> None:
        if not self.postgres:
            self.stop.wait(timeout)
            return
        try:
            if self._connection is None or self._connection.closed:
                self._connect()
                return  # listening from now on: project once, so no nudge falls in between
            connection = self._connection
            for _ in connection.notifies(timeout=timeout, stop_after=1):
                pass
            for _ in connection.notifies(timeout=0.001):  # what else piled up: one round covers it
                pass
        except psycopg.Error:
            log.warning("lost the events channel; polling until it is back")
            self.close()
            self.stop.wait(timeout)

    def _connect(self) -> psycopg.Connection[tuple[object, ...]]:
        if self._connection is None or self._connection.closed:
            env = persistence_env(self.url)
            self._connection = psycopg.connect(
                host=env["POSTGRES_HOST"],
                port=int(env["POSTGRES_PORT"]),
                dbname=env["POSTGRES_DBNAME"],
                user=env["POSTGRES_USER"],
                password=env["POSTGRES_PASSWORD"] or None,
                autocommit=True,
                connect_timeout=5,
            )
            self._connection.execute(f'LISTEN "{self.channel}"')
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(psycopg.Error):
                self._connection.close()
        self._connection = None
