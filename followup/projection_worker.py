"""Keeps the read models caught up in the background (polling: works on SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
import threading

from followup.bootstrap import Container

log = logging.getLogger(__name__)


class ProjectionWorker:
    """A daemon thread: catch up every ``poll_interval_seconds``, and refresh statuses daily."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="projections", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def tick(self) -> None:
        """One round: project new events, answer them with the workflow policy, and recompute
        the statuses whose day has come."""
        self.container.settle()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # keep the service up; the next tick retries from the position
                log.exception("projection catch-up failed; retrying")
            self._stop.wait(self.container.settings.poll_interval_seconds)
