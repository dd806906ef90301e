"""The log reader gives the events eventsourcing's own reading and mapper give, on both
backends: the same classes, the same fields with the same values and types, topic filters and
limits honoured, older class versions upcast."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.utils import get_topic

from adapters.log_reader import LogReader, parser
from domain.outcome import Outcome
from followup.bootstrap import Container
from tests.factories import store_v1_progress_report


def by_library(container: Container, after: int, limit: int, topics: list[str]) -> list[Any]:
    app = container.app
    found = app.recorder.select_notifications(
        start=after, limit=limit, topics=topics, inclusive_of_start=False
    )
    return [(n.id, app.mapper.to_domain_event(n)) for n in found]


def same(ours: list[Any], theirs: list[Any]) -> None:
    assert [p for p, _ in ours] == [p for p, _ in theirs]
    for (_, mine), (_, library) in zip(ours, theirs, strict=True):
        assert type(mine) is type(library)
        assert vars(mine) == vars(library)
        assert {k: type(v) for k, v in vars(mine).items()} == {
            k: type(v) for k, v in vars(library).items()
        }


def test_every_event_of_the_reference_history_decodes_as_the_library_does(
    loaded: Container,
) -> None:
    reader = LogReader(loaded.app.recorder, loaded.app.mapper)
    ours = reader.read(0, 100_000)
    assert len(ours) == loaded.app.head_position() > 100
    same(ours, by_library(loaded, 0, 100_000, []))


def test_topics_and_limits_are_honoured(loaded: Container) -> None:
    reader = LogReader(loaded.app.recorder, loaded.app.mapper)
    topics = [get_topic(Outcome.Adopted), get_topic(Outcome.DeadlineSet)]
    ours = reader.read(40, 7, topics)
    assert len(ours) == 7 and all(p > 40 for p, _ in ours)
    assert {type(e) for _, e in ours} <= {Outcome.Adopted, Outcome.DeadlineSet}
    same(ours, by_library(loaded, 40, 7, topics))
    assert reader.read(loaded.app.head_position(), 10) == []


def test_an_older_class_version_is_upcast(loaded: Container) -> None:
    store_v1_progress_report(loaded.app)
    head = loaded.app.head_position()
    reader = LogReader(loaded.app.recorder, loaded.app.mapper)
    [(_, event)] = reader.read(head - 1, 1)
    same([(head, event)], by_library(loaded, head - 1, 1, []))
    assert event.evidence_urls == ["https://example.org/old.pdf"]
    assert event.percent_complete is None and event.milestone_id is None


def test_transcoded_values_are_revived_wherever_they_are(container: Container) -> None:
    """In lists, in nested objects, beside plain values; an object that only looks transcoded
    (more keys) stays as it is: as the transcoder's own object hook decodes them."""
    raw = (
        '{"a": [{"_type_": "date_iso", "_data_": "2009-02-27"}, 1, [{"k": null}]],'
        ' "b": {"inner": {"_type_": "uuid_hex", "_data_": "' + "ab" * 16 + '"}},'
        ' "c": {"_type_": "date_iso", "_data_": "2010-01-01", "d": 1},'
        ' "e": {"_type_": "datetime_iso", "_data_": "2010-01-01T10:00:00+00:00"}}'
    )
    transcoder: Any = container.app.mapper.transcoder
    revived = parser(transcoder.names)(raw)
    assert revived == transcoder.decode(raw.encode())
    assert {k: type(v) for k, v in revived.items()} == {
        k: type(v) for k, v in transcoder.decode(raw.encode()).items()
    }
    assert str(revived["b"]["inner"]) == "abababab-abab-abab-abab-abababababab"


def test_a_ciphered_store_is_refused(container: Container) -> None:
    class Cipher:
        pass

    mapper = container.app.mapper
    mapper.cipher = Cipher()  # type: ignore[assignment]
    try:
        with pytest.raises(ValueError, match="plain JSON"):
            LogReader(container.app.recorder, mapper)
    finally:
        mapper.cipher = None
