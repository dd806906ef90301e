"""Prometheus metrics, one registry per forum application (a process may host several forums;
every metric carries ``forum``).

Request latency is observed in-process by the middleware. What the store knows — events appended,
projection lag, reminders — is read from the database at scrape time, so every process of a fleet
reports the same, true figures whichever one is scraped.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from adapters.read_models.reminder_ledger import reminders
from domain.reminder import ReminderState
from followup.bootstrap import Container
from followup.observability.probe import database_answers

# seconds: from a cached read to a slow export
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
UNMATCHED = "<unmatched>"


class StoreCollector(Collector):
    """Figures the event store and the read models hold, read when Prometheus scrapes."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.forum = container.settings.forum

    def describe(self) -> list[Metric]:
        return []  # computed at scrape time: nothing to register up front

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "followup_store_up", "1 when the event store answered this scrape", labels=["forum"]
        )
        try:
            if not database_answers(self.container.engine):
                raise ConnectionError("the database does not answer")
            figures = list(self._figures())
        except Exception:  # any driver error: the store did not answer; say so, not a 500
            up.add_metric([self.forum], 0)
            yield up
            return
        up.add_metric([self.forum], 1)
        yield up
        yield from figures

    def _figures(self) -> Iterator[Metric]:
        container, forum = self.container, self.forum
        appended = CounterMetricFamily(
            "followup_events_appended",
            "Events appended to the forum's log: the log position of the newest event",
            labels=["forum"],
        )
        appended.add_metric([forum], container.app.head_position())
        yield appended
        lag = GaugeMetricFamily(
            "followup_projection_lag_events",
            "Events a read model has still to apply (counted up to 10000)",
            labels=["forum", "projection"],
        )
        for name, behind in sorted(container.runner.lag().items()):
            lag.add_metric([forum, name], behind)
        yield lag
        yield from self._reminders()

    def _reminders(self) -> Iterator[Metric]:
        planned = str(ReminderState.PLANNED)
        with self.container.engine.connect() as connection:
            rows = connection.execute(
                select(reminders.c.state, func.count())
                .where(reminders.c.forum == self.forum)
                .group_by(reminders.c.state)
            ).all()
            retrying = connection.execute(
                select(func.count()).where(
                    reminders.c.forum == self.forum,
                    reminders.c.state == planned,
                    reminders.c.attempts > 0,
                )
            ).scalar_one()
        by_state = {str(state): int(count) for state, count in rows}
        figures = {
            "planned": ("Reminders planned (each is planned once)", sum(by_state.values())),
            "sent": ("Reminders sent", by_state.get(str(ReminderState.SENT), 0)),
            "failed": (
                "Reminders failed for good (a 5xx reply)",
                by_state.get(str(ReminderState.FAILED), 0),
            ),
        }
        for name, (documentation, value) in figures.items():
            family = CounterMetricFamily(
                f"followup_reminders_{name}", documentation, labels=["forum"]
            )
            family.add_metric([self.forum], value)
            yield family
        pending = GaugeMetricFamily(
            "followup_reminders_pending",
            "Reminders planned and not yet sent, failed or cancelled",
            labels=["forum"],
        )
        pending.add_metric([self.forum], by_state.get(planned, 0))
        yield pending
        waiting = GaugeMetricFamily(
            "followup_reminders_retrying",
            "Reminders whose last delivery failed for now (a 4xx or no server), to be retried",
            labels=["forum"],
        )
        waiting.add_metric([self.forum], int(retrying))
        yield waiting


class Metrics:
    """One forum application's registry: its request histogram and its store's figures."""

    def __init__(self, container: Container) -> None:
        self.forum = container.settings.forum
        self.registry = CollectorRegistry()
        self.requests = Histogram(
            "followup_http_request_duration_seconds",
            "Time to answer a request, by method, route template and status",
            ["forum", "method", "route", "status"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.registry.register(StoreCollector(container))

    def observe(self, method: str, route: str | None, status: int, seconds: float) -> None:
        self.requests.labels(self.forum, method, route or UNMATCHED, str(status)).observe(seconds)
