"""Start a followup or baseline server in a subprocess and wait until it answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server(NamedTuple):
    base: str
    pid: int  # its process: what it spends is read from /proc (``bench.write_cpu``)


@contextmanager
def served(kind: str, url: str, probe: str = "/openapi.json") -> Iterator[str]:
    """The base URL of a fresh server of ``kind`` on ``url``; stopped on exit."""
    with serving(kind, url, probe) as server:
        yield server.base


@contextmanager
def serving(kind: str, url: str, probe: str = "/openapi.json") -> Iterator[Server]:
    """A fresh server of ``kind`` on ``url``, up and answering; stopped on exit."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.serve", kind, url, str(port)],
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the {kind} server exited with {process.returncode}")
            try:
                if httpx.get(base + probe, timeout=5).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the {kind} server did not start")
            time.sleep(0.1)
        yield Server(base, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
