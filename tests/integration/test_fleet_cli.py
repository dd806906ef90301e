"""Starting the process roles as an operator does: refusals are clear and start nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from followup.bootstrap import PROJECT_ROOT, alembic_config, bootstrap
from followup.settings import Settings


def followup(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")}
    return subprocess.run(
        [sys.executable, "-m", "followup", *args],
        env={**clean, **env},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.postgres
def test_serve_refuses_a_database_that_was_never_migrated(database_url_postgres: str) -> None:
    done = followup("serve", env={"FOLLOWUP_DATABASE_URL": database_url_postgres})
    assert done.returncode == 2
    assert "is at no schema" in done.stderr
    assert "run `followup db upgrade` first" in done.stderr


@pytest.mark.postgres
def test_serve_refuses_a_schema_a_newer_version_wrote(database_url_postgres: str) -> None:
    bootstrap(Settings(database_url=database_url_postgres)).close()
    with psycopg.connect(database_url_postgres, autocommit=True) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    for role in ("serve", "worker"):
        done = followup(role, env={"FOLLOWUP_DATABASE_URL": database_url_postgres})
        assert done.returncode == 2, done.stderr
        assert "at schema revision 9999_from_the_future" in done.stderr
        assert "upgrade followup" in done.stderr


@pytest.mark.postgres
def test_db_upgrade_migrates_every_hosted_forum_in_its_own_schema(
    database_url_postgres: str, tmp_path: Path
) -> None:
    file = tmp_path / "fleet.toml"
    file.write_text(f'database_url = "{database_url_postgres}"\n[forums.gfmd]\n[forums.rcp]\n')
    done = followup("--settings", str(file), "db", "upgrade", env={})
    assert done.returncode == 0, done.stderr
    assert "gfmd: read-model schema is at the newest revision" in done.stdout
    assert "rcp: read-model schema is at the newest revision" in done.stdout
    from alembic.script import ScriptDirectory

    from followup.bootstrap import create_read_model_engine

    head = ScriptDirectory.from_config(
        alembic_config(create_read_model_engine(database_url_postgres))
    ).get_current_head()
    with psycopg.connect(database_url_postgres) as connection:
        for schema in ("forum_gfmd", "forum_rcp"):
            row = connection.execute(f"SELECT version_num FROM {schema}.alembic_version").fetchone()
            assert row == (head,)
            tables = connection.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            ).fetchone()
            assert tables is not None and tables[0] > 10  # events and read models, apart
        public = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        assert public == (0,)


def test_the_worker_role_needs_postgresql(tmp_path: Path) -> None:
    done = followup("worker", env={"FOLLOWUP_DATA_DIR": str(tmp_path)})
    assert done.returncode == 2
    assert "`followup worker` needs FOLLOWUP_DATABASE_URL to be a PostgreSQL URL" in done.stderr


def test_sqlite_is_served_by_one_process(tmp_path: Path) -> None:
    done = followup("serve", "--workers", "2", env={"FOLLOWUP_DATA_DIR": str(tmp_path)})
    assert done.returncode == 2
    assert "SQLite is served by one process" in done.stderr


def test_a_bad_settings_file_is_reported_before_anything_starts(tmp_path: Path) -> None:
    file = tmp_path / "followup.toml"
    file.write_text("[forums.gfmd]\nsmtp_hots = 'mail'\n")
    done = followup("--settings", str(file), "serve", env={"FOLLOWUP_DATA_DIR": str(tmp_path)})
    assert done.returncode == 2
    assert "unknown setting 'smtp_hots' in [forums.gfmd]" in done.stderr
    assert not (tmp_path / "forums").exists()
