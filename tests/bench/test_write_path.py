"""How many progress reports each concurrency level of the write benchmark sends."""

from __future__ import annotations

from bench.load import PER_CLIENT, turns_for
from bench.sizes import FULL, QUICK
from bench.write_path import requests_at


def test_at_full_size_every_level_takes_turns_of_ten_requests_a_client_at_least() -> None:
    for concurrency in FULL.concurrency:
        requests = requests_at(FULL, concurrency)
        turns = turns_for(requests, concurrency)
        assert turns >= FULL.write_turns
        assert requests // turns >= PER_CLIENT * concurrency
    assert [requests_at(FULL, c) for c in FULL.concurrency] == [600, 600, 1500]


def test_the_quick_size_sends_its_few_requests_at_every_level() -> None:
    assert [requests_at(QUICK, c) for c in QUICK.concurrency] == [40, 40, 40]
