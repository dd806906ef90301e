"""The few statements every write runs in the read models, executed by the driver itself
(psycopg on PostgreSQL, sqlite3 on SQLite).

A progress report's projecting runs three statements (the outcome's row, the copy of its event
into the timeline, the projections' positions). Through SQLAlchemy each one cost about twice
the CPU the driver spends on it: the execution context, the parameters processed, the result
set up. A ``DriverStatement`` is rendered once per database, as SQLAlchemy renders it for the
connection's dialect, and then handed to the driver's cursor of the same connection, in the same
transaction, with the same bind processing (JSON; on SQLite dates too). A failure is raised as
SQLAlchemy raises it (an ``IntegrityError`` for a race, an ``OperationalError`` for a deadlock
or a locked database, the connection invalidated when the server dropped it), so callers catch
the same exceptions either way (``tests/integration/read_models/test_on_the_driver.py``).
Other databases get SQLAlchemy's own execution.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import psycopg
from sqlalchemy import Connection, Dialect, TextClause

from adapters.driver_errors import as_sqlalchemy_error, is_disconnect

Params = Mapping[str, Any]


class _Rendered:
    """The statement as the dialect renders it, its parameters' order where the driver takes
    them by position (SQLite's ``?``), and their bind processors (JSON, and on SQLite dates)."""

    def __init__(self, clause: TextClause, dialect: Dialect) -> None:
        compiled = clause.compile(dialect=dialect)
        self.sql = compiled.string
        self.order: list[str] | None = (
            list(compiled.positiontup or []) if compiled.positional else None
        )
        processors = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in compiled.binds.items()
        }
        self.processors: dict[str, Callable[[Any], Any]] = {
            name: processor for name, processor in processors.items() if processor is not None
        }

    def processed(self, params: Params) -> dict[str, Any] | tuple[Any, ...]:
        row = dict(params)
        for name, processor in self.processors.items():
            if name in row:
                row[name] = processor(row[name])
        return row if self.order is None else tuple(row[name] for name in self.order)


class DriverStatement:
    """``clause`` run by the driver itself on PostgreSQL and SQLite, by SQLAlchemy elsewhere."""

    def __init__(self, clause: TextClause) -> None:
        self.clause = clause
        self._rendered: dict[str, _Rendered] = {}

    def execute(self, connection: Connection, params: Params | Sequence[Params]) -> int:
        """Run it with ``params`` (a sequence: once for each); the rows it touched."""
        dialect = connection.dialect
        if dialect.name not in DRIVERS:
            return connection.execute(self.clause, params).rowcount
        rendered = self._rendered.get(dialect.name)
        if rendered is None:
            rendered = self._rendered[dialect.name] = _Rendered(self.clause, dialect)
        rows = [
            rendered.processed(r) for r in ([params] if isinstance(params, Mapping) else params)
        ]
        driver = connection.connection.driver_connection
        try:
            if dialect.name == "postgresql":
                return _on_psycopg(driver, rendered.sql, rows)
            return _on_sqlite(driver, rendered.sql, rows)
        except dialect.loaded_dbapi.Error as error:
            dropped = is_disconnect(dialect, error, driver)
            if dropped:
                connection.invalidate(error)
            raise as_sqlalchemy_error(error, rendered.sql, params, dialect, dropped) from error


#: the dialects whose driver runs a ``DriverStatement`` itself
DRIVERS = frozenset({"postgresql", "sqlite"})


def _on_psycopg(driver: Any, sql: str, rows: list[Any]) -> int:
    """Prepared once per connection (``prepare=True``), as SQLAlchemy's statements are."""
    assert isinstance(driver, psycopg.Connection)
    with driver.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(sql, rows[0], prepare=True)
        else:
            cursor.executemany(sql, rows)
        return cursor.rowcount


def _on_sqlite(driver: Any, sql: str, rows: list[Any]) -> int:
    """sqlite3 keeps its own cache of prepared statements, by their text."""
    assert isinstance(driver, sqlite3.Connection)
    cursor = driver.cursor()
    try:
        if len(rows) == 1:
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)
        return cursor.rowcount
    finally:
        cursor.close()
