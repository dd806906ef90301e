"""Moving a forum's whole event log between stores (SQLite and PostgreSQL, both ways).

The file is JSON Lines: a header, then one line per stored event in log order, each with its log
position, stream, version, topic, stored state (the JSON the mapper wrote, or base64 when the
bytes do not round-trip as JSON) and the hash that chains it to its stream's previous event.

An import is validated whole (``event_file_check``) before anything is written
(``event_log_restore``), goes into an empty store only, keeps the log positions (read models
and receipts name them; PostgreSQL's sequence may leave gaps that a renumbering would close)
and carries the workflow policy's tracked position, so the policy does not answer the moved
facts a second time.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from eventsourcing.persistence import Notification

from adapters.event_chain import FIELD as CHAIN_FIELD

FORMAT = "followup-events"
FORMAT_VERSION = 1
BATCH = 1000
STDIO = "-"


class TransferError(Exception):
    """The store cannot take this import (it says why); nothing was written."""


@dataclass(frozen=True)
class Header:
    """The first line of an export: what it holds and where it came from."""

    forum: str
    events: int
    head_position: int
    workflow_position: int
    exported_at: str
    application: str

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "format_version": FORMAT_VERSION, **self.__dict__}


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class ExportFile:
    """A validated export: its header and its events in log order."""

    header: Header
    events: list[Notification]


def notifications(recorder: Any, stop: int | None = None, after: int = 0) -> Iterator[Notification]:
    """Every stored event in log order (up to ``stop``), read in batches."""
    while batch := recorder.select_notifications(after, BATCH, stop=stop, inclusive_of_start=False):
        yield from batch
        after = batch[-1].id


# -- export -------------------------------------------------------------------------------------


def event_line(notification: Notification) -> dict[str, Any]:
    line: dict[str, Any] = {
        "position": notification.id,
        "originator_id": str(notification.originator_id),
        "version": notification.originator_version,
        "topic": notification.topic,
    }
    state = _as_json(notification.state)
    if state is None:
        line["state_b64"] = base64.b64encode(notification.state).decode("ascii")
    else:
        line["state"] = state
        line[CHAIN_FIELD] = state.get(CHAIN_FIELD)
    return line


def encode_state(state: dict[str, Any]) -> bytes:
    """As eventsourcing's JSON transcoder writes it (compact, not ASCII-escaped)."""
    return json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _as_json(data: bytes) -> dict[str, Any] | None:
    """The state as JSON, only when re-encoding gives back exactly the stored bytes."""
    try:
        state = json.loads(data)
    except ValueError:
        return None
    if not isinstance(state, dict) or encode_state(state) != data:
        return None
    return state


def export_lines(app: Any, forum: str, now: datetime) -> tuple[Header, Iterator[str]]:
    """The header, and the file's lines: the header, then every event up to the head read when
    the export began (later writes are left for the next export)."""
    recorder = app.recorder
    head = recorder.max_notification_id() or 0
    events = list(notifications(recorder, stop=head)) if head else []
    workflow = min(recorder.max_tracking_id(app.name) or 0, head)
    header = Header(forum, len(events), head, workflow, now.isoformat(), app.name)

    def lines() -> Iterator[str]:
        yield json.dumps(header.to_json(), ensure_ascii=False)
        for notification in events:
            yield json.dumps(event_line(notification), ensure_ascii=False, separators=(",", ":"))

    return header, lines()


def write_export(lines: Iterable[str], target: str) -> int:
    """Write ``lines`` to ``target`` (``-`` is stdout; ``.gz`` compresses) atomically: the file
    appears complete under its name or not at all. Returns the number of lines."""
    if target == STDIO:
        count = 0
        for line in lines:
            sys.stdout.write(line + "\n")
            count += 1
        sys.stdout.flush()
        return count
    path = Path(target)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(handle, "wb") as raw:
            count = _write(raw, lines, path.name.endswith(".gz"))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return count


def _write(raw: IO[bytes], lines: Iterable[str], compress: bool) -> int:
    if compress:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
            return _copy(packed, lines)
    return _copy(raw, lines)


def _copy(stream: IO[bytes] | gzip.GzipFile, lines: Iterable[str]) -> int:
    count = 0
    for line in lines:
        stream.write(line.encode("utf-8") + b"\n")
        count += 1
    return count
