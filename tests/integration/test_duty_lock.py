"""One worker at a time projects a forum; when it dies another takes over (PostgreSQL)."""

from __future__ import annotations

import psycopg
import pytest

from adapters.duty_lock import AdvisoryLock, AlwaysHeld, duty_lock, lock_key

pytestmark = pytest.mark.postgres


def holder_backend(url: str, key: int) -> int:
    """The PostgreSQL backend holding the advisory lock ``key`` (0 if nobody)."""
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND ((classid::bigint << 32) | objid::bigint) = %s",
            (key & 0xFFFFFFFFFFFFFFFF,),
        ).fetchone()
    return int(row[0]) if row else 0


def test_only_one_holds_a_duty_and_keeps_it(database_url_postgres: str) -> None:
    first = AdvisoryLock(database_url_postgres, "gfmd", "public", "projections")
    second = AdvisoryLock(database_url_postgres, "gfmd", "public", "projections")
    try:
        assert first.hold()
        assert not second.hold()
        assert first.hold()  # still its own on the next round
        assert not second.hold()
    finally:
        first.release()
        second.release()


def test_another_takes_over_when_the_holder_releases(database_url_postgres: str) -> None:
    first = AdvisoryLock(database_url_postgres, "gfmd", "public", "projections")
    second = AdvisoryLock(database_url_postgres, "gfmd", "public", "projections")
    try:
        assert first.hold()
        first.release()
        assert second.hold()
    finally:
        second.release()


def test_when_the_holders_session_dies_the_next_try_takes_over(database_url_postgres: str) -> None:
    first = AdvisoryLock(database_url_postgres, "gfmd", "public", "projections")
    second = AdvisoryLock(database_url_postgres, "gfmd", "public", "projections")
    try:
        assert first.hold()
        pid = holder_backend(database_url_postgres, first.key)
        assert pid
        with psycopg.connect(database_url_postgres, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert second.hold()
        assert not first.hold()  # the old holder notices it lost the duty
    finally:
        first.release()
        second.release()


def test_forums_and_duties_have_locks_of_their_own(database_url_postgres: str) -> None:
    gfmd = AdvisoryLock(database_url_postgres, "gfmd", "forum_gfmd", "projections")
    rcp = AdvisoryLock(database_url_postgres, "rcp", "forum_rcp", "projections")
    try:
        assert gfmd.hold() and rcp.hold()
    finally:
        gfmd.release()
        rcp.release()
    assert lock_key("gfmd", "x", "projections") != lock_key("rcp", "x", "projections")


def test_sqlite_has_nobody_to_share_with(tmp_path) -> None:
    lock = duty_lock(f"sqlite:///{tmp_path}/f.sqlite", "gfmd", None, "projections")
    assert isinstance(lock, AlwaysHeld)
    assert lock.hold()
