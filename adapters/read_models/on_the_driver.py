"""The few statements every write runs in the read models, executed by psycopg itself on
PostgreSQL.

A progress report's projecting runs three statements (the outcome's row, the copy of its event
into the timeline, the projections' positions). Through SQLAlchemy each one was about twice
the CPU that psycopg spends on it: the execution context, the parameters processed, the result
set up. On PostgreSQL a ``DriverStatement`` is rendered once, as SQLAlchemy renders it for the
connection's dialect, and then handed to the driver's cursor of the same connection, in the same
transaction, with the same bind processing (JSON). Anywhere else SQLAlchemy runs it. A failure
is raised as SQLAlchemy raises it (an ``IntegrityError`` for a race, an ``OperationalError``
for a deadlock, the connection invalidated when the server dropped it), so callers catch the
same exceptions on both paths (``tests/integration/read_models/test_on_the_driver.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import psycopg
from sqlalchemy import Connection, Dialect, TextClause

from adapters.driver_errors import as_sqlalchemy_error, is_disconnect

Params = Mapping[str, Any]


class _Rendered:
    """The statement as the dialect renders it, and its parameters' bind processors."""

    def __init__(self, clause: TextClause, dialect: Dialect) -> None:
        compiled = clause.compile(dialect=dialect)
        self.sql = compiled.string
        processors = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in compiled.binds.items()
        }
        self.processors: dict[str, Callable[[Any], Any]] = {
            name: processor for name, processor in processors.items() if processor is not None
        }

    def processed(self, params: Params) -> dict[str, Any]:
        row = dict(params)
        for name, processor in self.processors.items():
            if name in row:
                row[name] = processor(row[name])
        return row


class DriverStatement:
    """``clause`` run by psycopg on PostgreSQL and by SQLAlchemy elsewhere."""

    def __init__(self, clause: TextClause) -> None:
        self.clause = clause
        self._rendered: _Rendered | None = None

    def execute(self, connection: Connection, params: Params | Sequence[Params]) -> int:
        """Run it with ``params`` (a sequence: once for each); the rows it touched."""
        if connection.dialect.name != "postgresql":
            return connection.execute(self.clause, params).rowcount
        rendered = self._rendered
        if rendered is None:
            rendered = self._rendered = _Rendered(self.clause, connection.dialect)
        rows = [params] if isinstance(params, Mapping) else list(params)
        driver = connection.connection.driver_connection
        assert isinstance(driver, psycopg.Connection)
        try:
            with driver.cursor() as cursor:
                if len(rows) == 1:
                    cursor.execute(rendered.sql, rendered.processed(rows[0]), prepare=True)
                else:
                    cursor.executemany(rendered.sql, [rendered.processed(r) for r in rows])
                return cursor.rowcount
        except psycopg.Error as error:
            dropped = is_disconnect(connection.dialect, error, driver)
            if dropped:
                connection.invalidate(error)
            raise as_sqlalchemy_error(
                error, rendered.sql, params, connection.dialect, dropped
            ) from error
