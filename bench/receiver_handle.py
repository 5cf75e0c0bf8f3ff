"""The bench's handle on the webhook receiver process (bench.receiver): starts it, reads what it received."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from bench.server import Server, free_port


class Receiver:
    """The receiver process (bench.receiver) on a loopback port, and what it received."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.at: dict[str, float] = {}
        self.requests = 0

    @property
    def url(self) -> str:
        return f"{self.server.url}/hooks"

    def fetch(self) -> dict[str, float]:
        received = httpx.get(f"{self.server.url}/receipts", timeout=30).json()
        self.at, self.requests = received["at"], received["requests"]
        return self.at

    def wait_for(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while len(self.fetch()) < count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)
        return True


@contextmanager
def receiving() -> Iterator[Receiver]:
    port = free_port()
    command = [sys.executable, "-m", "bench.receiver", "--port", str(port)]
    server = Server("webhook-receiver", command, port, dict(os.environ))
    try:
        server.wait_healthy()
        yield Receiver(server)
    finally:
        server.stop()
