"""Notification emails: the deliveries of an email rule's destination, sent through SMTP with `smtplib`.

A delivery's body names the recipients by user id only; their addresses are read from the ledger when the
email is sent, so the outbox holds no personal data. The delivery id is the message's Message-ID, so a
resend after a crash can be recognised by the receiving side.
"""

from __future__ import annotations

import asyncio
import json
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from uuid import UUID

from ledger.settings import Settings
from ledger.webhooks.sender import Outcome
from ledger.webhooks.store import Queued

SUBJECTS = {
    "booking.requested": "A booking was requested",
    "booking.accepted": "A booking was accepted",
    "booking.rejected": "A booking was rejected",
    "booking.canceled": "A booking was cancelled",
    "booking.completed": "A booking was completed",
}
Recipient = Callable[[UUID], str | None]
"""The email address of a user, or None when the ledger knows none."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    starttls: bool
    username: str | None
    password: str | None
    sender: str
    timeout: float

    @classmethod
    def of(cls, settings: Settings) -> SmtpServer | None:
        if settings.smtp_host is None:
            return None
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_starttls,
            settings.smtp_username,
            password,
            settings.smtp_from,
            settings.smtp_timeout_seconds,
        )


def compose(notice: dict[str, Any], sender: str, to: list[str], message_id: UUID) -> EmailMessage:
    """The email of one notification: what happened to which booking, and when it takes place."""
    booking: dict[str, Any] = notice.get("booking") or {}
    trigger = notice["trigger"]
    subject = SUBJECTS.get(trigger) or f"A booking starts in {notice.get('minutesBefore')} minutes"
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, ", ".join(to), subject
    message["Message-ID"] = f"<{message_id}@ledger.notifications>"
    lines = [
        f"{subject}.",
        "",
        f"Booking: {notice['bookingId']}",
        f"Starts: {booking.get('startAt', '')}",
        f"Ends: {booking.get('endAt', '')}",
        f"Status: {booking.get('status', '')}",
    ]
    message.set_content("\n".join(lines) + "\n")
    return message


async def no_smtp_server(item: Queued, attempt: int) -> Outcome:
    """The attempt of an email where this process has no SMTP server configured: failed, to be retried."""
    return Outcome(None, "no SMTP server is configured in the delivering process")


class EmailTransport:
    """Sends an email rule's deliveries; an SMTP refusal or a lost connection is a failed attempt."""

    def __init__(self, server: SmtpServer, recipient: Recipient) -> None:
        self.server = server
        self.recipient = recipient

    async def __call__(self, item: Queued, attempt: int) -> Outcome:
        return await asyncio.to_thread(self.send, item)

    def send(self, item: Queued) -> Outcome:
        notice = json.loads(item.body)
        users = dict.fromkeys(UUID(each) for each in notice.get("recipients", {}).values())
        addresses = [address for user in users if (address := self.recipient(user)) is not None]
        if not addresses:
            return Outcome(None, "no recipient has an email address")
        message = compose(notice, self.server.sender, addresses, item.delivery_id)
        server = self.server
        try:
            with smtplib.SMTP(server.host, server.port, timeout=server.timeout) as smtp:
                if server.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if server.username is not None:
                    smtp.login(server.username, server.password or "")
                smtp.send_message(message)
        except smtplib.SMTPResponseException as error:
            return Outcome(None, f"SMTP {error.smtp_code}")
        except (smtplib.SMTPException, OSError) as error:
            return Outcome(None, f"{type(error).__name__}: SMTP connection failed")
        return Outcome(250, accepted=True)
