"""Outcomes kept in memory as last loaded or saved, so a write need not read them back.

Loading an outcome for a write means its newest snapshot and the events after it, fetched and
decoded: at full size a third of a progress report's CPU (BENCHMARKS.md, "Seventh round").
This process keeps the state it last loaded or saved of up to ``limit`` outcomes (the least
recently used go first) and hands out copies. A copy is brought up to date from the store
before it is used: one read of the events after its version, nearly always none, which finds
what other processes (a fleet's other instances, the command line) appended meanwhile. A write
is still decided on the newest state and appended at the version it read, as without them.
A lead's writes skip that read and are decided again when the copy was behind
(``followup.commands.base.decided_on_the_newest``).

A copy costs a few dictionaries: an outcome's record shares its progress entries and milestones
with the kept one, which is safe because events replace an entry rather than change it in
place (``OutcomeRecord.copy``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from uuid import UUID

from domain.outcome import Outcome


def working_copy(outcome: Outcome) -> Outcome:
    """An outcome to decide on and change without changing ``outcome``: its own record, no
    events pending."""
    twin = object.__new__(type(outcome))
    twin.__dict__.update(outcome.__dict__)
    twin.record = outcome.record.copy()
    twin._pending_events = []
    return twin


class KeptOutcomes:
    """Up to ``limit`` outcomes as this process last loaded or saved them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.hits = 0
        self._kept: OrderedDict[UUID, Outcome] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, outcome_id: object) -> bool:
        return outcome_id in self._kept

    def take(self, outcome_id: UUID) -> Outcome | None:
        """A working copy of the kept outcome (None when none is kept); bring it up to date
        from the store before deciding on it."""
        with self._lock:
            kept = self._kept.get(outcome_id)
            if kept is None:
                return None
            self._kept.move_to_end(outcome_id)
            self.hits += 1
        return working_copy(kept)  # kept outcomes are never changed: copied outside the lock

    def keep(self, outcome: Outcome) -> None:
        """Keep a copy of ``outcome`` as stored (no events pending), unless a newer one is."""
        if outcome.pending_events:
            raise ValueError("only a stored state is kept: save the outcome first")
        copy = working_copy(outcome)
        with self._lock:
            known = self._kept.get(outcome.id)
            if known is not None and known.version > copy.version:
                return
            self._kept[outcome.id] = copy
            self._kept.move_to_end(outcome.id)
            while len(self._kept) > self.limit:
                self._kept.popitem(last=False)
