"""The crash drill, quick: one SIGKILL round under load on each backend (the long rounds run with
``python -m reliability``; see RELIABILITY.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.crash import drill


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_no_acknowledged_write_is_lost_to_a_sigkill(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = None
    if backend == "postgres":
        url = request.getfixturevalue("database_url_postgres")
    [result] = drill(tmp_path, url, rounds=1, clients=10)
    assert result.acknowledged > 0
    assert result.lost == []
    assert result.chain_ok and result.rebuild_equal
