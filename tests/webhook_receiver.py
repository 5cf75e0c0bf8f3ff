"""A real HTTP receiver of webhooks on a loopback port: it records what it gets and answers as told."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG = -1
"""An answer that never comes: the request is held until the receiver stops."""


@dataclass(frozen=True)
class Received:
    """One request as it arrived: its headers (lower-case names), body and arrival time (monotonic)."""

    headers: dict[str, str]
    body: bytes
    at: float


class Receiver:
    """Answers each request with the next of `answers` (HTTP statuses, or HANG), then `then` forever."""

    def __init__(self, answers: list[int] | None = None, then: int = 200, delay: float = 0) -> None:
        self.answers = list(answers or [])
        self.then = then
        self.delay = delay
        self.received: list[Received] = []
        self.released = threading.Event()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                if len(body) < length:
                    return  # the sender died mid-request: nothing arrived, as any receiver would judge
                answer = receiver.record(
                    Received({k.lower(): v for k, v in self.headers.items()}, body, time.monotonic())
                )
                if answer == HANG:
                    receiver.released.wait()
                    return
                time.sleep(receiver.delay)
                self.send_response(answer)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def record(self, request: Received) -> int:
        with self._arrived:
            self.received.append(request)
            self._arrived.notify_all()
            return self.answers.pop(0) if self.answers else self.then

    def wait_for(self, count: int, timeout: float = 20) -> list[Received]:
        """The requests once `count` have arrived; fails when they have not within `timeout` seconds."""
        with self._arrived:
            arrived = self._arrived.wait_for(lambda: len(self.received) >= count, timeout)
            assert arrived, f"{len(self.received)} of {count} deliveries arrived"
            return list(self.received)

    def bodies(self) -> list[Any]:
        return [json.loads(request.body) for request in self.received]


@contextmanager
def receiving(answers: list[int] | None = None, then: int = 200, delay: float = 0) -> Iterator[Receiver]:
    """A receiver answering `answers` (statuses, or HANG), then `then`, each after `delay` seconds."""
    receiver = Receiver(answers, then, delay)
    receiver._thread.start()
    try:
        yield receiver
    finally:
        receiver.released.set()
        receiver.server.shutdown()
        receiver.server.server_close()
