"""The SMTP mailer: one connection per message, replies mapped to transient or permanent."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from notifications.delivery import Mailer, PermanentDeliveryError, TransientDeliveryError


class SmtpMailer(Mailer):
    def __init__(
        self,
        host: str,
        port: int = 25,
        tls: str = "none",  # none | starttls | ssl
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.host, self.port, self.tls = host, port, tls
        self.username, self.password, self.timeout = username, password, timeout

    def _connect(self) -> smtplib.SMTP:
        if self.tls == "ssl":
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        return client

    def send(self, message: EmailMessage) -> None:
        try:
            with self._connect() as client:
                if self.username:
                    client.login(self.username, self.password or "")
                refused = client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise _by_code(min(codes), str(error.recipients)) from None
        except smtplib.SMTPResponseException as error:
            raise _by_code(error.smtp_code, _text(error.smtp_error)) from None
        except (smtplib.SMTPException, OSError) as error:
            raise TransientDeliveryError(f"no delivery: {error}") from None
        if refused:  # one recipient per message, so any refusal is the whole message
            code, text = next(iter(refused.values()))
            raise _by_code(code, _text(text))


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _by_code(code: int, text: str) -> TransientDeliveryError | PermanentDeliveryError:
    if 400 <= code < 500:
        return TransientDeliveryError(f"{code} {text}")
    return PermanentDeliveryError(f"{code} {text}")
