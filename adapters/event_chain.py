"""Tamper evidence: every stored event carries a hash chained to the previous event of its
aggregate (per stream), so an altered, removed or reordered event breaks the chain.

The hash covers the stream, the version, the topic and the event's stored state (without the
hash itself), in the canonical JSON the transcoder writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

GENESIS = "0" * 64
FIELD = "chain"


def canonical(state: dict[str, Any]) -> bytes:
    """The state as the hash sees it: compact JSON, keys in stored order, no hash."""
    without = {k: v for k, v in state.items() if k != FIELD}
    return json.dumps(without, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def link(previous: str, originator_id: UUID | str, version: int, topic: str, state: bytes) -> str:
    digest = hashlib.sha256(f"{previous}|{originator_id}|{version}|{topic}|".encode())
    digest.update(state)
    return digest.hexdigest()


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    position: int
    originator_id: str
    version: int
    topic: str
    problem: str

    def __str__(self) -> str:
        return (
            f"log position {self.position}: {self.topic.split(':')[-1]} v{self.version} "
            f"of {self.originator_id}: "
            f"{self.problem}"
        )


def chain_event(
    event: Any, previous: tuple[int, str] | None, recorder: Any, mapper: Any
) -> tuple[int, str]:
    """Set ``event``'s chain hash, linked to the stream's previous event: ``previous`` is that
    event's (version, hash) when the caller knows them, else it is read from the store.
    Returns the event's own (version, hash)."""
    stream, version = event.originator_id, event.originator_version
    if version == 1:
        head = GENESIS
    elif previous is not None and previous[0] == version - 1:
        head = previous[1]
    else:
        [stored] = recorder.select_events(stream, gt=version - 2, lte=version - 1)
        head = json.loads(stored.state).get(FIELD, GENESIS)
    stored_state = mapper.to_stored_event(event)
    state = json.loads(stored_state.state)
    object.__setattr__(
        event, FIELD, link(head, stream, version, stored_state.topic, canonical(state))
    )
    return version, str(getattr(event, FIELD))


def verify(notifications: Iterable[Any]) -> Iterator[Break]:
    """Walk stored notifications in log order; yield every break found."""
    last: dict[str, tuple[int, str]] = {}
    for notification in notifications:
        stream = str(notification.originator_id)
        version = notification.originator_version
        topic = notification.topic
        try:
            state = json.loads(notification.state)
        except ValueError:
            yield Break(notification.id, stream, version, topic, "the stored state is not JSON")
            continue
        found = state.get(FIELD)
        previous_version, previous = last.get(stream, (0, GENESIS))
        if version != previous_version + 1:
            yield Break(
                notification.id,
                stream,
                version,
                topic,
                f"follows version {previous_version}: an event is missing or out of order",
            )
        expected = link(previous, stream, version, topic, canonical(state))
        if found != expected:
            problem = "has no hash" if found is None else "its content does not match its hash"
            yield Break(notification.id, stream, version, topic, problem)
        last[stream] = (version, str(found))
