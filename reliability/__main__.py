"""``python -m reliability``: the fault drills, quick or long, with a summary to paste into
RELIABILITY.md. The quick part also runs in the test suite (tests/reliability)."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import psycopg

from reliability.crash import drill

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def pg_database() -> tuple[str, str]:
    name = f"followup_drill_{int(time.time())}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return name, PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as data:
            url = None
            name = None
            if backend == "postgres":
                name, url = pg_database()
            started = time.monotonic()
            results = drill(Path(data), url, args.rounds, args.clients)
            took = time.monotonic() - started
            acked = sum(r.acknowledged for r in results)
            lost = sum(len(r.lost) for r in results)
            chains = sum(r.chain_ok for r in results)
            equal = sum(r.rebuild_equal for r in results)
            print(
                f"{backend}: {args.rounds} SIGKILL rounds, {args.clients} clients, {took:.0f} s: "
                f"acknowledged writes lost {lost} of {acked}; hash chain intact after "
                f"{chains}/{args.rounds} restarts; rebuilt read models equal to live "
                f"{equal}/{args.rounds}"
            )
            if name:
                with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
