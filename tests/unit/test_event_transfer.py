"""The export format on its own: exact bytes kept, any state carried, files whole or absent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from eventsourcing.persistence import Notification

from adapters.event_chain import GENESIS, canonical, link
from adapters.event_file_check import validate
from adapters.event_transfer import Header, event_line, write_export

TOPIC = "domain.forum:Forum.StateAdmitted"


def chained(states: list[dict[str, object]], spaced: bool = False) -> list[Notification]:
    """A stream of stored events hash-chained as the application stores them."""
    stream, previous, events = uuid4(), GENESIS, []
    for version, state in enumerate(states, start=1):
        state = {**state, "chain": link(previous, stream, version, TOPIC, canonical(state))}
        previous = str(state["chain"])
        separators = (", ", ": ") if spaced else (",", ":")
        data = json.dumps(state, separators=separators, ensure_ascii=False).encode()
        events.append(Notification(stream, version, TOPIC, data, id=version))
    return events


def file_of(events: list[Notification]) -> list[str]:
    header = Header("gfmd", len(events), events[-1].id, 0, "2026-11-22T12:00:00+00:00", "followup")
    return [json.dumps(header.to_json())] + [json.dumps(event_line(e)) for e in events]


def test_a_state_that_is_json_is_written_as_json_and_read_back_to_the_same_bytes() -> None:
    events = chained([{"state": "MA", "name": "Maroc — Royaume"}, {"state": "SE"}])
    lines = file_of(events)
    assert json.loads(lines[1])["state"]["name"] == "Maroc — Royaume"
    parsed, problems = validate(lines, lambda _: None)
    assert problems == [] and parsed is not None
    assert [e.state for e in parsed.events] == [e.state for e in events]


def test_bytes_that_would_not_round_trip_as_json_travel_as_base64() -> None:
    events = chained([{"state": "MA"}], spaced=True)  # not as the transcoder writes JSON
    line = json.loads(file_of(events)[1])
    assert "state" not in line and "state_b64" in line
    parsed, problems = validate(file_of(events), lambda _: None)
    assert problems == [] and parsed is not None
    assert parsed.events[0].state == events[0].state


def test_an_export_that_fails_midway_leaves_no_file(tmp_path: Path) -> None:
    def lines() -> Iterator[str]:
        yield "{}"
        raise OSError("disk full")

    target = tmp_path / "events.jsonl"
    with pytest.raises(OSError, match="disk full"):
        write_export(lines(), str(target))
    assert list(tmp_path.iterdir()) == []


def test_an_export_replaces_the_previous_one_whole(tmp_path: Path) -> None:
    target = tmp_path / "events.jsonl"
    target.write_text("old\n", encoding="utf-8")
    assert write_export(iter(["a", "b"]), str(target)) == 2
    assert target.read_text(encoding="utf-8") == "a\nb\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.jsonl"]
