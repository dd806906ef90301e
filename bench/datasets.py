"""The generated portfolio, cached by seed and size: a SQLite file and a PostgreSQL database.

Generation runs once per seed and size (on SQLite, through the real application); PostgreSQL gets
the very same stored events and read-model rows by COPY. Each run works on a fresh copy of the
cache, so the write benchmark's appends never leak into the next run.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import JSON, Engine, create_engine, select

from adapters.clock import FixedClock
from adapters.read_models.metadata import metadata
from adapters.read_models.registry import all_projections  # noqa: F401 (registers every table)
from bench.generator import PortfolioGenerator
from bench.sizes import NOW, Size
from followup.bootstrap import Container, bootstrap
from followup.settings import Settings

VAR = Path("var/bench")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_EVENTS = "followup_events"
PG_SNAPSHOTS = "followup_snapshots"
PG_TRACKING = "followup_tracking"


@dataclass(frozen=True)
class Dataset:
    """A cached portfolio and what its generation cost."""

    key: str
    events: int
    generation_seconds: float
    projection_seconds: float
    postgres_copy_seconds: float = 0.0


def clock() -> FixedClock:
    return FixedClock(NOW)


def open_container(url: str, data_dir: Path) -> Container:
    return bootstrap(Settings(database_url=url, data_dir=data_dir, secret_key="bench"), clock())


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve().as_posix()}"


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def cache_name(size: Size, seed: int) -> str:
    return f"{size.key}-seed{seed}"


def cache_file(size: Size, seed: int) -> Path:
    return VAR / f"{cache_name(size, seed)}.sqlite"


def manifest_file(size: Size, seed: int) -> Path:
    return VAR / f"{cache_name(size, seed)}.json"


def checkpoint(path: Path) -> None:
    """Fold the WAL into the main file so one file is the whole database."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def ensure_sqlite(size: Size, seed: int, say: Any = print) -> Dataset:
    """The cached SQLite portfolio, generated (and projected) on first use."""
    manifest = manifest_file(size, seed)
    if manifest.exists() and cache_file(size, seed).exists():
        return Dataset(**json.loads(manifest.read_text()))
    VAR.mkdir(parents=True, exist_ok=True)
    path = cache_file(size, seed)
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    container = open_container(sqlite_url(path), VAR)
    try:
        say(f"generating {size.outcomes} outcomes, {size.states} states, ~{size.events} events")
        started = time.perf_counter()
        events = PortfolioGenerator(size, seed).record(container.app)
        generated = time.perf_counter() - started
        say(f"  {events} events in {generated:.1f} s; projecting them")
        started = time.perf_counter()
        container.settle()
        projected = time.perf_counter() - started
        say(f"  read models built in {projected:.1f} s")
    finally:
        container.close()
    checkpoint(path)
    dataset = Dataset(cache_name(size, seed), events, generated, projected)
    manifest.write_text(json.dumps(asdict(dataset)))
    return dataset


def working_sqlite(size: Size, seed: int) -> Path:
    """A fresh copy of the cached file for this run."""
    source = cache_file(size, seed)
    target = VAR / f"work-{cache_name(size, seed)}.sqlite"
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    shutil.copyfile(source, target)
    flushed(target)
    return target


def working_url(size: Size, seed: int, backend: str) -> str:
    """The URL of a fresh working copy of the cached portfolio on ``backend``."""
    if backend == "sqlite":
        return sqlite_url(working_sqlite(size, seed))
    return working_postgres(size, seed)


def flushed(path: Path) -> None:
    """Wait until the copy is on disk: left to the kernel's writeback, the first fsync of the
    file (a checkpoint inside the first timed commits) would write out the whole copy, a
    cost the server that runs first (followup) would pay and the one after it would not."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# -- PostgreSQL ------------------------------------------------------------------------------


def pg_database_name(size: Size, seed: int) -> str:
    return "bench_" + cache_name(size, seed).replace("-", "_")


def pg_exists(name: str) -> bool:
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return found.fetchone() is not None


def drop_pg(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ensure_postgres(size: Size, seed: int, dataset: Dataset, say: Any = print) -> Dataset:
    """The cached PostgreSQL portfolio: the SQLite cache's rows, copied."""
    name = pg_database_name(size, seed)
    manifest = VAR / f"{cache_name(size, seed)}.postgres.json"
    if manifest.exists() and pg_exists(name):
        return Dataset(**json.loads(manifest.read_text()))
    drop_pg(name)
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    say(f"copying the portfolio to PostgreSQL database {name}")
    started = time.perf_counter()
    open_container(pg_url(name), VAR).close()  # creates the event tables and runs migrations
    copy_to_postgres(cache_file(size, seed), pg_url(name))
    copied = time.perf_counter() - started
    say(f"  copied in {copied:.1f} s")
    result = Dataset(**{**asdict(dataset), "postgres_copy_seconds": copied})
    manifest.write_text(json.dumps(asdict(result)))
    return result


def copy_to_postgres(sqlite_file: Path, url: str) -> None:
    """Every stored event (with its log position), outcome snapshot and read-model row, by COPY."""
    source = sqlite3.connect(sqlite_file)
    try:
        with psycopg.connect(url) as target:
            with target.cursor() as cursor:
                with cursor.copy(
                    f"COPY {PG_EVENTS} (notification_id, originator_id, originator_version, "
                    "topic, state) FROM STDIN"
                ) as copy:
                    for row in source.execute(
                        "SELECT rowid, originator_id, originator_version, topic, state "
                        "FROM stored_events ORDER BY rowid"
                    ):
                        copy.write_row(row)
                with cursor.copy(
                    f"COPY {PG_SNAPSHOTS} (originator_id, originator_version, topic, state) "
                    "FROM STDIN"
                ) as copy:
                    for row in source.execute(
                        "SELECT originator_id, originator_version, topic, state "
                        "FROM stored_snapshots"
                    ):
                        copy.write_row(row)
                cursor.execute(
                    f"SELECT setval('{PG_EVENTS}_notification_id_seq', "
                    f"(SELECT max(notification_id) FROM {PG_EVENTS}))"
                )
                for application, position in source.execute("SELECT * FROM tracking"):
                    cursor.execute(
                        f"INSERT INTO {PG_TRACKING} VALUES (%s, %s) ON CONFLICT "
                        "(application_name) DO UPDATE SET notification_id = "
                        "EXCLUDED.notification_id",
                        (application, position),
                    )
            copy_read_models(sqlite_url(sqlite_file), target)
            target.commit()
        container = open_container(url, VAR)  # the timeline, copied from the log
        try:
            container.runner.catch_up()
        finally:
            container.close()
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
    finally:
        source.close()


def copy_read_models(url: str, target: psycopg.Connection[Any]) -> None:
    """Every read-model row but the timeline's: PostgreSQL copies it from its own log at the
    first catch-up (its rows in the cache may be of an older form, ``0009``)."""
    engine = create_engine(url)
    try:
        with engine.connect() as reader, target.cursor() as cursor:
            for table in metadata.sorted_tables:
                cursor.execute(f"DELETE FROM {table.name}")
                if table.name == "timeline":
                    continue
                columns = [c.name for c in table.columns]
                is_json = [isinstance(c.type, JSON) for c in table.columns]
                with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in reader.execute(select(table)):
                        copy.write_row(
                            [
                                json.dumps(v) if j and v is not None else v
                                for v, j in zip(row, is_json, strict=True)
                            ]
                        )
            cursor.execute("DELETE FROM projection_tracking WHERE projection = 'timeline'")
    finally:
        engine.dispose()


def working_postgres(size: Size, seed: int) -> str:
    """A fresh database cloned from the cached one for this run."""
    name = f"bench_work_{size.name}"
    drop_pg(name)
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_database_name(size, seed)}"')
        connection.execute("CHECKPOINT")  # the copy written out before anything is timed
    return pg_url(name)


@contextmanager
def read_engine(url: str) -> Iterator[Engine]:
    """A plain engine on the benchmark database (for baselines and lookups)."""
    from followup.bootstrap import create_read_model_engine

    engine = create_read_model_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
