"""Domain errors: raised by guards, mapped to HTTP 409/422 and CLI messages by the outer layers."""

from __future__ import annotations


class DomainError(Exception):
    """A command that the forum's rules do not allow."""


class OutcomeClosedError(DomainError):
    """The outcome was withdrawn or superseded: nothing more can be recorded on it."""


class AlreadyCompletedError(DomainError):
    """Completing an outcome that is already completed for its current cycle."""


class NotCompletedError(DomainError):
    """Reopening an outcome that is not completed."""


class UnknownReportError(DomainError):
    """Retracting a progress report that this outcome does not have (or already retracted)."""


class UnknownStateError(DomainError):
    """A state that is not a participant of the forum."""


class UnknownMeetingError(DomainError):
    """A meeting that is not on the forum's calendar."""


class MeetingAlreadyClosedError(DomainError):
    """Rescheduling, cancelling or holding a meeting that was already held or cancelled."""


class DuplicateCodeError(DomainError):
    """A code that is already used by another record of the same kind."""


class InvalidValueError(DomainError):
    """A value the forum's rules reject (an end before a start, a negative count...)."""
