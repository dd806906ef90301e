"""Who runs a duty (a forum's projections) when several workers could: a PostgreSQL session
advisory lock, held on a connection of its own for as long as the holder lives. When the holder
dies its connection closes, PostgreSQL frees the lock, and the next worker to try takes over.
On SQLite one process runs everything, so the lock is always held."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from typing import Protocol

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from adapters.event_store import is_postgres, sqlalchemy_url

log = logging.getLogger(__name__)

#: Server-side keepalives on the lock's session: a holder whose machine vanishes without
#: closing its socket is noticed in about 5 + 2 * 3 seconds and its lock freed.
KEEPALIVES = "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3"


class DutyLock(Protocol):
    def hold(self) -> bool:
        """Whether this process holds the duty now (taking it if it is free)."""

    def release(self) -> None:
        """Give the duty up (at shutdown) so another takes over at once."""


class AlwaysHeld:
    """SQLite: one process, nobody to share with."""

    def hold(self) -> bool:
        return True

    def release(self) -> None:
        return None


def lock_key(*parts: str) -> int:
    """A stable signed 64-bit key for ``pg_try_advisory_lock`` from readable parts."""
    digest = hashlib.blake2b(":".join(("followup", *parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class AdvisoryLock:
    """A session-level ``pg_try_advisory_lock`` on a dedicated connection."""

    def __init__(self, url: str, *parts: str) -> None:
        self.key = lock_key(*parts)
        self.name = ":".join(parts)
        self._engine: Engine = create_engine(
            sqlalchemy_url(url),
            pool_size=1,
            max_overflow=0,
            connect_args={
                "options": KEEPALIVES,
                "keepalives": 1,
                "keepalives_idle": 5,
                "keepalives_interval": 2,
                "keepalives_count": 3,
                "connect_timeout": 5,
            },
        )
        self._connection: Connection | None = None

    def hold(self) -> bool:
        try:
            if self._connection is not None:
                self._connection.execute(text("SELECT 1"))  # still ours while the session lives
                return True
            connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            ).scalar_one()
        except DBAPIError:
            self._drop()
            return False
        if not taken:
            connection.close()
            return False
        log.info("took the duty %s", self.name)
        self._connection = connection
        return True

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(DBAPIError):  # a dead session took the lock with it
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            self._drop(lost=False)
        self._engine.dispose()

    def _drop(self, lost: bool = True) -> None:
        if self._connection is not None:
            if lost:
                log.warning("lost the duty %s", self.name)
            with contextlib.suppress(DBAPIError):
                self._connection.invalidate()
                self._connection.close()
        self._connection = None


def duty_lock(url: str, forum: str, schema: str | None, duty: str) -> DutyLock:
    """The lock of one forum's duty on ``url``; always held on SQLite."""
    if not is_postgres(url):
        return AlwaysHeld()
    return AdvisoryLock(url, forum, schema or "public", duty)
