"""Reading an export back: every line checked (the header, each event, the totals the header
announces, the hash chain) before anything is written, each problem named with its line.

``event_log_restore`` writes what passes; ``event_transfer`` says what a file holds.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import sys
from collections.abc import Callable, Sequence
from typing import IO, Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent

from adapters.event_chain import FIELD as CHAIN_FIELD
from adapters.event_chain import verify
from adapters.event_transfer import (
    FORMAT,
    FORMAT_VERSION,
    STDIO,
    ExportFile,
    Header,
    Problem,
    encode_state,
)


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
    return encode_state(state)


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
