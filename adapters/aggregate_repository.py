"""The application's repository: the library's, replaying events without a protocol check.

``eventsourcing.application.project_aggregate`` asserts ``isinstance(event, CanMutateProtocol)``
for every event it replays. On Python 3.11 an ``isinstance`` against a runtime-checkable
protocol walks the protocol's attributes each time, and with outcomes of 50-100 events it was a
fifth of a progress report's time. Every event in our store is one of our aggregates' classes,
which the transcoder has already resolved, so the check proves nothing here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from eventsourcing.application import ProjectorFunction, Repository
from eventsourcing.domain import Snapshot

from adapters.kept_outcomes import KeptOutcomes
from domain.outcome import Outcome


def replay(aggregate: Any, events: Iterable[Any]) -> Any:
    """Each event's ``mutate`` in turn (``project_aggregate`` without its per-event check)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class AggregateRepository(Repository[UUID]):
    """Reconstructs aggregates with ``replay`` unless a caller brings its own projector."""

    #: shown the newest stored event (or snapshot) of every aggregate ``replay`` reconstructs,
    #: and how many events it replayed after its snapshot (all of them without one): the
    #: application keeps the chain hash the next save links to, and snapshots long replays
    on_replayed: Callable[[Any, int], None] | None = None

    #: outcomes as this process last loaded or saved them (``adapters.kept_outcomes``)
    kept: KeptOutcomes | None = None

    def get(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = replay,
        fastforward_skipping: bool = False,
        deepcopy_from_cache: bool = True,
    ) -> Any:
        newest = version is None and projector_func is replay
        if newest and self.kept is not None:
            found = self.kept.take(aggregate_id)
            if found is not None:
                return self._brought_up_to_date(found)
        if projector_func is replay and self.on_replayed is not None:
            projector_func = self._replay_noting_newest
        aggregate = super().get(
            aggregate_id,
            version=version,
            projector_func=projector_func,
            fastforward_skipping=fastforward_skipping,
            deepcopy_from_cache=deepcopy_from_cache,
        )
        if newest and self.kept is not None and isinstance(aggregate, Outcome):
            self.kept.keep(aggregate)
        return aggregate

    def kept_as_is(self, outcome_id: UUID) -> Outcome | None:
        """A working copy of the outcome as this process last loaded or saved it, without
        asking the store whether another process has appended to it since (None when none is
        kept). Only for a write that is decided again if it was (``followup.commands.base``):
        its append fails on the version when the copy was behind."""
        return None if self.kept is None else self.kept.take(outcome_id)

    def _brought_up_to_date(self, outcome: Outcome) -> Outcome:
        """A kept outcome with whatever the store holds after it (another process's events)."""
        later = list(self.event_store.get(originator_id=outcome.id, gt=outcome.version))
        if not later:
            return outcome
        outcome = self._replay_noting_newest(outcome, later)
        assert self.kept is not None
        self.kept.keep(outcome)
        return outcome

    def _replay_noting_newest(self, aggregate: Any, events: Iterable[Any]) -> Any:
        newest = None
        replayed = 0
        for event in events:
            aggregate = event.mutate(aggregate)
            newest = event
            replayed += 1
            if isinstance(event, Snapshot):
                replayed = 0  # a snapshot is where the replay starts, not an event replayed
        if newest is not None and self.on_replayed is not None:
            self.on_replayed(newest, replayed)
        return aggregate
