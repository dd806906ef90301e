"""Delivering a digest: the mailer port, how a message is built, and what a failure means.

SMTP has no idempotency key: delivery is at least once. Every message of a reminder carries a
``Message-ID`` derived from the reminder's identity and the recipient, so a duplicate (possible only
between the server's acceptance and our commit) is recognisable.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from notifications.rendering import RenderedMessage


class DeliveryError(Exception):
    """A message was not accepted."""


class TransientDeliveryError(DeliveryError):
    """4xx reply or no connection: try again later."""


class PermanentDeliveryError(DeliveryError):
    """5xx reply: retrying will not help."""


class Mailer(ABC):
    """Sends one message to one recipient."""

    @abstractmethod
    def send(self, message: EmailMessage) -> None:
        """Raise TransientDeliveryError or PermanentDeliveryError when not accepted."""


@dataclass(frozen=True)
class Recipient:
    id: str  # the registry's id: what the ledger records (never the address)
    name: str
    email: str
    language: str


def message_id(stem: str, recipient_id: str, domain: str) -> str:
    return f"<{stem}.{recipient_id}@{domain}>"


def build_email(
    rendered: RenderedMessage,
    sender: str,
    recipient: Recipient,
    stem: str,
    domain: str,
    now: datetime,
) -> EmailMessage:
    """multipart/alternative: the text part first, the HTML part second."""
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = f"{recipient.name} <{recipient.email}>" if recipient.name else recipient.email
    message["Message-ID"] = message_id(stem, recipient.id, domain)
    message["Date"] = format_datetime(now)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    message["Content-Language"] = recipient.language  # after the content: set_content clears it
    return message


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter. A transient failure is retried until the meeting begins
    (then the reminder is cancelled as too late), unless ``attempts`` bounds it."""

    first_delay: timedelta = timedelta(minutes=2)
    factor: float = 2.0
    longest: timedelta = timedelta(hours=1)
    attempts: int | None = None

    def next_attempt(self, attempt: int, now: datetime, jitter: float | None = None) -> datetime:
        delay = min(self.first_delay * (self.factor ** (attempt - 1)), self.longest)
        share = random.uniform(0.8, 1.2) if jitter is None else jitter
        return now + delay * share


@dataclass
class DeliveryOutcome:
    delivered: list[str]
    error: str = ""
    permanent: bool = False

    @property
    def complete(self) -> bool:
        return not self.error


def deliver(
    mailer: Mailer, messages: list[tuple[Recipient, EmailMessage]], done: set[str]
) -> DeliveryOutcome:
    """Send to each recipient not yet served; stop at the first failure (the rest retry later)."""
    outcome = DeliveryOutcome(delivered=[])
    for recipient, message in messages:
        if recipient.id in done:
            continue
        try:
            mailer.send(message)
        except PermanentDeliveryError as error:
            outcome.error, outcome.permanent = f"{recipient.id}: {error}", True
            return outcome
        except TransientDeliveryError as error:
            outcome.error = f"{recipient.id}: {error}"
            return outcome
        outcome.delivered.append(recipient.id)
    return outcome


__all__ = ["Mailer", "Recipient", "build_email", "deliver"]
