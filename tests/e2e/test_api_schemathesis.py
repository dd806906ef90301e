"""schemathesis over every operation of the live API: no server error, no response that breaks
the OpenAPI schema (status codes, content types, bodies, headers), at least 1,000 requests.

Runs schemathesis' own CLI (its pytest plugin does not support pytest 9 yet) against a real
server with a secretariat token, and counts the requests in the HAR report it writes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from adapters.api_tokens import TokenStore
from adapters.clock import FixedClock
from followup.api.app import create_app
from followup.bootstrap import bootstrap
from followup.importing.importer import Importer
from followup.settings import Settings
from tests.live_server import live_server

REFERENCE = Path(__file__).parents[2] / "data" / "reference-history.yaml"
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
]


def test_the_api_keeps_its_contract_under_a_thousand_generated_requests(tmp_path: Path) -> None:
    container = bootstrap(
        Settings(data_dir=tmp_path), clock=FixedClock(datetime(2026, 11, 22, tzinfo=UTC))
    )
    assert Importer(container.app, "import:test").run(REFERENCE.read_text(encoding="utf-8")).ok
    _, token = TokenStore(container.engine).create("fuzz", "secretariat", [], container.clock.now())
    har = tmp_path / "schemathesis.har"
    try:
        with live_server(create_app(container, background=False)) as base:
            run = subprocess.run(
                [
                    str(Path(sys.executable).parent / "schemathesis"),
                    "run",
                    f"{base}/openapi.json",
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--checks",
                    ",".join(CHECKS),
                    "--max-examples",
                    "50",
                    "--seed",
                    "20261122",
                    "--workers",
                    "1",
                    "--report",
                    "har",
                    "--report-har-path",
                    str(har),
                    "--no-color",
                ],
                capture_output=True,
                text=True,
                timeout=900,
            )
    finally:
        container.close()
    assert run.returncode == 0, run.stdout[-6000:]
    requests = len(json.loads(har.read_text(encoding="utf-8"))["log"]["entries"])
    print(f"schemathesis: {requests} requests, no failure")
    assert requests >= 1000, f"only {requests} requests were generated"
