"""Which topics a batch is read for, and which of its events go to each projection."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from adapters.read_models.projection import Projection, Seeds

Batch = list[tuple[int, Any]]


def decoding_of(projections: Sequence[Projection]) -> list[Projection]:
    """Those of ``projections`` that are given decoded events (not ``copies_from_log``)."""
    return [p for p in projections if not p.copies_from_log]


def seeds_to_skip(decoding: Sequence[Projection]) -> Seeds | None:
    """The events one of the batch's projections holds in seeded states (a rebuild from
    snapshots), to be read undecoded: only when it alone reads their topics, and every
    projection of the batch names the classes it reads (the others never see them)."""
    seeded = [p for p in decoding if p.seeds is not None]
    if len(seeded) != 1 or not all(p.event_classes for p in decoding):
        return None
    seeds = seeded[0].seeds
    assert seeds is not None
    read_by_others = {topic for p in decoding if p is not seeded[0] for topic in p.topics}
    return None if seeds.topics & read_by_others else seeds


class BatchSorting:
    """Keeps, per projection, the classes it reads, and per set of projections, the topics."""

    def __init__(self) -> None:
        self._classes: dict[str, frozenset[type]] = {}
        self._topics: dict[tuple[str, ...], tuple[str, ...]] = {}

    def topics(self, projections: Sequence[Projection]) -> tuple[str, ...]:
        """The topics to read for these projections: all (``()``) if one names no classes."""
        key = tuple(p.name for p in projections)
        found = self._topics.get(key)
        if found is None:
            wanted = [p.topics for p in projections]
            everything = any(not topics for topics in wanted)
            found = () if everything else tuple(sorted({t for ts in wanted for t in ts}))
            self._topics[key] = found
        return found

    def own_events(
        self, projections: Sequence[Projection], batch: Batch, starts: dict[str, int]
    ) -> dict[str, Batch]:
        """The batch's events each projection reads (all when it names no classes) and has
        not applied yet, in log order: the batch is sorted by class once, then each
        projection takes its classes' lists (a rebuild's 20,000-event batch went past every
        projection's filter, five times an event)."""
        by_class: dict[type, Batch] = {}
        for item in batch:
            found = by_class.get(type(item[1]))
            if found is None:
                by_class[type(item[1])] = [item]
            else:
                found.append(item)
        own = {}
        for projection in projections:
            classes = self._classes.get(projection.name)
            if classes is None:
                classes = self._classes[projection.name] = frozenset(projection.event_classes)
            after = starts[projection.name]
            if not classes:
                items = batch
            else:
                parts = [by_class[c] for c in classes if c in by_class]
                items = parts[0] if len(parts) == 1 else sorted(chain(*parts), key=itemgetter(0))
            if items and items[0][0] <= after:
                items = [item for item in items if item[0] > after]
            own[projection.name] = items
        return own
