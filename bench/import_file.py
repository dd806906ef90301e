"""6. Importing a large outcomes file (validated whole, then appended in one go), against a raw
batched insert: the same file parsed by the C YAML loader and one row per appended event
inserted with ``executemany`` in one transaction. No goal is set; the ratio is reported."""

from __future__ import annotations

import json
import time
from typing import Any

import yaml
from sqlalchemy import text

from bench.context import Run
from bench.datasets import VAR, open_container, read_engine
from bench.results import Goal, Result
from followup.importing.importer import Importer

GOAL = Goal(None)
REPORTS = 4


def outcomes_file(ctx: Run) -> str:
    """``size.import_outcomes`` new outcomes adopted at the 2025 summit, each with reports."""
    rng = ctx.rng("import")
    states = ctx.scalars("SELECT code FROM states ORDER BY code")
    groups = ctx.scalars("SELECT code FROM working_groups ORDER BY code")
    outcomes = []
    for index in range(ctx.size.import_outcomes):
        outcomes.append(
            {
                "code": f"imp-2025-{index:05d}",
                "adopted_at": "summit-2025",
                "adopted_on": "2025-11-16",
                "roundtable": str(index % 3 + 1),
                "session": f"{index % 3 + 1}.{index % 4 + 1}",
                "title": f"Imported outcome {index}: follow the roundtable's recommendation",
                "summary": "What the roundtable asked for, as the secretariat recorded it.",
                "source": "bench import file",
                "responsible": [{"state": s} for s in rng.sample(states, 2)],
                "working_group": rng.choice(groups),
                "deadline": {"due_on": "2027-06-30"},
                "progress": [
                    {
                        "occurred_on": f"2026-0{month}-15",
                        "summary": f"Step {month} taken on imported outcome {index}",
                        "percent_complete": month * 20,
                        "source": "bench import file",
                    }
                    for month in range(1, REPORTS + 1)
                ],
            }
        )
    document = {
        "format": "followup/1",
        "forum": {"code": "gfmd", "name": "Benchmark Forum", "languages": ["en", "fr", "es"]},
        "outcomes": outcomes,
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def raw_insert(url: str, document: str, rows: int) -> float:
    """Parse the file and insert one JSON row per event in one batched transaction."""
    with read_engine(url) as engine:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "CREATE TABLE IF NOT EXISTS bench_baseline_events "
                    "(id TEXT, version INTEGER, topic TEXT, state TEXT)"
                )
            )
        started = time.perf_counter()
        loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        parsed = yaml.load(document, Loader=loader)
        items = parsed["outcomes"]
        payload = [
            {
                "id": items[i % len(items)]["code"],
                "version": i,
                "topic": "bench",
                "state": json.dumps(items[i % len(items)]),
            }
            for i in range(rows)
        ]
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO bench_baseline_events VALUES (:id, :version, :topic, :state)"),
                payload,
            )
        return time.perf_counter() - started


def run(ctx: Run) -> None:
    document = outcomes_file(ctx)
    container = open_container(ctx.url, VAR)
    try:
        started = time.perf_counter()
        report = Importer(container.app, "import:bench").run(document)
        seconds = time.perf_counter() - started
    finally:
        container.close()
    if not report.ok:
        raise RuntimeError(f"the import was refused: {report.problems[:3]}")
    events = report.events_appended
    baseline = raw_insert(ctx.url, document, events)
    ctx.report(
        Result(
            "import",
            f"{ctx.size.import_outcomes} outcomes file",
            ctx.backend,
            events / seconds,
            events / baseline,
            "events/s",
            GOAL,
            {
                "events": events,
                "seconds": round(seconds, 2),
                "baseline_seconds": round(baseline, 2),
                "bytes": len(document),
            },
        )
    )
