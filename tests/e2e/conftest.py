"""A real server: ``followup demo`` in a subprocess on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.live_server import free_port


def wait_until_up(base: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not come up")


ROOT = Path(__file__).parents[2]


def clean_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
    env["FOLLOWUP_DATA_DIR"] = str(data_dir)
    return env


def followup(env: dict[str, str], *args: str) -> str:
    """Run the ``followup`` command; its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "followup", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def start_server(
    env: dict[str, str], log_path: Path, *args: str
) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    with log_path.open("wb") as log:  # the child keeps its own handle
        process = subprocess.Popen(
            [sys.executable, "-m", "followup", *args, "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base, process)
    return base, process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=15)


@dataclass(frozen=True)
class WriteServer:
    base: str
    env: dict[str, str]
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def write_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WriteServer]:
    """``followup serve`` on the reference history, with a token for each kind of caller."""
    data_dir = tmp_path_factory.mktemp("writes")
    env = clean_env(data_dir)
    followup(env, "import", str(ROOT / "data" / "reference-history.yaml"))
    tokens = {
        "secretariat": followup(env, "tokens", "create", "--role", "secretariat", "--name", "SU"),
        "reviewer": followup(env, "tokens", "create", "--role", "reviewer", "--name", "Troika"),
        "pcdr_lead": followup(
            env,
            "tokens",
            "create",
            "--role",
            "wg_lead",
            "--name",
            "PCDR co-chair",
            "--working-group",
            "wg-policy-coherence-data-research",
        ),
        "migrants_lead": followup(
            env,
            "tokens",
            "create",
            "--role",
            "wg_lead",
            "--name",
            "PEM co-chair",
            "--working-group",
            "wg-protecting-empowering-migrants",
        ),
    }
    base, process = start_server(env, data_dir / "server.log", "serve")
    try:
        yield WriteServer(base, env, tokens)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("demo")
    base, process = start_server(clean_env(data_dir), data_dir / "server.log", "demo")
    try:
        yield base
    finally:
        stop(process)


@pytest.fixture
def client(demo_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_server, timeout=30) as http:
        yield http
