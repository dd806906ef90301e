"""A driver's errors as SQLAlchemy raises them, for the few statements followup hands to the
driver itself (the token check on PostgreSQL, ``adapters.read_models.on_the_driver``): callers
catch the same exceptions whichever way a statement went."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.exc import DBAPIError, StatementError


def is_disconnect(dialect: Dialect, error: Exception, driver: Any) -> bool:
    """Whether ``error`` means the server dropped the connection (SQLAlchemy's own test)."""
    return dialect.is_disconnect(error, driver, None)  # type: ignore[arg-type]


def as_sqlalchemy_error(
    error: Exception, statement: str, params: Any, dialect: Dialect, dropped: bool
) -> StatementError:
    """The exception SQLAlchemy would have raised for ``error`` (an ``IntegrityError``, an
    ``OperationalError``…), marked as having invalidated the connection when it was dropped."""
    return DBAPIError.instance(
        statement,
        params,
        error,
        dialect.loaded_dbapi.Error,
        connection_invalidated=dropped,
        dialect=dialect,
    )
