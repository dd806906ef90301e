"""Keeps the read models caught up in the background (polling: works on SQLite and PostgreSQL).

Several processes may run one: the duty lock lets one at a time project a forum, and another
takes over within ``worker_lock_seconds`` when the holder dies."""

from __future__ import annotations

import contextlib
import logging
import threading

from adapters.duty_lock import DutyLock, duty_lock
from adapters.event_signal import Listener, nudge
from followup.bootstrap import Container

log = logging.getLogger(__name__)


def projections_lock(container: Container) -> DutyLock:
    settings = container.settings
    return duty_lock(
        settings.effective_database_url, settings.forum, settings.database_schema, "projections"
    )


class ProjectionWorker:
    """A daemon thread: while it holds the forum's projection duty, project when a write nudges
    it and at least every ``poll_interval_seconds``; otherwise try to take the duty every
    ``worker_lock_seconds``."""

    def __init__(self, container: Container, lock: DutyLock | None = None) -> None:
        self.container = container
        self.lock = lock or projections_lock(container)
        self._stop = threading.Event()
        settings = container.settings
        self.listener = Listener(
            settings.effective_database_url, settings.forum, settings.database_schema, self._stop
        )
        self._thread = threading.Thread(
            target=self._loop, name=f"projections:{container.settings.forum}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        settings = self.container.settings
        with contextlib.suppress(Exception):  # wake our listener at once; it sees the stop
            nudge(self.container.engine, settings.forum, settings.database_schema)
        self._thread.join(timeout=10)
        self.lock.release()
        self.listener.close()

    def tick(self) -> bool:
        """One round: if this process holds the duty, project new events, answer them with
        the workflow policy, and recompute the statuses whose day has come."""
        if not self.lock.hold():
            return False
        self.container.project()
        return True

    def _loop(self) -> None:
        settings = self.container.settings
        while not self._stop.is_set():
            held = False
            try:
                held = self.tick()
            except Exception:  # keep the service up; the next tick retries from the position
                log.exception("projection catch-up failed; retrying")
            if held:  # woken by a write's nudge, or polling as the safety net
                self.listener.wait(settings.poll_interval_seconds)
            else:
                self._stop.wait(settings.worker_lock_seconds)
