"""While a backlog is caught up, the log's next batch is read in a thread as the current one is
projected: each batch is read once, and the rows are those of reading it in turn."""

from __future__ import annotations

import threading
from typing import Any

from followup.bootstrap import Container
from tests.integration.read_models.test_held_writes import imported, project_in_one_batch
from tests.integration.test_projections import snapshot

__all__ = ["imported"]  # the fixture, shared


def test_a_rebuild_reads_each_batch_once_the_next_in_a_thread(imported: Container) -> None:
    whole = project_in_one_batch(imported)
    runner = imported.runner
    runner.rebuild_batch_size = 10
    reads: list[tuple[int, str]] = []
    original = imported.app.notifications

    def watched(
        after: int, limit: int, topics: Any = (), through: int | None = None, skip: Any = None
    ) -> list[tuple[int, Any]]:
        reads.append((after, threading.current_thread().name))
        return original(after, limit, topics, through, skip)

    imported.app.notifications = watched  # type: ignore[method-assign]
    runner.rebuild()
    starts = [after for after, _ in reads]
    assert starts == sorted(set(starts)) and starts[0] == 0  # each batch once, in order
    assert len(reads) > 5 and all(name.startswith("log-read-ahead") for _, name in reads[1:])
    assert reads[0][1] == threading.current_thread().name
    assert snapshot(imported) == whole
    assert not [t for t in threading.enumerate() if t.name.startswith("log-read-ahead")]


def test_a_catch_up_in_step_reads_on_its_own_thread(imported: Container) -> None:
    """An ordinary catch-up (no backlog) reads in the caller's thread, nothing ahead."""
    names: list[str] = []
    original = imported.app.notifications

    def watched(
        after: int, limit: int, topics: Any = (), through: int | None = None, skip: Any = None
    ) -> list[tuple[int, Any]]:
        names.append(threading.current_thread().name)
        return original(after, limit, topics, through, skip)

    imported.app.notifications = watched  # type: ignore[method-assign]
    imported.runner.catch_up()
    assert names and set(names) == {threading.current_thread().name}
