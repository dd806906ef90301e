"""Moving a forum's whole event log between stores (SQLite and PostgreSQL, both ways).

The file is JSON Lines: a header, then one line per stored event in log order, each with its log
position, stream, version, topic, stored state (the JSON the mapper wrote, or base64 when the
bytes do not round-trip as JSON) and the hash that chains it to its stream's previous event.

An import is validated whole (here) before anything is written (``event_log_restore``), goes
into an empty store only, keeps the log positions (read models and receipts name them;
PostgreSQL's sequence may leave gaps that a renumbering would close) and carries the workflow
policy's tracked position, so the policy does not answer the moved facts a second time.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import gzip
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent

from adapters.event_chain import FIELD as CHAIN_FIELD
from adapters.event_chain import verify

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


def _encode_state(state: dict[str, Any]) -> bytes:
    """As eventsourcing's JSON transcoder writes it (compact, not ASCII-escaped)."""
    return json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _as_json(data: bytes) -> dict[str, Any] | None:
    """The state as JSON, only when re-encoding gives back exactly the stored bytes."""
    try:
        state = json.loads(data)
    except ValueError:
        return None
    if not isinstance(state, dict) or _encode_state(state) != data:
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


# -- reading and validating ---------------------------------------------------------------------


def read_lines(source: str) -> tuple[list[str], list[Problem]]:
    """The file's lines (``-`` is stdin; ``.gz`` is decompressed) and any problem reading it."""
    lines: list[str] = []
    try:
        if source == STDIO:
            lines = sys.stdin.read().splitlines()
        else:
            opener: Callable[..., IO[str]] = gzip.open if source.endswith(".gz") else open
            with opener(source, "rt", encoding="utf-8", newline="") as handle:
                for line in handle:
                    lines.append(line.rstrip("\r\n"))
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as error:
        where = len(lines) + 1
        return lines, [Problem(where, f"cannot read the file past here: {error}")]
    return lines, []


def validate(
    lines: Sequence[str], decode: Callable[[StoredEvent], object]
) -> tuple[ExportFile | None, list[Problem]]:
    """Check the header, every line and the hash chain; report every problem with its line."""
    if not lines:
        return None, [Problem(1, "the file is empty: expected a followup-events header")]
    header, problems = _header(lines[0])
    events: list[Notification] = []
    line_of: dict[int, int] = {}
    last_position = 0
    for number, text in enumerate(lines[1:], start=2):
        if not text.strip():
            problems.append(Problem(number, "empty line"))
            continue
        event, problem = _event(text, decode)
        if problem is not None:
            problems.append(Problem(number, problem))
            continue
        assert event is not None
        if event.id <= last_position:
            problems.append(Problem(number, f"position {event.id} does not follow {last_position}"))
            continue
        last_position = event.id
        line_of[event.id] = number
        events.append(event)
    if header is not None and not problems:
        problems += _totals(header, events, len(lines))
    if not problems:
        for broken in verify(events):
            problems.append(Problem(line_of[broken.position], f"hash chain: {broken}"))
    if header is None or problems:
        return None, problems
    return ExportFile(header, events), []


def _header(text: str) -> tuple[Header | None, list[Problem]]:
    try:
        data = json.loads(text)
    except ValueError:
        return None, [Problem(1, "the header is not JSON")]
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None, [Problem(1, f"not a {FORMAT} file (no header naming that format)")]
    if data.get("format_version") != FORMAT_VERSION:
        found = data.get("format_version")
        message = f"format version {found!r}: this followup reads version {FORMAT_VERSION}"
        return None, [Problem(1, message)]
    try:
        header = Header(
            forum=_typed(data, "forum", str),
            events=_typed(data, "events", int),
            head_position=_typed(data, "head_position", int),
            workflow_position=_typed(data, "workflow_position", int),
            exported_at=_typed(data, "exported_at", str),
            application=_typed(data, "application", str),
        )
    except ValueError as error:
        return None, [Problem(1, f"header: {error}")]
    return header, []


def _typed(data: dict[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{key!r} must be a {kind.__name__}, found {value!r}")
    if isinstance(value, int) and value < 0:
        raise ValueError(f"{key!r} must not be negative, found {value!r}")
    if kind is str and not value:
        raise ValueError(f"{key!r} must not be empty")
    return value


def _event(
    text: str, decode: Callable[[StoredEvent], object]
) -> tuple[Notification | None, str | None]:
    try:
        data = json.loads(text)
    except ValueError as error:
        return None, f"not a complete JSON line (truncated?): {error}"
    if not isinstance(data, dict):
        return None, "not a JSON object"
    try:
        position = _typed(data, "position", int)
        version = _typed(data, "version", int)
        topic = _typed(data, "topic", str)
        originator_id = UUID(_typed(data, "originator_id", str))
        state = _state(data)
    except ValueError as error:
        return None, str(error)
    if position < 1 or version < 1:
        return None, "position and version start at 1"
    event = Notification(
        id=position,
        originator_id=originator_id,
        originator_version=version,
        topic=topic,
        state=state,
    )
    try:
        decode(event)
    except Exception as error:  # any failure means this version of followup cannot read it
        return None, f"this followup cannot read the event ({topic}): {error!r}"
    return event, None


def _state(data: dict[str, Any]) -> bytes:
    if ("state" in data) == ("state_b64" in data):
        raise ValueError("exactly one of 'state' and 'state_b64' is expected")
    if "state_b64" in data:
        try:
            return base64.b64decode(_typed(data, "state_b64", str), validate=True)
        except binascii.Error as error:
            raise ValueError(f"'state_b64' is not base64: {error}") from None
    state = data["state"]
    if not isinstance(state, dict):
        raise ValueError("'state' must be a JSON object")
    if data.get(CHAIN_FIELD) != state.get(CHAIN_FIELD):
        raise ValueError(f"{CHAIN_FIELD!r} differs from the one inside the state")
    return _encode_state(state)


def _totals(header: Header, events: list[Notification], lines: int) -> list[Problem]:
    problems = []
    if header.events != len(events):
        problems.append(
            Problem(
                lines,
                f"the header announces {header.events} event(s), the file holds {len(events)}: "
                "the file is incomplete or was edited",
            )
        )
    head = events[-1].id if events else 0
    if not problems and header.head_position != head:
        message = f"the header's head position is {header.head_position}, the last event's {head}"
        problems.append(Problem(lines, message))
    if header.workflow_position > header.head_position:
        problems.append(Problem(1, "the workflow position is beyond the head"))
    return problems
