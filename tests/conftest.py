"""Fixtures: real databases (SQLite file, PostgreSQL), a fixed clock, a wired container.

PostgreSQL tests skip locally when 127.0.0.1:5432 is unreachable and fail under CI=true.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from adapters.clock import FixedClock
from followup.bootstrap import Container, bootstrap
from followup.settings import Settings
from tests.factories import NOW

PG_ADMIN = os.environ.get("FOLLOWUP_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
REFERENCE = Path(__file__).parents[1] / "data" / "reference-history.yaml"


def _pg_reachable() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error)


@pytest.fixture(scope="session")
def postgres_available() -> None:
    problem = _pg_reachable()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required under CI=true and is unreachable: {problem}")
    pytest.skip(f"PostgreSQL unreachable: {problem}")


def _fresh_pg_database() -> tuple[str, str]:
    name = f"followup_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return name, PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def _drop_pg_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each storage test runs twice: on a SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'followup.sqlite').as_posix()}"
        return
    request.getfixturevalue("postgres_available")
    name, url = _fresh_pg_database()
    try:
        yield url
    finally:
        _drop_pg_database(name)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path, forum="gfmd")


@pytest.fixture
def container(settings: Settings, clock: FixedClock) -> Iterator[Container]:
    wired = bootstrap(settings, clock=clock)
    try:
        yield wired
    finally:
        wired.close()


@pytest.fixture
def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture
def loaded(container: Container, reference_text: str) -> Container:
    """A container with the reference history imported and projected."""
    from followup.importing.importer import Importer

    report = Importer(container.app, "import:reference-history.yaml").run(reference_text)
    assert report.ok, report.problems
    container.settle()
    return container


@pytest.fixture
def database_url_postgres(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh PostgreSQL database (for tests that run only there)."""
    request.getfixturevalue("postgres_available")
    name, url = _fresh_pg_database()
    try:
        yield url
    finally:
        _drop_pg_database(name)
