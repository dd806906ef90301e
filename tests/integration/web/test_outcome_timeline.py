"""A timeline row reads its event's fields one at a time, as ``event_data`` gives them."""

from __future__ import annotations

from adapters.read_models.event_data import BASE_FIELDS, event_data, event_type
from followup.bootstrap import Container
from followup.web.outcome_timeline import OwnFields

ABSENT = object()


def test_every_stored_event_reads_field_by_field_as_its_plain_data(loaded: Container) -> None:
    events = [event for _, event in loaded.app.notifications(0, 1_000_000)]
    assert len({event_type(e) for e in events if event_type(e).startswith("Outcome.")}) >= 5
    for event in events:
        data = event_data(event)
        fields = OwnFields(event)
        assert dict(fields) == data and list(fields) == list(data) and len(fields) == len(data)
        for key in [*data, *BASE_FIELDS, "no_such_field"]:
            assert fields.get(key, ABSENT) == data.get(key, ABSENT), (event_type(event), key)
            assert fields.get(key) == data.get(key)
