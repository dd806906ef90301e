"""Crash under load: clients send progress reports while the server is killed with SIGKILL at
random moments. After each restart, every acknowledged write must be in the store, the hash chain
must hold, and the read models rebuilt from scratch must equal the live ones.

Loopback only; bounded in clients, rounds and seconds.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUTCOMES = [
    "mnl-2008-rt3.1-data-sharing-pilot",
    "mnl-2008-rt3.1-census-2010-migration-questions",
    "mnl-2008-rt3.2-coherence-on-agenda",
    "mnl-2008-rt3.2-information-sharing-platform",
    "mnl-2008-rt3.2-good-practice",
    "mnl-2008-rt3.2-focal-points",
    "mnl-2008-rt3.3-virtual-platform",
    "mnl-2008-rt3.3-rcp-common-approaches",
]


@dataclass
class RoundResult:
    acknowledged: int = 0
    refused: int = 0
    lost: list[str] = field(default_factory=list)
    chain_ok: bool = False
    rebuild_equal: bool = False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
    env["FOLLOWUP_DATA_DIR"] = str(data_dir)
    env["FOLLOWUP_SCHEDULER_INTERVAL_SECONDS"] = "3600"
    if database_url:
        env["FOLLOWUP_DATABASE_URL"] = database_url
        env["FOLLOWUP_EMBEDDED_WORKER"] = "true"  # one server here: it projects, by duty lock
    return env


def followup(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "followup", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return done.stdout.strip()


def prepare(env: dict[str, str]) -> str:
    followup(env, "import", str(ROOT / "data" / "reference-history.yaml"))
    return followup(env, "tokens", "create", "--role", "secretariat", "--name", "crash drill")


@contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "followup", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("the server did not come up")
        time.sleep(0.05)
    try:
        yield base, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def load(
    base: str,
    token: str,
    clients: int,
    stop: threading.Event,
    acked: list[tuple[str, str]],
    refused: list[int],
    seed: int,
) -> list[threading.Thread]:
    """Each client posts reports until ``stop``; a 2xx is an acknowledgement to keep."""
    lock = threading.Lock()

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        with httpx.Client(base_url=base, timeout=5) as http:
            while not stop.is_set():
                outcome = rng.choice(OUTCOMES)
                summary = f"drill {seed}-{number}-{uuid.uuid4().hex[:10]}"
                try:
                    response = http.post(
                        f"/api/v1/outcomes/{outcome}/progress",
                        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": summary},
                        json={"summary": summary},
                    )
                except httpx.TransportError:
                    return  # the server is gone
                with lock:
                    if 200 <= response.status_code < 300:
                        acked.append((outcome, summary))
                    else:
                        refused.append(response.status_code)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    return threads


def recorded_summaries(base: str) -> set[str]:
    found: set[str] = set()
    with httpx.Client(base_url=base, timeout=30) as http:
        for outcome in OUTCOMES:
            for event in http.get(f"/api/v1/outcomes/{outcome}/history").json()["events"]:
                if event["event_type"] == "Outcome.ProgressReported":
                    found.add(event["data"]["summary"])
    return found


def read_models(env: dict[str, str]) -> str:
    """Every read-model table, rows sorted (the rebuild comparison)."""
    code = (
        "from followup.bootstrap import bootstrap\n"
        "from adapters.read_models.metadata import metadata\n"
        "from sqlalchemy import select\n"
        "c = bootstrap()\n"
        "c.settle()\n"
        "skip = {'api_tokens', 'idempotency_records', 'users', 'focal_points',\n"
        "        'projection_tracking'}\n"
        "with c.engine.connect() as cn:\n"
        "    for t in metadata.sorted_tables:\n"
        "        if t.name in skip: continue\n"
        "        rows = sorted(repr(tuple(map(str, r))) for r in cn.execute(select(t)))\n"
        "        print(t.name, len(rows), hash(tuple(rows)))\n"
        "c.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return done.stdout


def crash_round(
    env: dict[str, str], token: str, log: Path, clients: int, seed: int, rng: random.Random
) -> RoundResult:
    result = RoundResult()
    acked: list[tuple[str, str]] = []
    refused: list[int] = []
    stop = threading.Event()
    with server(env, log) as (base, process):
        threads = load(base, token, clients, stop, acked, refused, seed)
        warm = time.monotonic() + 20
        while len(acked) < clients and time.monotonic() < warm:
            time.sleep(0.05)  # under load first, then a kill at a random moment
        time.sleep(rng.uniform(0.0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    result.acknowledged, result.refused = len(acked), len(refused)
    with server(env, log) as (base, _):
        present = recorded_summaries(base)
    result.lost = [summary for _, summary in acked if summary not in present]
    verify = subprocess.run(
        [sys.executable, "-m", "followup", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result.chain_ok = verify.returncode == 0
    live = read_models(env)
    followup(env, "projections", "rebuild")
    result.rebuild_equal = read_models(env) == live
    return result


def drill(
    data_dir: Path, database_url: str | None, rounds: int, clients: int, seed: int = 7
) -> list[RoundResult]:
    env = env_for(data_dir, database_url)
    token = prepare(env)
    rng = random.Random(seed)
    log = data_dir / "servers.log"
    return [crash_round(env, token, log, clients, seed + n, rng) for n in range(rounds)]
