"""The write path's SQL statements are compiled once per process, not on every write: on SQLite
compiling a statement costs more than running it (a dialect's ``on_conflict_do_update`` has no
cache key, and compiled on every progress report it cost more than the statement it saved)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import event, select

from adapters.read_models.outcome_tables import outcomes
from followup.authorization import Principal, Role
from followup.bootstrap import Container
from followup.commands.outcomes import OutcomeCommands


def test_a_progress_report_compiles_no_statement_after_the_first(loaded: Container) -> None:
    commands = OutcomeCommands(loaded, Principal("sec", Role.SECRETARIAT, kind="user"))
    with loaded.engine.connect() as connection:
        ids = [UUID(i) for i in connection.execute(select(outcomes.c.id).limit(2)).scalars()]
    commands.report_progress(ids[0], "Warms every statement up", date(2009, 3, 1))
    compiled: list[str] = []

    def note(_c: Any, _cursor: Any, statement: str, _p: Any, context: Any, _m: bool) -> None:
        raw = context is None or context.compiled is None  # the driver's own SQL: no compiling
        if not raw and context.cache_hit.name != "CACHE_HIT":
            compiled.append(f"{context.cache_hit.name}: {statement[:80]}")

    engines = {loaded.engine, loaded.runner.engine}  # the projections' own on PostgreSQL
    for engine in engines:
        event.listen(engine, "after_cursor_execute", note)
    try:
        commands.report_progress(ids[1], "Finds every statement compiled", date(2009, 3, 2))
    finally:
        for engine in engines:
            event.remove(engine, "after_cursor_execute", note)
    assert compiled == []
