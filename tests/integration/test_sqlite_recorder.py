"""The SQLite recorder hands out each stream's id as one ``UUID`` and every id still right."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from adapters.clock import FixedClock
from adapters.sqlite_recorder import UUIDReusingSQLiteProcessRecorder
from followup.bootstrap import bootstrap
from followup.settings import Settings
from tests.factories import adopted_outcome, fact, forum_with_summits


def test_the_rows_of_a_stream_share_one_uuid_and_interleaved_ids_stay_right(
    tmp_path: Path, clock: FixedClock
) -> None:
    url = f"sqlite:///{(tmp_path / 'followup.sqlite').as_posix()}"
    container = bootstrap(Settings(database_url=url, data_dir=tmp_path), clock=clock)
    try:
        recorder = container.app.recorder
        assert isinstance(recorder, UUIDReusingSQLiteProcessRecorder)
        first, second = adopted_outcome("first"), adopted_outcome("second")
        for day in (date(2009, 2, 1), date(2009, 3, 1)):
            for outcome in (first, second):
                outcome.report_progress(outcome.report_id(str(day)), "sent", fact(day))
        container.app.save(forum_with_summits(), first, second)
        stored = recorder.select_events(first.id)
        assert [e.originator_id for e in stored] == [first.id] * 3
        assert len({id(e.originator_id) for e in stored}) == 1
        logged = recorder.select_notifications(start=None, limit=100)
        assert [n.originator_id for n in logged][-6:] == [first.id] * 3 + [second.id] * 3
        interleaved = [container.app.events_of(i)[-1].originator_id for i in (first.id, second.id)]
        assert interleaved == [first.id, second.id]
    finally:
        container.close()
