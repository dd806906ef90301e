"""Event store set-up: eventsourcing's own SQLite or PostgreSQL recorders, chosen by one URL."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from eventsourcing.persistence import Transcoding
from eventsourcing.sqlite import SQLiteDatastore


class DateAsISO(Transcoding):
    """Stores ``datetime.date`` (every event's ``occurred_on``) as an ISO string."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class UnsupportedDatabaseError(ValueError):
    """The URL names a database followup does not run on."""


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme.split("+")[0] in {"postgresql", "postgres"}


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///relative`` or ``sqlite:////absolute`` URL."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        raise UnsupportedDatabaseError(f"not a SQLite URL: {url!r}")
    return Path(url[len(prefix) :])


def persistence_env(url: str, schema: str | None = None) -> dict[str, str]:
    """The eventsourcing environment for ``url`` (creating the SQLite file's folder); on
    PostgreSQL, ``schema`` keeps one forum's tables apart from another's in one database."""
    if url.startswith("sqlite:///"):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(path),
            "SQLITE_LOCK_TIMEOUT": "30",
            "PROCESS_RECORDER_TOPIC": "adapters.sqlite_recorder:UUIDReusingSQLiteProcessRecorder",
        }
    if is_postgres(url):
        parts = urlsplit(url)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_SCHEMA": schema or "",
            "PROCESS_RECORDER_TOPIC": "adapters.postgres_recorder:ChunkedPostgresProcessRecorder",
        }
    raise UnsupportedDatabaseError(
        f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://USER@HOST/DB"
    )


def sqlalchemy_url(url: str) -> str:
    """The same database, spelled for SQLAlchemy (psycopg 3 driver on PostgreSQL)."""
    if is_postgres(url):
        parts = urlsplit(url)
        return parts._replace(scheme="postgresql+psycopg").geturl()
    sqlite_path(url)
    return url


def writer_lock(app: Any) -> AbstractContextManager[Any] | None:
    """The lock an SQLite event store holds while it writes (None elsewhere): read-model
    writers in the same process take it too, so they queue instead of meeting in SQLite's
    busy handler. PostgreSQL writers need no such thing."""
    datastore = getattr(app.recorder, "datastore", None)
    if not isinstance(datastore, SQLiteDatastore):
        return None
    lock: AbstractContextManager[Any] = datastore.pool._writer_lock  # pinned eventsourcing
    return lock
