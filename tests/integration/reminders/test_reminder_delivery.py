"""Digests ahead of the Athens summit (2 November 2009), day by day, through a real SMTP server."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from email.message import EmailMessage

from sqlalchemy import select

from adapters.read_models.reminder_ledger import reminders
from domain.forum import Forum
from followup.reminders import ReminderService
from tests.integration.reminders.conftest import World

ATHENS = date(2009, 11, 2)


def run_days(world: World, first: date, last: date) -> dict[date, list[EmailMessage]]:
    received: dict[date, list[EmailMessage]] = defaultdict(list)
    day = first
    while day <= last:
        world.day(day)
        world.tick()
        received[day].extend(world.inbox.take())
        day += timedelta(days=1)
    return received


def recipients_by_day(received: dict[date, list[EmailMessage]]) -> dict[date, list[str]]:
    return {
        d: sorted(str(m["To"]).split("<")[-1].rstrip(">") for m in ms)
        for d, ms in received.items()
        if ms
    }


def ledger_rows(world: World) -> list:
    world.container.runner.catch_up()
    with world.container.engine.connect() as connection:
        return list(
            connection.execute(
                select(reminders).order_by(reminders.c.send_on, reminders.c.audience)
            )
        )


EVERYONE = ["amal@example.ma", "eleni@example.gr", "jo@example.au", "sven@example.se"]


def test_digests_go_out_30_14_and_3_days_before_once_each(world: World) -> None:
    received = run_days(world, date(2009, 9, 25), date(2009, 11, 3))
    assert recipients_by_day(received) == {
        date(2009, 10, 3): EVERYONE,
        date(2009, 10, 19): EVERYONE,
        date(2009, 10, 30): EVERYONE,
    }
    ids = [m["Message-ID"] for ms in received.values() for m in ms]
    assert len(ids) == len(set(ids)) == 12
    assert {row.state for row in ledger_rows(world)} == {"sent"}


def test_each_digest_is_multipart_in_its_language_with_the_right_outcomes(world: World) -> None:
    received = run_days(world, date(2009, 10, 3), date(2009, 10, 3))[date(2009, 10, 3)]
    by_address = {str(m["To"]).split("<")[-1].rstrip(">"): m for m in received}
    moroccan = by_address["amal@example.ma"]
    assert moroccan.get_content_type() == "multipart/alternative"
    text = moroccan.get_body(preferencelist=("plain",)).get_content()
    html = moroccan.get_body(preferencelist=("html",)).get_content()
    assert moroccan["Content-Language"] == "fr" and "Maroc" in moroccan["Subject"]
    assert "ma-before-athens" in text and "se-before-athens" not in text
    assert "http://127.0.0.1:8000/api/v1/outcomes/ma-before-athens/progress" in text
    assert '<html lang="fr">' in html and "2 novembre 2009" in html
    swedish = by_address["sven@example.se"]
    assert swedish["Content-Language"] == "es" and "Suecia" in swedish["Subject"]
    australian = by_address["jo@example.au"].get_body(preferencelist=("plain",)).get_content()
    assert "mnl-2008-rt3.3-iom-rcp-chairs-meeting" in australian and "overdue" in australian
    troika = by_address["eleni@example.gr"]
    assert "overdue outcomes" in troika["Subject"]
    assert "mnl-2008-rt3.3-iom-rcp-chairs-meeting" in troika.get_body(("plain",)).get_content()


def reschedule_athens(world: World, to: date, decided: date) -> None:
    app = world.container.app
    forum = app.repository.get(app.forum_id)
    assert isinstance(forum, Forum)
    forum.reschedule_meeting(forum.meeting_id("summit-2009-athens"), to, app.fact(decided, "test"))
    app.save(forum)


def test_a_reschedule_cancels_the_old_dates_and_plans_the_new_ones(world: World) -> None:
    first = run_days(world, date(2009, 9, 25), date(2009, 10, 9))
    assert recipients_by_day(first) == {date(2009, 10, 3): EVERYONE}
    world.day(date(2009, 10, 10))
    reschedule_athens(world, date(2009, 11, 20), date(2009, 10, 10))
    later = run_days(world, date(2009, 10, 10), date(2009, 11, 21))
    assert recipients_by_day(later) == {
        date(2009, 10, 21): EVERYONE,
        date(2009, 11, 6): EVERYONE,
        date(2009, 11, 17): EVERYONE,
    }
    cancelled = [r for r in ledger_rows(world) if r.state == "cancelled"]
    assert len(cancelled) == 8  # 14 and 3 days before the old date, for four audiences
    assert {r.cancel_reason for r in cancelled} == {"the meeting was moved to 2009-11-20"}


def test_a_cancellation_cancels_every_reminder_of_the_meeting(world: World) -> None:
    run_days(world, date(2009, 9, 25), date(2009, 10, 5))
    app = world.container.app
    forum = app.repository.get(app.forum_id)
    forum.cancel_meeting(
        forum.meeting_id("summit-2009-athens"), "postponed", app.fact(date(2009, 10, 6), "t")
    )
    app.save(forum)
    later = run_days(world, date(2009, 10, 6), date(2009, 11, 3))
    assert recipients_by_day(later) == {}
    assert {r.cancel_reason for r in ledger_rows(world) if r.state == "cancelled"} == {
        "the meeting was cancelled"
    }


def test_a_restart_in_between_sends_nothing_twice(world: World) -> None:
    run_days(world, date(2009, 9, 25), date(2009, 10, 3))
    world.inbox.take()
    # a second instance on the same store, as after a restart, ticks the same day again
    world.service = ReminderService(world.container, world.service.mailer, worker="restarted")
    world.tick()
    assert world.inbox.take() == []
    received = run_days(world, date(2009, 10, 4), date(2009, 10, 19))
    assert recipients_by_day(received) == {date(2009, 10, 19): EVERYONE}


def test_down_through_a_reminder_it_goes_late_once_unless_the_meeting_began(world: World) -> None:
    world.day(date(2009, 9, 1))
    world.service.plan()
    # the service was down from 1 Sep to 25 Oct: the 30- and 14-day moments passed
    late = run_days(world, date(2009, 10, 25), date(2009, 10, 25))
    assert recipients_by_day(late) == {date(2009, 10, 25): EVERYONE}
    rows = {(r.audience, r.offset_days): r for r in ledger_rows(world)}
    assert rows[("MA", 14)].state == "sent" and rows[("MA", 14)].late_by_days == 6
    assert rows[("MA", 30)].state == "cancelled"
    assert rows[("MA", 30)].cancel_reason == "overtaken by a later reminder for the same meeting"
    # down again until the meeting began: the 3-day reminder is not sent after it started
    assert run_days(world, ATHENS, ATHENS + timedelta(days=1)) == {
        ATHENS: [],
        ATHENS + timedelta(days=1): [],
    }
    assert rows[("MA", 3)].state == "planned"
    assert {r.state for r in ledger_rows(world) if r.offset_days == 3} == {"cancelled"}


def test_a_451_is_retried_and_arrives(world: World) -> None:
    world.day(date(2009, 10, 3))
    world.service.plan()
    world.inbox.refusals.extend(["451 4.3.0 try again later"] * 4)
    world.service.send_due()
    assert len(world.inbox.take()) == 0
    retrying = [r for r in ledger_rows(world) if r.attempts == 1 and r.state == "planned"]
    assert retrying and all(r.retry_at is not None for r in retrying)
    assert "451" in retrying[0].last_error
    for hours in range(1, 6):
        world.day(date(2009, 10, 3), hour=9 + hours)
        world.service.send_due()
    assert len(world.inbox.take()) == 4
    assert {r.state for r in ledger_rows(world) if r.offset_days == 30} == {"sent"}


def test_a_550_is_recorded_as_failed_and_not_retried(world: World) -> None:
    world.day(date(2009, 10, 3))
    world.service.plan()
    world.inbox.refusals.extend(["550 5.1.1 no such mailbox"] * 4)
    world.service.send_due()
    failed = [r for r in ledger_rows(world) if r.state == "failed"]
    assert len(failed) == 4 and all("550" in r.last_error for r in failed)
    for hours in range(1, 6):
        world.day(date(2009, 10, 3), hour=9 + hours)
        world.service.send_due()
    assert world.inbox.take() == []


def test_nothing_owed_means_nothing_sent(world: World) -> None:
    from domain.outcome import Outcome
    from followup.commands.outcomes import OutcomeCommands
    from tests.integration.reminders.conftest import SETUP

    world.day(date(2009, 10, 1))
    world.service.plan()
    OutcomeCommands(world.container, SETUP).complete(
        Outcome.create_id("gfmd", "se-before-athens"), "done", ["https://example.org/r"], None
    )
    received = run_days(world, date(2009, 10, 2), date(2009, 10, 3))
    assert "sven@example.se" not in recipients_by_day(received)[date(2009, 10, 3)]
    sweden = [r for r in ledger_rows(world) if r.audience == "SE"]
    assert {r.state for r in sweden} == {"cancelled"}


def test_the_digest_names_the_milestone_that_is_due(world: World) -> None:
    from domain.deadlines import DeadlineKind
    from domain.outcome import Outcome
    from domain.outcome_record import MilestoneKind
    from followup.commands.outcomes import DeadlineSpec
    from followup.commands.plans import PlanCommands
    from tests.integration.reminders.conftest import SETUP

    PlanCommands(world.container, SETUP).plan_milestone(
        Outcome.create_id("gfmd", "ma-before-athens"),
        MilestoneKind.CUSTOM,
        "Circulate the draft to the Troika",
        date(2009, 9, 1),
        DeadlineSpec(DeadlineKind.DATE, due_on=date(2009, 10, 15)),
    )
    received = run_days(world, date(2009, 10, 3), date(2009, 10, 3))[date(2009, 10, 3)]
    moroccan = next(m for m in received if "amal@example.ma" in str(m["To"]))
    text = moroccan.get_body(preferencelist=("plain",)).get_content()
    assert "Prochain jalon : Circulate the draft to the Troika, attendu le 15 octobre 2009." in text
