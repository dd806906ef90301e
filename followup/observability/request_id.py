"""The request being handled, as every log record emitted while handling it can name it.

A contextvar, not a thread-local: FastAPI runs sync routes in worker threads with a copy of the
request's context, so a record logged from a route carries the same id as the access log line.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
FORUM: ContextVar[str | None] = ContextVar("forum", default=None)
HEADER = "X-Request-ID"
# a proxy's id is kept when it is plainly an id: bounded, no spaces, nothing to inject in a log
WELL_FORMED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


def request_id_from(header: str | None) -> str:
    """The caller's id when well formed (so one id follows a request across services),
    otherwise a new one."""
    if header is not None and WELL_FORMED.fullmatch(header):
        return header
    return uuid.uuid4().hex


class ContextFilter(logging.Filter):
    """Stamps each record with the request id and forum of the request being handled (None
    outside requests); records that already carry them keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        if getattr(record, "forum", None) is None:
            record.forum = FORUM.get()
        return True
