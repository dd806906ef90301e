"""The last answer of a costly page part, kept with the state it was computed from: asked again
before anything it depends on has changed (no new event, no projection moved, the same day), it
is answered without recomputing. Any change of that state recomputes it."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from sqlalchemy import Date, Engine, bindparam, exists, select

from adapters.read_models.metadata import projection_tracking, read_model_state
from adapters.read_models.outcome_status import outcomes
from followup.queries import OutcomeQueries

T = TypeVar("T")


class LastAnswer(Generic[T]):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: Hashable = None
        self._value: T | None = None

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if self._value is not None and self._key == key:
                return self._value
        value = compute()
        with self._lock:
            self._key, self._value = key, value
        return value


class KeptAnswers(Generic[T]):
    """Several answers computed from one state (one per language, per query string...): all
    dropped as soon as the state moves, and at most ``size`` of them kept (the least recently
    asked goes first), so readers choosing query strings cannot make it grow."""

    def __init__(self, size: int = 64) -> None:
        self._lock = threading.Lock()
        self._size = size
        self._state: Hashable = None
        self._answers: OrderedDict[Hashable, T] = OrderedDict()

    def get(self, state: Hashable, detail: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if self._state == state and detail in self._answers:
                self._answers.move_to_end(detail)
                return self._answers[detail]
        value = compute()
        with self._lock:
            if self._state != state:
                self._state, self._answers = state, OrderedDict()
            self._answers[detail] = value
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)
        return value


def read_models_now(engine: Engine) -> tuple[tuple[str, int], ...]:
    """Where every read model stands: what today's answers from the read models depend on."""
    with engine.connect() as connection:
        return read_model_state(connection)


# built once: a statement built per call costs more in SQLAlchemy's cache key than it runs
_STANDING = select(
    projection_tracking.c.projection,
    projection_tracking.c.position,
    exists().where(outcomes.c.changes_on <= bindparam("today", type_=Date)).label("due"),
).order_by(projection_tracking.c.projection)


def read_models_today(queries: OutcomeQueries) -> tuple[tuple[str, int], ...]:
    """Where every read model stands once the statuses whose day has come are rewritten
    (``OutcomeQueries.refresh``): asked in one round trip with whether any such row is left,
    refreshed (and asked again) only when one is."""
    engine = queries.container.engine
    with engine.connect() as connection:
        rows = list(connection.execute(_STANDING, {"today": queries.today}))
    if rows and not any(row.due for row in rows):
        return tuple((row.projection, int(row.position)) for row in rows)
    queries.refresh()
    return read_models_now(engine)


_answers: weakref.WeakKeyDictionary[Any, dict[str, LastAnswer[Any]]] = weakref.WeakKeyDictionary()
_kept: weakref.WeakKeyDictionary[Any, dict[str, KeptAnswers[Any]]] = weakref.WeakKeyDictionary()
_registry = threading.Lock()


def last_answer(owner: Any, name: str) -> LastAnswer[Any]:
    """The kept answer called ``name`` of ``owner`` (one forum's queries), made on first use."""
    with _registry:
        kept = _answers.setdefault(owner, {})
        return kept.setdefault(name, LastAnswer())


def kept_answers(owner: Any, name: str) -> KeptAnswers[Any]:
    """The answers called ``name`` of ``owner`` (one forum's queries), made on first use."""
    with _registry:
        kept = _kept.setdefault(owner, {})
        return kept.setdefault(name, KeptAnswers())
