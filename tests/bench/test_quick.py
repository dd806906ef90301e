"""``python -m bench --quick`` runs all six benchmarks end to end and reports each figure with its
baseline and ratio (no timing thresholds: the figures are only printed and saved)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SIX = {"write", "reads", "as_of", "rebuild", "reminders", "import"}


def run_module(*args: str, timeout: int = 300) -> str:
    """``python -m <args>`` from the project's root; its output, once it exits with 0."""
    finished = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    return finished.stdout


@pytest.mark.postgres
def test_quick_run_reports_every_benchmark_on_both_backends(
    postgres_available: None, tmp_path: Path
) -> None:
    output = tmp_path / "results.json"
    stdout = run_module("bench", "--quick", "--output", str(output), timeout=600)
    lines = [line for line in stdout.splitlines() if " ratio=" in line]
    for benchmark in SIX:
        mine = [line for line in lines if line.startswith(benchmark)]
        assert mine, f"{benchmark} printed no figure"
        assert all("figure=" in line and "baseline=" in line for line in mine)
    writes = [line for line in lines if line.startswith("write")]
    assert len(writes) == 6  # 1, 10 and 50 clients on each backend, with their latencies
    assert all(line.count("p50 ") == 2 and line.count("p99 ") == 2 for line in writes)
    results = json.loads(output.read_text())["results"]
    # the rebuild from snapshots, with a replay of every event reported beside it
    assert {r["benchmark"] for r in results} == SIX | {"rebuild_replay_all"}
    assert {r["backend"] for r in results} == {"sqlite", "postgres"}
    for result in results:
        assert result["figure"] > 0 and result["baseline"] > 0 and result["ratio"] > 0


@pytest.mark.postgres
def test_rebuild_parts_lists_where_a_quick_rebuild_spends_its_time(
    postgres_available: None,
) -> None:
    """Runs after the quick run above, which leaves the cached portfolio it reads."""
    for backend in ("sqlite", "postgres"):
        stdout = run_module("bench.rebuild_parts", "--quick", "--backend", backend)
        for part in ("reading and decoding the log", "timeline.copy_from_log", "the whole rebuild"):
            assert part in stdout, f"{backend}: no {part!r} in {stdout}"


@pytest.mark.postgres
def test_write_cpu_splits_a_write_between_client_server_and_database(
    postgres_available: None, tmp_path: Path
) -> None:
    """Runs after the quick run above, which leaves the cached portfolio it writes to."""
    output = tmp_path / "write-cpu.json"
    stdout = run_module(
        "bench.write_cpu", "--quick", "--turns", "2", "--requests", "20", "--output", str(output)
    )
    assert "throughput ratio at 1 client" in stdout
    results = json.loads(output.read_text())["results"]
    assert set(results) == {"sqlite", "postgres"}
    for backend, sides in results.items():
        assert set(sides) == {"followup", "bare endpoint"}
        for side in sides.values():
            assert side["latency"] > 0 and side["server user"] > 0, (backend, side)
        # SQLite runs inside the server; PostgreSQL's processes do the database's work
        assert (sides["followup"]["database"] > 0) == (backend == "postgres"), (backend, sides)


@pytest.mark.postgres
def test_write_parts_lists_where_a_progress_report_spends_its_time(
    postgres_available: None,
) -> None:
    """Runs after the quick run above, which leaves the cached portfolio it writes to."""
    for backend in ("sqlite", "postgres"):
        stdout = run_module("bench.write_parts", "--quick", "--backend", backend, "--writes", "30")
        for part in ("the token's check", "the append", "timeline.copy_from_log", "the whole"):
            assert part in stdout, f"{backend}: no {part!r} in {stdout}"
