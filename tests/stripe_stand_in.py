"""A STAND-IN for Stripe's API, for tests only: not Stripe, and no copy of it.

It answers the one request the ledger makes (`POST /v1/payment_intents`) in the shape Stripe documents,
replays an answer for a repeated `Idempotency-Key` as Stripe does, and records every request it receives, so a
test can check what the ledger sent: the amount in minor units, the currency, the `Stripe-Account` header.
It also signs webhook payloads the way Stripe does, for tests of the webhook endpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


@dataclass(frozen=True)
class Received:
    """One request the stand-in received: its headers by lower-case name, its form fields as sent."""

    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]


class StripeStandIn:
    """A local HTTP server standing in for Stripe's API while the `with` block runs."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refusal: tuple[int, dict[str, Any]] | None = None
        self._answers: dict[tuple[str | None, str | None], dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> StripeStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def refuse(self, status: int, error_type: str, code: str | None = None) -> None:
        """From now on, answer every request with this error, as Stripe answers one."""
        self.refusal = (status, {"error": {"type": error_type, "code": code, "message": "Refused."}})

    def intents_created(self) -> list[Received]:
        return [r for r in self.received if r.method == "POST" and r.path == "/v1/payment_intents"]

    def answer(self, request: Received) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.received.append(request)
            if self.refusal is not None:
                return self.refusal
            if request.path != "/v1/payment_intents":
                return 404, {"error": {"type": "invalid_request_error", "message": "Unrecognized URL."}}
            key = (request.headers.get("stripe-account"), request.headers.get("idempotency-key"))
            if key[1] is None or key not in self._answers:
                self._answers[key] = new_intent(request.form)
            return 200, self._answers[key]


def new_intent(form: dict[str, str]) -> dict[str, Any]:
    intent_id = f"pi_{secrets.token_hex(12)}"
    metadata = {name[9:-1]: value for name, value in form.items() if name.startswith("metadata[")}
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": int(form["amount"]),
        "currency": form["currency"],
        "client_secret": f"{intent_id}_secret_{secrets.token_hex(12)}",
        "description": form.get("description"),
        "metadata": metadata,
        "status": "requires_payment_method",
    }


def _handler(stand_in: StripeStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode("utf-8")))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, body = stand_in.answer(Received("POST", self.path, headers, form))
            encoded = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.send_header("Request-Id", f"req_{secrets.token_hex(8)}")
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def stripe_signature(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe sends: `t=<unix time>,v1=<HMAC-SHA256 of "t.payload">`."""
    moment = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode("utf-8"), f"{moment}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={moment},v1={digest}"


def intent_event(
    event_type: str, intent_id: str, amount: int, currency: str = "eur", failure: str | None = None
) -> bytes:
    """A webhook payload of a payment intent event, as Stripe sends it (the fields the ledger reads)."""
    intent: dict[str, Any] = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if event_type == "payment_intent.succeeded" else 0,
        "currency": currency,
        "last_payment_error": {"code": "card_declined", "message": failure} if failure else None,
    }
    event = {
        "id": f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": intent},
    }
    return json.dumps(event).encode("utf-8")
