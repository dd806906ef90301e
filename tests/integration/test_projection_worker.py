"""In a fleet, a write nudges the worker that projects: the writer sees its write in the read
models at once, not at the worker's next poll (PostgreSQL LISTEN/NOTIFY)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.clock import FixedClock
from followup.bootstrap import bootstrap
from followup.importing.importer import Importer
from followup.projection_worker import ProjectionWorker
from followup.settings import Settings
from tests.conftest import NOW, REFERENCE

pytestmark = pytest.mark.postgres


def test_a_write_wakes_the_worker_long_before_its_next_poll(
    database_url_postgres: str, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=database_url_postgres,
        data_dir=tmp_path,
        poll_interval_seconds=600,  # the safety-net poll would come far too late
        read_your_writes_timeout_seconds=60,
    )
    worker_side = bootstrap(settings, FixedClock(NOW))
    worker_side.projects_inline = False
    serve_side = bootstrap(settings, FixedClock(NOW), migrate=False)
    serve_side.projects_inline = False
    worker = ProjectionWorker(worker_side)
    worker.start()
    try:
        assert Importer(serve_side.app, "import:test").run(REFERENCE.read_text("utf-8")).ok
        head = serve_side.app.head_position()
        serve_side.settle(head)  # nudges, then waits for the worker
        assert min(serve_side.runner.positions().values()) >= head
        assert serve_side.wait_for_projections(head)
    finally:
        worker.stop()
        worker_side.close()
        serve_side.close()
