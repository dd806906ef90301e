"""What every write shares: errors the API maps to HTTP, the receipt, load/authorise/save."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Concatenate, ParamSpec, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from domain.errors import (
    AlreadyCompletedError,
    DomainError,
    DuplicateCodeError,
    MeetingAlreadyClosedError,
    NotCompletedError,
    OutcomeClosedError,
    UnknownMeetingError,
    UnknownReportError,
    UnknownStateError,
)
from domain.outcome import Outcome
from domain.provenance import Provenance
from followup.authorization import Operation, Principal, is_allowed
from followup.bootstrap import Container

A = TypeVar("A", bound=Aggregate)
log = logging.getLogger(__name__)


C = TypeVar("C", bound="CommandContext")
P = ParamSpec("P")
R = TypeVar("R")


class CommandError(Exception):
    """A write that was refused; nothing was appended."""

    status = 400

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotFoundError(CommandError):
    status = 404


class UnknownAggregateError(NotFoundError):
    """The store holds no aggregate of that kind under the id a command was given."""

    def __init__(self, label: str, aggregate_id: UUID) -> None:
        super().__init__(f"no {label} {aggregate_id}")
        self.aggregate_id = aggregate_id


class ForbiddenError(CommandError):
    status = 403


class ConflictError(CommandError):
    status = 409


class StaleVersionError(CommandError):
    status = 412

    def __init__(self, current: int, lost_race: bool = False) -> None:
        super().__init__(f"the record is at version {current}; reload it and retry")
        self.current = current
        self.lost_race = lost_race


class InvalidError(CommandError):
    status = 422


def translate(error: DomainError, field: str | None = None) -> CommandError:
    """A domain rule's refusal as the error the API reports."""
    if isinstance(error, UnknownReportError | UnknownMeetingError):
        return NotFoundError(str(error))
    if isinstance(
        error,
        OutcomeClosedError
        | AlreadyCompletedError
        | NotCompletedError
        | MeetingAlreadyClosedError
        | DuplicateCodeError,
    ):
        return ConflictError(str(error), field)
    if isinstance(error, UnknownStateError):
        return InvalidError(str(error), field or "state")
    return InvalidError(str(error), field)


@dataclass(frozen=True)
class Receipt:
    """What a write appended: the aggregate, its new version, the events, the log position."""

    aggregate_id: UUID
    version: int
    recorded: list[str]
    log_position: int
    created_id: UUID | None = None
    extra: dict[str, str] = field(default_factory=dict)


class CommandContext:
    """Load, authorise, stamp, save and project: the steps every command takes."""

    def __init__(self, container: Container, principal: Principal) -> None:
        self.container = container
        self.app = container.app
        self.principal = principal
        #: outcomes loaded as this process keeps them, unchecked, by a command run through
        #: ``decided_on_the_newest`` (their versions then); None outside such a command
        self._unchecked: dict[UUID, int] | None = None

    @property
    def forum(self) -> str:
        return self.app.forum_code

    def load(self, aggregate_id: UUID, kind: type[A], label: str) -> A:
        if self._unchecked is not None and kind is Outcome:
            kept = self.app.repository.kept_as_is(aggregate_id)  # type: ignore[attr-defined]
            if isinstance(kept, kind):
                self._unchecked[aggregate_id] = kept.version
                return kept
        try:
            aggregate: object = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise UnknownAggregateError(label, aggregate_id) from None
        if not isinstance(aggregate, kind):
            raise UnknownAggregateError(label, aggregate_id)
        return aggregate

    def authorise(self, operation: Operation, working_group: UUID | None) -> None:
        scope = str(working_group) if working_group else None
        if not is_allowed(self.principal, operation, scope):
            raise ForbiddenError(
                f"a {self.principal.role} token may not {operation.replace('_', ' ')} here"
            )

    def _any_moved_on(self) -> bool:
        """Whether another process appended to an outcome loaded unchecked (each one is read
        from the store, which also brings the kept state up to date)."""
        unchecked, self._unchecked = self._unchecked or {}, {}
        return any(self.app.repository.get(i).version > v for i, v in unchecked.items())

    @staticmethod
    def check_version(aggregate: Aggregate, if_match: int | None) -> None:
        if if_match is not None and if_match != aggregate.version:
            raise StaleVersionError(aggregate.version)

    @staticmethod
    def decide(step: Callable[[], object], field: str | None = None) -> None:
        """Run a domain command; its refusal becomes the error the API reports."""
        try:
            step()
        except DomainError as error:
            raise translate(error, field) from None

    def fact(self, occurred_on: date | None, source: str = "") -> Provenance:
        today = self.container.clock.today()
        day = occurred_on or today
        if day > today:
            raise InvalidError(f"{day} is in the future", "occurred_on")
        return self.app.fact(day, self.principal.actor, source)

    def save(self, primary: Aggregate, *others: Aggregate, created: UUID | None = None) -> Receipt:
        """Append atomically, then bring the read models up to date (read-your-writes)."""
        recorded = [type(e).__qualname__ for a in (primary, *others) for e in a.pending_events]
        try:
            recordings = self.app.save(primary, *others)
        except IntegrityError:
            current: int = self.app.repository.get(primary.id).version
            raise StaleVersionError(current, lost_race=True) from None
        position = max((r.notification.id for r in recordings), default=0)
        for aggregate in (primary, *others):
            if isinstance(aggregate, Outcome):
                self.container.offer_record(aggregate.record)
        try:
            self.container.settle(position)
        except Exception:  # the write stands; the worker brings the read models up to date
            log.exception(
                "after appending at %s, bringing the read models up to date failed", primary.id
            )
        return Receipt(primary.id, primary.version, recorded, position, created)


def decided_on_the_newest(
    command: Callable[Concatenate[C, P], R],
) -> Callable[Concatenate[C, P], R]:
    """A command decided first on the outcomes this process keeps, as they are, without asking
    the store whether another process (a fleet's other instance, the command line) has appended
    to them since: one query a write fewer. A copy that was behind cannot be saved (the store
    refuses an event at a version it holds), and a refusal may come from the older state; so
    when the command is refused, the store is asked after all, and if one of those outcomes had
    moved on the command is decided again on the store's newest, as it would have been from
    the start. Nothing is appended on the first try in that case (a save is one atomic append)."""

    @functools.wraps(command)
    def run(context: C, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if context._unchecked is not None:  # inside another such command: it sees to it
            return command(context, *args, **kwargs)
        context._unchecked = {}
        try:
            return command(context, *args, **kwargs)
        except CommandError:
            if not context._any_moved_on():
                raise
        finally:
            context._unchecked = None
        return command(context, *args, **kwargs)  # every load asks the store now

    return run
