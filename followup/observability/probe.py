"""A quick "does the database answer?", asked before the event store is.

The event store's own calls retry for about twenty seconds when PostgreSQL is gone, longer than
any probe waits; events and read models live in the same database, so one ``SELECT 1`` through
the read-model engine (which checks its connections before use) answers at once.
"""

from __future__ import annotations

from sqlalchemy import Engine, text


def database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any driver error: the database did not answer
        return False
    return True
