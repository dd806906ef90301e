"""A view built from a folded record counts, figures and links what the record's live reports
say (the view reads them once)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from domain.calendar import Calendar
from domain.outcome_history import fold_outcome
from domain.status import status_of_record
from followup.outcome_views import Names, view_from_record
from tests.unit.adapters.read_models.test_outcome_events import ADOPTED, random_history


@pytest.mark.parametrize("seed", range(8))
def test_a_view_shows_what_the_live_reports_say(seed: int) -> None:
    history = random_history(seed, 60, 0.1)
    rng = random.Random(seed)
    for _ in range(10):
        day = ADOPTED + timedelta(days=rng.randint(0, 1500))
        record = fold_outcome(history, day)
        assert record is not None
        view = view_from_record(record, status_of_record(record, Calendar(), day), Names({}, {}))
        assert view.progress_reports == len(record.live_reports)
        assert view.percent_complete == record.latest_percent
        assert view.evidence_urls == sorted(
            {u for r in record.live_reports for u in r.evidence_urls}
            | set(record.completion_evidence)
        )
