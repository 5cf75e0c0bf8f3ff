"""A webhook receiver in a process of its own: notes when each booking's change arrived (monotonic clock).

It runs apart from the load generator, as a partner's receiver would, so that the writers' threads do not
slow its answers: the figure is the ledger's delay, not the bench process's. `GET /health` answers once it
listens; `GET /receipts` answers every arrival so far
(`at`: `{externalId: monotonic seconds}`, the first of each) and how many requests came.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receipts:
    """The arrivals so far, shared by the handler's threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.at: dict[str, float] = {}
        self.requests = 0

    def note(self, external_id: str, now: float) -> None:
        with self.lock:
            self.requests += 1
            self.at.setdefault(external_id, now)

    def body(self) -> bytes:
        with self.lock:
            return json.dumps({"at": self.at, "requests": self.requests}).encode()


def handler(receipts: Receipts) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keeps the connection, as a receiver in production would

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receipts.note(json.loads(body)["externalId"], time.monotonic())
            self._answer(b"")

        def do_GET(self) -> None:
            self._answer(receipts.body() if self.path == "/receipts" else b"{}")

        def _answer(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.receiver")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler(Receipts()))
    server.daemon_threads = True
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
