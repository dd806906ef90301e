"""The SMTP mailer against a real server: replies and outages mapped to retry or give up."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from adapters.smtp_mailer import SmtpMailer
from notifications.delivery import PermanentDeliveryError, TransientDeliveryError
from tests.live_server import free_port
from tests.smtp_server import smtp_server


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "f@example.org", "t@example.org", "hello"
    mail["Date"] = datetime(2009, 10, 3, tzinfo=UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    mail.set_content("body")
    return mail


def test_accepted_refused_for_now_and_refused_for_good() -> None:
    with smtp_server() as (inbox, port):
        mailer = SmtpMailer("127.0.0.1", port, timeout=5)
        mailer.send(message())
        assert len(inbox.take()) == 1
        inbox.refusals.append("451 4.7.1 greylisted")
        with pytest.raises(TransientDeliveryError, match="451"):
            mailer.send(message())
        inbox.refusals.append("550 5.1.1 unknown user")
        with pytest.raises(PermanentDeliveryError, match="550"):
            mailer.send(message())
        assert inbox.take() == []


def test_no_server_is_a_reason_to_retry() -> None:
    with pytest.raises(TransientDeliveryError):
        SmtpMailer("127.0.0.1", free_port(), timeout=2).send(message())
