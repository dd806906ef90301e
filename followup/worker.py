"""The ``worker`` role: projections (one worker at a time per forum, by duty lock) and
reminders (every worker; the ledger's leases make each reminder go out once)."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Sequence
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler

from followup.bootstrap import Container
from followup.projection_worker import ProjectionWorker
from followup.scheduler import start_scheduler

log = logging.getLogger(__name__)


class Worker:
    """Every duty of every hosted forum, in background threads of this process."""

    def __init__(self, containers: Sequence[Container]) -> None:
        self.containers = list(containers)
        self.projections = [ProjectionWorker(container) for container in self.containers]
        self.schedulers: list[BackgroundScheduler] = []

    def start(self) -> None:
        for projection in self.projections:
            projection.start()
        self.schedulers = [start_scheduler(container) for container in self.containers]

    def stop(self) -> None:
        """Stop ticking, then give up the duties so another worker takes over at once."""
        for scheduler in self.schedulers:
            scheduler.shutdown(wait=True)
        for projection in self.projections:
            projection.stop()


def run_until_signalled(worker: Worker) -> None:
    """Run until SIGTERM or SIGINT, then stop cleanly."""
    stopping = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("worker stopping on signal %s", signal.Signals(signum).name)
        stopping.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    worker.start()
    try:
        stopping.wait()
    finally:
        worker.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
