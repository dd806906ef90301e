"""Outcomes kept in memory decide writes exactly as a fresh load would, on SQLite and
PostgreSQL, whatever another process appended meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

import httpx
import pytest
from sqlalchemy import select

from adapters.api_tokens import TokenStore
from adapters.read_models.outcome_tables import outcomes
from domain.outcome import Outcome
from followup.api.app import create_app
from followup.authorization import Principal, Role
from followup.bootstrap import Container, bootstrap
from followup.commands.base import NotFoundError, StaleVersionError
from followup.commands.outcomes import OutcomeCommands
from followup.queries import OPEN_STATUSES
from followup.settings import Settings
from tests.live_server import live_server

OUTCOME = "mnl-2008-rt3.2-coherence-on-agenda"
FOUND = Outcome.create_id("gfmd", OUTCOME)
SECRETARIAT = Principal("secretariat", Role.SECRETARIAT, frozenset())


def fresh(container: Container, outcome_id: UUID) -> Outcome:
    """The outcome replayed from the store, nothing kept."""
    repository = container.app.repository
    kept, repository.kept = repository.kept, None  # type: ignore[attr-defined]
    try:
        outcome = repository.get(outcome_id)
    finally:
        repository.kept = kept  # type: ignore[attr-defined]
    assert isinstance(outcome, Outcome)
    return outcome


def test_writes_on_a_kept_outcome_leave_it_equal_to_a_replay(loaded: Container) -> None:
    commands = OutcomeCommands(loaded, SECRETARIAT)
    found = FOUND
    first = commands.report_progress(found, "Consultations held", date(2009, 9, 1), 40)
    assert found in loaded.app.kept_outcomes  # type: ignore[operator]
    commands.report_progress(found, "Draft shared", date(2009, 9, 20), 70)
    commands.retract_progress(found, first.created_id, "reported on the wrong outcome", None)
    hits = loaded.app.kept_outcomes.hits  # type: ignore[union-attr]

    kept = loaded.app.repository.get(found)
    assert loaded.app.kept_outcomes.hits == hits + 1  # type: ignore[union-attr]
    replayed = fresh(loaded, found)
    assert kept.version == replayed.version
    assert kept.record == replayed.record
    retracted = kept.record.reports[first.created_id]
    assert retracted.retraction_reason == "reported on the wrong outcome"


def test_a_write_another_process_made_is_seen_before_deciding(
    loaded: Container, settings: Settings
) -> None:
    found = FOUND
    OutcomeCommands(loaded, SECRETARIAT).report_progress(found, "ours", date(2009, 9, 1))
    version = loaded.app.repository.get(found).version

    other = bootstrap(settings, clock=loaded.clock)  # another process on the same store
    try:
        OutcomeCommands(other, SECRETARIAT).report_progress(found, "theirs", date(2009, 9, 2))
    finally:
        other.close()

    receipt = OutcomeCommands(loaded, SECRETARIAT).report_progress(found, "ours again", None)
    assert receipt.version == version + 2  # decided on their write too, not a lost update
    summaries = [r.summary for r in loaded.app.repository.get(found).record.reports.values()]
    assert summaries[-3:] == ["ours", "theirs", "ours again"]
    assert loaded.app.repository.get(found).record == fresh(loaded, found).record


def test_a_serving_process_starts_with_the_open_outcomes_kept(loaded: Container) -> None:
    _, token = TokenStore(loaded.engine).create("su", "secretariat", [], loaded.clock.now())
    with loaded.engine.connect() as connection:
        open_ids = set(
            connection.execute(
                select(outcomes.c.id).where(outcomes.c.status.in_(sorted(OPEN_STATUSES)))
            ).scalars()
        )
    assert open_ids
    with live_server(create_app(loaded, background=False)) as base:
        kept = loaded.app.kept_outcomes
        assert kept is not None
        assert all(UUID(str(i)) in kept for i in open_ids)
        hits = kept.hits
        code = next(iter(open_ids))
        response = httpx.post(
            f"{base}/api/v1/outcomes/{code}/progress",
            headers={"Authorization": f"Bearer {token}"},
            json={"summary": "Reported through the API"},
            timeout=30,
        )
    assert response.status_code == 201, response.text
    assert kept.hits == hits + 1  # the write started from the kept state


def test_keeping_no_outcomes_is_a_setting(settings: Settings, reference_text: str) -> None:
    container = bootstrap(settings.model_copy(update={"kept_outcomes": 0}))
    try:
        assert container.app.kept_outcomes is None
        from followup.importing.importer import Importer

        assert Importer(container.app, "import:reference").run(reference_text).ok
        container.settle()
        receipt = OutcomeCommands(container, SECRETARIAT).report_progress(FOUND, "x", None)
        assert receipt.version == container.app.repository.get(FOUND).version
    finally:
        container.close()


def another_process_writes(
    settings: Settings, loaded: Container, write: Callable[[OutcomeCommands], object]
) -> None:
    other = bootstrap(settings, clock=loaded.clock)  # another process on the same store
    try:
        write(OutcomeCommands(other, SECRETARIAT))
    finally:
        other.close()


def test_if_match_naming_another_processs_write_is_taken(
    loaded: Container, settings: Settings
) -> None:
    """The kept copy is behind the version the client read elsewhere: the write is not refused
    as stale, it is decided again on the store's newest, and appends once."""
    commands = OutcomeCommands(loaded, SECRETARIAT)
    version = commands.report_progress(FOUND, "ours", date(2009, 9, 1)).version
    another_process_writes(
        settings, loaded, lambda c: c.report_progress(FOUND, "theirs", date(2009, 9, 2))
    )
    receipt = commands.report_progress(FOUND, "after theirs", None, if_match=version + 1)
    assert receipt.version == version + 2
    assert [e.originator_version for e in loaded.app.events_of(FOUND)][-2:] == [
        version + 1,
        version + 2,
    ]


def test_a_stale_if_match_is_still_refused_with_the_current_version(
    loaded: Container, settings: Settings
) -> None:
    commands = OutcomeCommands(loaded, SECRETARIAT)
    version = commands.report_progress(FOUND, "ours", date(2009, 9, 1)).version
    another_process_writes(
        settings, loaded, lambda c: c.report_progress(FOUND, "theirs", date(2009, 9, 2))
    )
    with pytest.raises(StaleVersionError) as refused:
        commands.report_progress(FOUND, "on what we read", None, if_match=version)
    assert refused.value.current == version + 1
    assert loaded.app.repository.get(FOUND).version == version + 1  # nothing appended


def test_a_refusal_on_a_kept_copy_that_was_behind_is_decided_again(
    loaded: Container, settings: Settings
) -> None:
    """Another process reported progress this process has not seen; retracting that report
    here finds it (the kept copy alone knew no such report: 404)."""
    OutcomeCommands(loaded, SECRETARIAT).report_progress(FOUND, "ours", date(2009, 9, 1))
    theirs: list[UUID] = []
    another_process_writes(
        settings,
        loaded,
        lambda c: theirs.append(
            c.report_progress(FOUND, "theirs, wrong outcome", date(2009, 9, 2)).created_id
        ),
    )
    receipt = OutcomeCommands(loaded, SECRETARIAT).retract_progress(
        FOUND, theirs[0], "reported on the wrong outcome", None
    )
    assert receipt.recorded == ["Outcome.ProgressReportRetracted"]
    kept = loaded.app.repository.get(FOUND)
    assert kept.record.reports[theirs[0]].retraction_reason == "reported on the wrong outcome"
    assert kept.record == fresh(loaded, FOUND).record


def test_a_refusal_that_stands_on_the_newest_state_is_refused_once(loaded: Container) -> None:
    commands = OutcomeCommands(loaded, SECRETARIAT)
    version = commands.report_progress(FOUND, "ours", date(2009, 9, 1)).version
    with pytest.raises(NotFoundError):
        commands.retract_progress(FOUND, UUID(int=7), "no such report", None)
    assert loaded.app.repository.get(FOUND).version == version
