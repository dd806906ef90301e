"""Rows written beneath SQLAlchemy (executemany of processed tuples; COPY on PostgreSQL) are
stored exactly as SQLAlchemy's own insert stores them: the same text in the database, the same
values read back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, Table, cast, delete, insert, select
from sqlalchemy.exc import IntegrityError

from adapters.read_models import bulk_insert
from adapters.read_models.bulk_insert import BulkInsert
from adapters.read_models.timeline import timeline
from followup.bootstrap import Container


def rows(count: int) -> list[tuple[object, ...]]:
    """Timeline rows with what real events carry: quotes, accents, tabs and newlines in the
    text, nested data with None, lists and unicode, aware timestamps, empty strings."""
    start = datetime(2009, 11, 4, 8, 30, 15, 123456, tzinfo=UTC)
    return [
        (
            n + 1,
            f"0000000{n % 10}-0000-4000-8000-00000000000{n % 7}",
            n % 5 + 1,
            "Outcome",
            "Outcome.ProgressReported",
            date(2007, 7, 10) + timedelta(days=n),
            "day" if n % 2 else "month",
            start + timedelta(minutes=n),
            "token:ab12" if n % 3 else "",
            'Athens "summit"\treport\nline two \\ backslash, é',
            {
                "summary": f'Réunion d\'experts n° {n}, "quoted"\ttab',
                "percent_complete": None if n % 4 else n,
                "evidence_urls": ["https://example.org/a?b=1&c=2"] * (n % 3),
                "nested": {"ü": [1, 2.5, True, None]},
            },
        )
        for n in range(count)
    ]


def stored(engine: Engine, table: Table) -> tuple[list[tuple[object, ...]], list[tuple[str, ...]]]:
    """The rows read back through SQLAlchemy, and as the database holds them (as text)."""
    with engine.connect() as connection:
        values = [tuple(row) for row in connection.execute(select(table).order_by("position"))]
        texts = [
            tuple(str(value) for value in row)
            for row in connection.execute(
                select(*(cast(column, table.c.source.type) for column in table.columns)).order_by(
                    table.c.position
                )
            )
        ]
    return values, texts


@pytest.mark.parametrize("count", [3, bulk_insert.COPY_FROM_ROWS + 20])
def test_bulk_rows_are_stored_as_sqlalchemy_stores_them(container: Container, count: int) -> None:
    engine = container.engine
    with engine.begin() as connection:
        connection.execute(delete(timeline))
        names = timeline.columns.keys()
        connection.execute(
            insert(timeline), [dict(zip(names, row, strict=True)) for row in rows(count)]
        )
    expected = stored(engine, timeline)
    with engine.begin() as connection:
        connection.execute(delete(timeline))
        BulkInsert(timeline)(connection, rows(count))
    assert stored(engine, timeline) == expected
    assert len(expected[0]) == count and expected[0][0][10]["nested"] == {"ü": [1, 2.5, True, None]}


def test_bulk_rows_roll_back_with_their_transaction(container: Container) -> None:
    engine = container.engine
    with engine.begin() as connection:
        connection.execute(delete(timeline))
    with pytest.raises(RuntimeError), engine.begin() as connection:
        BulkInsert(timeline)(connection, rows(bulk_insert.COPY_FROM_ROWS + 1))
        raise RuntimeError("the batch failed after its rows were sent")
    assert stored(engine, timeline) == ([], [])


@pytest.mark.parametrize("count", [3, bulk_insert.COPY_FROM_ROWS + 20])
def test_rows_already_there_raise_what_an_insert_raises(container: Container, count: int) -> None:
    """A runner that lost a race meets the winner's timeline rows first: it must see the
    IntegrityError it retries on, whichever way the rows went (an unwrapped psycopg error
    from COPY killed the losing instance's writer thread)."""
    engine = container.engine
    with engine.begin() as connection:
        connection.execute(delete(timeline))
        BulkInsert(timeline)(connection, rows(count))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        BulkInsert(timeline)(connection, rows(count))
    assert len(stored(engine, timeline)[0]) == count
