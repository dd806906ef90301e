"""Pessimistic disconnect handling for PostgreSQL engines, without a round trip per checkout.

``pool_pre_ping`` pings every connection as it leaves the pool: three round trips of a
progress report's fourteen went to it. A connection handed back less than a second ago was
working then, so only one that sat idle longer is pinged; a dead one is replaced before anyone
uses it (SQLAlchemy's "disconnect handling, pessimistic" recipe: a ``DisconnectionError`` raised
on checkout makes the pool discard the connection and check out another). A server restart
inside that second still fails the statement that meets it, as it would under
``pool_pre_ping`` had the server gone down just after the ping; the pool then drops its other
connections too (``is_disconnect``), so the next request connects afresh.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

#: a connection idle for longer than this is pinged before it is handed out
PING_AFTER_IDLE_SECONDS = 1.0
RETURNED_AT = "followup_returned_at"


def ping_when_idle(engine: Engine, after: float = PING_AFTER_IDLE_SECONDS) -> Engine:
    """Make ``engine``'s pool ping a connection it hands out only after ``after`` idle seconds."""
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info[RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(RETURNED_AT)
        if returned is None or time.monotonic() - returned < after:
            return  # new, or in use a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError() from error
            raise

    return engine
