"""What replaying much of the log at once needs: its tables emptied fast, the collector paused.

Used by a rebuild and by a catch-up that finds a backlog (``runner.py``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Table, delete


def empty(connection: Connection, tables: Iterable[Table]) -> None:
    """Delete every row of ``tables`` in the caller's transaction. PostgreSQL truncates them:
    a DELETE of a million timeline rows left a million dead ones for the rebuild's inserts to
    work around and for vacuum to clear. Readers wait for the emptying transaction, short,
    instead of reading the old rows meanwhile; SQLite empties a table without a WHERE as
    fast."""
    tables = list(tables)
    if connection.dialect.name == "postgresql" and tables:
        names = ", ".join(connection.dialect.identifier_preparer.format_table(t) for t in tables)
        connection.exec_driver_sql(f"TRUNCATE {names}")
        return
    for table in tables:
        connection.execute(delete(table))


@contextmanager
def collection_paused() -> Iterator[None]:
    """No automatic garbage collection while a rebuild runs.

    A rebuild allocates millions of objects (decoded events, rows, folded records) that are
    either kept or freed by reference counting; the collector's passes over them found nothing
    to free and cost a third of a quick rebuild (more at full size, where the kept records
    make every full pass long). What little a rebuild leaves in cycles waits for the next
    automatic collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
