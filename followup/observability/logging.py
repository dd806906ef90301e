"""Log set-up for ``serve`` and ``worker``: one handler on the root logger, JSON (one object a
line, for log shippers) or text (for a terminal), each record stamped with its request id."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

from followup.observability.request_id import ContextFilter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(forum)s %(request_id)s] %(message)s"
JSON_FIELDS = ["levelname", "name", "message", "request_id", "forum"]
RENAMED = {"levelname": "level", "name": "logger"}
# uvicorn's own access log would repeat ours without the request id
UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access")


def make_handler(stream: TextIO, json: bool = True) -> logging.Handler:
    """A handler writing to ``stream``, in JSON or text, adding the request context."""
    handler = logging.StreamHandler(stream)
    if json:
        handler.setFormatter(
            JsonFormatter(
                JSON_FIELDS, rename_fields=RENAMED, timestamp="time", json_ensure_ascii=False
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.addFilter(ContextFilter())
    return handler


def configure_logging(level: str = "INFO", json: bool = True, stream: TextIO | None = None) -> None:
    """Replace the root logger's handlers with ours; uvicorn's loggers go through it too and its
    access log is silenced (``followup.access`` writes one line per request instead)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(make_handler(stream or sys.stderr, json))
    root.setLevel(level.upper())
    for name in UVICORN:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
