"""Many rows into one table at once, beneath SQLAlchemy's handling of each row's parameters.

A rebuild writes every event of the log as a timeline row: through ``Connection.execute`` each
row's dict of parameters was looked at, defaulted and processed one by one, which cost more than
SQLite's own insert. Here rows are tuples in the table's column order, the columns' own bind
processors (SQLAlchemy's, so values are stored exactly as an ORM insert stores them) are applied
in one loop, and the driver takes the lot: ``executemany`` on SQLite, ``COPY`` on PostgreSQL for
a large batch (one stream instead of a statement per row).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError

#: from this many rows on, PostgreSQL gets them by COPY (two round trips whatever the count);
#: fewer go as one pipelined ``executemany``, cheaper for the write path's handful
COPY_FROM_ROWS = 100

Processor = Callable[[Any], Any]


class BulkInsert:
    """Inserts tuples of values, in ``table``'s column order, within the caller's transaction."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.names = [column.name for column in table.columns]
        #: per dialect: the (column index, processor) pairs of the columns that have one
        self._processors: dict[str, list[tuple[int, Processor]]] = {}

    def __call__(self, connection: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        dialect = connection.dialect
        processed = self._processed(connection, rows)
        columns = ", ".join(dialect.identifier_preparer.quote(name) for name in self.names)
        table = dialect.identifier_preparer.format_table(self.table)
        if dialect.name == "postgresql" and len(processed) >= COPY_FROM_ROWS:
            driver = connection.connection.driver_connection
            statement = f"COPY {table} ({columns}) FROM STDIN"
            try:
                with (
                    driver.cursor() as cursor,  # type: ignore[union-attr]
                    cursor.copy(statement) as copy,
                ):
                    for row in processed:
                        copy.write_row(row)
            except dialect.loaded_dbapi.Error as error:
                # as SQLAlchemy raises it for an insert (IntegrityError, OperationalError...):
                # a runner that lost a race to another instance meets the other's rows here
                # first, and retries on IntegrityError; a deadlock is retried too
                raise DBAPIError.instance(
                    statement, None, error, dialect.loaded_dbapi.Error, dialect=dialect
                ) from error
            return
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        values = ", ".join(marker for _ in self.names)
        connection.exec_driver_sql(f"INSERT INTO {table} ({columns}) VALUES ({values})", processed)

    def _processed(
        self, connection: Connection, rows: Sequence[tuple[Any, ...]]
    ) -> list[tuple[Any, ...]]:
        """The rows with each value as the dialect stores it (dates as text on SQLite, JSON
        serialised)."""
        dialect = connection.dialect
        processors = self._processors.get(dialect.name)
        if processors is None:
            processors = self._processors[dialect.name] = []
            for index, column in enumerate(self.table.columns):
                found = column.type.dialect_impl(dialect).bind_processor(dialect)
                if found is not None:
                    processors.append((index, found))
        if not processors:
            return list(rows)
        out = []
        for row in rows:
            values = list(row)
            for index, process in processors:
                values[index] = process(values[index])
            out.append(tuple(values))
        return out
