"""How the application stores aggregates: every event chained to its stream's previous one
(tamper evidence, ``adapters.event_chain``), outcomes snapshotted so that a load replays only
the events after the newest snapshot (``adapters.outcome_snapshots``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent, Repository
from eventsourcing.domain import EventSourcingError
from eventsourcing.persistence import EventStore, JSONTranscoder

from adapters.aggregate_repository import AggregateRepository
from adapters.event_chain import FIELD as CHAIN_FIELD
from adapters.event_chain import chain_event
from adapters.event_store import DateAsISO
from adapters.kept_outcomes import KeptOutcomes
from adapters.outcome_snapshots import OutcomeRecordAsJSON, SnapshotPolicy, snapshot_store
from domain.outcome import Outcome

log = logging.getLogger(__name__)


class StoredAggregates(Application[UUID]):
    """A mixin of the application: its repository, snapshots and event chain."""

    #: outcomes are snapshotted: a load replays a few events, not all of them
    is_snapshotting_enabled = True

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        #: the (version, chain hash) of the newest stored event of each stream this process
        #: loaded or saved: the next event of that stream links to it without reading it
        self._chain_heads: dict[UUID, tuple[int, str]] = {}
        self._snapshot_policy = SnapshotPolicy()
        super().__init__(env=env)

    def construct_snapshot_store(self) -> EventStore[UUID]:
        return snapshot_store(self.factory, self.mapper)

    def construct_repository(self) -> Repository[UUID]:
        repository = AggregateRepository(event_store=self.events, snapshot_store=self.snapshots)
        repository.on_replayed = self._note_replayed
        return repository

    def _record(self, processing_event: ProcessingEvent[UUID]) -> Any:
        """Store the events, then keep the outcomes saved as they now stand (if this process
        keeps outcomes): the next write to one need not read it back."""
        recordings = super()._record(processing_event)
        kept = self.kept_outcomes
        if kept is not None:
            for aggregate in processing_event.aggregates.values():
                if isinstance(aggregate, Outcome):
                    kept.keep(aggregate)
        return recordings

    @property
    def kept_outcomes(self) -> KeptOutcomes | None:
        repository = self.repository
        return repository.kept if isinstance(repository, AggregateRepository) else None

    def keep_outcomes(self, limit: int) -> None:
        """Keep up to ``limit`` outcomes as last loaded or saved (0: keep none)."""
        repository = self.repository
        assert isinstance(repository, AggregateRepository)
        repository.kept = KeptOutcomes(limit) if limit > 0 else None

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Best effort: the events are stored, and a snapshot that fails is a slower load."""
        if self.snapshots is None:
            return
        due = self._snapshot_policy.due(
            processing_event.events, processing_event.aggregates, self._chain_heads
        )
        if due:
            try:
                self.snapshots.put(due)
            except EventSourcingError:
                log.warning("snapshotting %d outcomes failed", len(due), exc_info=True)

    def _note_replayed(self, event: Any, replayed: int) -> None:
        """An aggregate was just replayed up to ``event`` (an event or a snapshot), as stored:
        its chain hash is the one the aggregate's next event links to, so saving that event
        need not read it again; a long replay gets the aggregate snapshotted at its next save."""
        self._snapshot_policy.loaded(event.originator_id, replayed)
        chain = event.__dict__.get(CHAIN_FIELD)
        stream, version = event.originator_id, event.originator_version
        if isinstance(chain, str) and isinstance(version, int):
            known = self._chain_heads.get(stream)
            if known is None or known[0] < version:
                self._chain_heads[stream] = (version, chain)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(OutcomeRecordAsJSON())

    def _chain(self, event: Any, pending: dict[UUID, tuple[int, str]]) -> tuple[int, str]:
        stream = event.originator_id
        known = pending.get(stream) or self._chain_heads.get(stream)
        return chain_event(event, known, self.recorder, self.mapper)
