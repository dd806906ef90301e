"""The reminder figures on ``/metrics`` are the ledger's: planned, sent, failed for good, and
waiting for a retry, through a real SMTP server that refuses some recipients."""

from __future__ import annotations

from collections import Counter
from datetime import date

import httpx
from prometheus_client.parser import text_string_to_metric_families

from followup.api.app import create_app
from tests.integration.reminders.conftest import World
from tests.integration.reminders.test_reminder_delivery import ledger_rows
from tests.live_server import live_server


def reminder_figures(world: World) -> dict[str, float]:
    world.container.runner.catch_up()  # as the projection worker would
    with live_server(create_app(world.container, background=False)) as base:
        text = httpx.get(f"{base}/metrics").text
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name.startswith("followup_reminders") and sample.labels["forum"] == "gfmd"
    }


def test_reminder_figures_follow_planning_and_sending(world: World) -> None:
    assert reminder_figures(world)["followup_reminders_planned_total"] == 0
    world.day(date(2009, 10, 3))
    world.service.plan()
    planned = len(ledger_rows(world))
    assert planned > 2
    assert reminder_figures(world) == {
        "followup_reminders_planned_total": planned,
        "followup_reminders_sent_total": 0,
        "followup_reminders_failed_total": 0,
        "followup_reminders_pending": planned,
        "followup_reminders_retrying": 0,
    }
    world.inbox.refusals.extend(["550 5.1.1 no such mailbox", "451 4.3.0 try again later"])
    world.service.send_due()
    states = Counter(row.state for row in ledger_rows(world))
    retrying = sum(1 for r in ledger_rows(world) if r.state == "planned" and r.attempts > 0)
    assert states["sent"] and states["failed"] and retrying
    assert reminder_figures(world) == {
        "followup_reminders_planned_total": planned,
        "followup_reminders_sent_total": states["sent"],
        "followup_reminders_failed_total": states["failed"],
        "followup_reminders_pending": states["planned"],
        "followup_reminders_retrying": retrying,
    }
