"""A real SMTP receiver on a loopback port (asyncio, in a thread of its own): it records every message."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass(frozen=True)
class Mail:
    """One message as it arrived: its envelope and its parsed content."""

    sender: str
    recipients: list[str]
    message: EmailMessage


class SmtpReceiver:
    """Speaks enough SMTP (RFC 5321) for `smtplib`: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.

    While `refusals` is above zero, a message's data is answered `451` (try again later) and counted down.
    """

    def __init__(self) -> None:
        self.refusals = 0
        self.refused = 0
        self.mails: list[Mail] = []
        self._arrived = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self.port = 0

    def start(self) -> None:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._session, "127.0.0.1", 0), self._loop
        )
        self._server = started.result(timeout=10)
        self.port = self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._server is not None:
            self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def wait_for(self, count: int, timeout: float = 20) -> list[Mail]:
        """The messages once `count` have arrived; fails when they have not within `timeout` seconds."""
        with self._arrived:
            arrived = self._arrived.wait_for(lambda: len(self.mails) >= count, timeout)
            assert arrived, f"{len(self.mails)} of {count} emails arrived"
            return list(self.mails)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        reply("220 localhost test receiver")
        sender, recipients = "", list[str]()
        with contextlib.suppress(ConnectionError):
            while line := (await reader.readline()).decode().rstrip("\r\n"):
                verb = line[:4].upper()
                if verb == "EHLO":
                    reply("250-localhost")
                    reply("250 8BITMIME")
                elif verb in ("HELO", "NOOP"):
                    reply("250 OK")
                elif verb == "RSET":
                    sender, recipients = "", []
                    reply("250 OK")
                elif verb == "MAIL":
                    sender = line.split(":", 1)[1].strip().strip("<>").split(">")[0]
                    reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(line.split(":", 1)[1].strip().strip("<>").split(">")[0])
                    reply("250 OK")
                elif verb == "DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    data = await self._data(reader)
                    if self._refuse():
                        reply("451 Try again later")
                    else:
                        self._record(sender, recipients, data)
                        reply("250 OK queued")
                    sender, recipients = "", []
                elif verb == "QUIT":
                    reply("221 Bye")
                    await writer.drain()
                    break
                else:
                    reply("502 Command not implemented")
                await writer.drain()
        writer.close()

    @staticmethod
    async def _data(reader: asyncio.StreamReader) -> bytes:
        lines = []
        while (line := await reader.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def _refuse(self) -> bool:
        with self._arrived:
            if self.refusals <= 0:
                return False
            self.refusals -= 1
            self.refused += 1
            return True

    def _record(self, sender: str, recipients: list[str], data: bytes) -> None:
        message = message_from_bytes(data, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._arrived:
            self.mails.append(Mail(sender, list(recipients), message))
            self._arrived.notify_all()


@contextlib.contextmanager
def smtp_receiving() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
