"""The fleet on PostgreSQL as real processes on loopback: two `followup serve` (one of them with
two serving processes) and two `followup worker`. Writes go through both servers; the worker
that holds the projection duty is killed with SIGKILL; the other takes the duty over, and the
read models and the reminders carry on with nothing lost and nothing sent twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import httpx
import psycopg
import pytest
from sqlalchemy import select

from adapters.api_tokens import TokenStore
from adapters.clock import FixedClock
from adapters.duty_lock import lock_key
from adapters.focal_points import FocalPointStore
from adapters.read_models.reminder_ledger import reminders
from followup.bootstrap import PROJECT_ROOT, Container, bootstrap
from followup.importing.importer import Importer
from followup.settings import Settings
from tests.integration.reminders.conftest import NEXT_SUMMIT, history_until_athens, owe
from tests.integration.test_projections import snapshot
from tests.live_server import free_port
from tests.smtp_server import Inbox, smtp_server

pytestmark = pytest.mark.postgres

#: 30 days before the Athens summit (2 November 2009): the first digests fall due.
NOW = datetime(2009, 10, 3, 9, 0, tzinfo=UTC)
EVERYONE = ["amal@example.ma", "eleni@example.gr", "jo@example.au", "sven@example.se"]


def wait_for(what: str, check: Callable[[], Any], timeout: float = 90) -> Any:
    """Poll until ``check`` returns something truthy (processes take their own time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Fleet:
    url: str
    env: dict[str, str]
    log_dir: Path
    processes: dict[str, subprocess.Popen[bytes]]
    log_files: list[BinaryIO] = field(default_factory=list)

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("wb")
        self.log_files.append(log)
        process = subprocess.Popen(
            [sys.executable, "-m", "followup", *args],
            env=self.env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes[name] = process
        return process

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.log_dir.glob("*.log"))
        )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)
        for log in self.log_files:
            log.close()


def projection_holder(url: str) -> int:
    """The PostgreSQL backend that holds gfmd's projection duty (0: nobody)."""
    key = lock_key("gfmd", "public", "projections") & 0xFFFFFFFFFFFFFFFF
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND ((classid::bigint << 32) | objid::bigint) = %s",
            (key,),
        ).fetchone()
    return int(row[0]) if row else 0


def backend_of_process(url: str, backend: int) -> str:
    """Which worker a backend serves: its client port is one of that process's sockets."""
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT client_port FROM pg_stat_activity WHERE pid = %s", (backend,)
        ).fetchone()
    return str(row[0]) if row else ""


def owns_port(pid: int, port: str) -> bool:
    """Whether process ``pid`` has a TCP socket bound to local ``port`` (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    hex_port = f"{int(port):04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(f":{hex_port}") and fields[9] in inodes:
                return True
    return False


def prepare_store(url: str, data_dir: Path) -> str:
    """The reference history up to Athens, two states owing outcomes, four focal points, and
    a secretariat token, written as an operator would before starting the fleet."""
    clock = FixedClock(datetime(2026, 11, 22, tzinfo=UTC))  # the history is recorded today
    container = bootstrap(Settings(database_url=url, data_dir=data_dir), clock, migrate=True)
    try:
        reference = (PROJECT_ROOT / "data" / "reference-history.yaml").read_text("utf-8")
        assert Importer(container.app, "import:test").run(history_until_athens(reference)).ok
        clock.move_to(NOW)  # the fleet runs on 3 October 2009
        owe(container, "ma-before-athens", "MA", NEXT_SUMMIT, date(2009, 9, 1))
        owe(container, "se-before-athens", "SE", NEXT_SUMMIT, date(2009, 9, 1))
        points = FocalPointStore(container.engine, "gfmd")
        points.add("MA", "Amal Benali", "amal@example.ma", "fr", NOW)
        points.add("SE", "Sven Berg", "sven@example.se", "es", NOW)
        points.add("AU", "Jo Smith", "jo@example.au", "en", NOW)
        points.add("GR", "Eleni Pappa", "eleni@example.gr", "en", NOW)
        container.settle()
        _, token = TokenStore(container.engine).create("fleet test", "secretariat", [], NOW)
        return token
    finally:
        container.close()


@pytest.fixture
def fleet(database_url_postgres: str, tmp_path: Path) -> Iterator[tuple[Fleet, Inbox, str]]:
    token = prepare_store(database_url_postgres, tmp_path)
    with smtp_server() as (inbox, smtp_port):
        clean = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
        env = {
            **clean,
            "FOLLOWUP_DATABASE_URL": database_url_postgres,
            "FOLLOWUP_DATA_DIR": str(tmp_path),
            "FOLLOWUP_SECRET_KEY": "fleet-test-secret",
            "FOLLOWUP_FROZEN_CLOCK": NOW.isoformat(),
            "FOLLOWUP_SMTP_HOST": "127.0.0.1",
            "FOLLOWUP_SMTP_PORT": str(smtp_port),
            "FOLLOWUP_POLL_INTERVAL_SECONDS": "0.2",
            "FOLLOWUP_WORKER_LOCK_SECONDS": "0.3",
            "FOLLOWUP_SCHEDULER_INTERVAL_SECONDS": "0.5",
            "FOLLOWUP_READ_YOUR_WRITES_TIMEOUT_SECONDS": "30",
        }
        running = Fleet(database_url_postgres, env, tmp_path, {})
        try:
            yield running, inbox, token
        except BaseException:
            print(running.logs())
            raise
        finally:
            running.stop()


def started(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def report_progress(base: str, token: str, outcome: str, summary: str) -> dict[str, Any]:
    response = httpx.post(
        f"{base}/api/v1/outcomes/{outcome}/progress",
        json={"summary": summary, "occurred_on": "2009-10-02"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def sent_ledger(url: str) -> list[str]:
    """The states of the reminders due by now (later offsets stay planned)."""
    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT state FROM reminders WHERE send_on <= %s", (NOW.date(),))
        return [str(r[0]) for r in rows]


def test_the_fleet_carries_on_when_the_projecting_worker_dies(
    fleet: tuple[Fleet, Inbox, str], tmp_path: Path
) -> None:
    running, inbox, token = fleet
    url = running.url
    first = running.start("worker-1", "worker")
    wait_for("worker-1 to take the projection duty", lambda: projection_holder(url))
    holder = projection_holder(url)
    port = backend_of_process(url, holder)
    assert owns_port(first.pid, port), "the duty is held by the first worker"
    running.start("worker-2", "worker")
    bases = [f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"]
    running.start("serve-a", "serve", "--port", bases[0].rsplit(":", 1)[1], "--workers", "2")
    running.start("serve-b", "serve", "--port", bases[1].rsplit(":", 1)[1])
    for base in bases:
        wait_for(f"{base} to serve", lambda base=base: started(base))

    # the first digests go out once, whichever worker claims each
    wait_for("the four digests of 3 October", lambda: len(inbox.messages) >= 4)
    wait_for("the ledger to record them sent", lambda: sent_ledger(url) == ["sent"] * 4)

    outcomes = httpx.get(f"{bases[1]}/api/v1/outcomes", timeout=30).json()["items"]
    ids = [o["id"] for o in outcomes[:5]]
    acknowledged: list[dict[str, Any]] = []

    def write_round(label: str, count: int) -> None:
        with ThreadPoolExecutor(max_workers=6) as pool:
            futures = [
                pool.submit(
                    report_progress, bases[i % 2], token, ids[i % len(ids)], f"{label} #{i}"
                )
                for i in range(count)
            ]
            acknowledged.extend(f.result() for f in futures)

    write_round("before the kill", 20)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    taken_over = wait_for(
        "another worker to take the duty over",
        lambda: (found := projection_holder(url)) and found != holder and found,
        timeout=30,
    )
    assert owns_port(running.processes["worker-2"].pid, backend_of_process(url, taken_over))

    write_round("after the kill", 20)
    # read-your-writes across servers: what A acknowledged, B shows, projected by worker-2
    last = max(r["log_position"] for r in acknowledged)

    def caught_up() -> bool:
        health = httpx.get(f"{bases[1]}/healthz", timeout=10).json()
        return bool(health["head_position"] >= last and not any(health["projection_lag"].values()))

    wait_for("the read models to reach the last write", caught_up)

    # a new responsibility after the kill: the surviving worker plans and sends its digest
    later = bootstrap(Settings(database_url=url, data_dir=tmp_path), clock=FixedClock(NOW))
    later.projects_inline = False  # the fleet's worker projects; this only waits for it
    try:
        FocalPointStore(later.engine, "gfmd").add("FI", "Aino", "aino@example.fi", "en", NOW)
        owe(later, "fi-before-athens", "FI", NEXT_SUMMIT, date(2009, 10, 1))
    finally:
        later.close()
    wait_for("Finland's digest", lambda: len(inbox.messages) >= 5)
    wait_for("the ledger to record it sent", lambda: sent_ledger(url) == ["sent"] * 5)

    running.stop()
    received = inbox.take()
    recipients = sorted(str(m["To"]).split("<")[-1].rstrip(">") for m in received)
    assert recipients == sorted([*EVERYONE, "aino@example.fi"])
    assert len({m["Message-ID"] for m in received}) == 5

    check = bootstrap(Settings(database_url=url, data_dir=tmp_path), clock=FixedClock(NOW))
    try:
        assert_nothing_lost_or_doubled(check, acknowledged)
    finally:
        check.close()


def assert_nothing_lost_or_doubled(
    container: Container, acknowledged: list[dict[str, Any]]
) -> None:
    """Every acknowledged report is in the log once; the read models equal a rebuild."""
    recorder = container.app.recorder
    stored = recorder.select_notifications(0, 100_000, inclusive_of_start=False)
    events = [container.app.mapper.to_domain_event(n) for n in stored]
    summaries = [str(getattr(e, "summary", "")) for e in events]
    assert len(acknowledged) == 40
    for label in ("before the kill", "after the kill"):
        for i in range(20):
            marker = f"{label} #{i}"
            assert summaries.count(marker) == 1, marker
    live = snapshot(container)
    with container.engine.connect() as connection:
        states = [r.state for r in connection.execute(select(reminders))]
    assert states.count("sent") == 5 and set(states) == {"sent", "planned"}
    container.runner.rebuild()
    assert snapshot(container) == live
