"""How a delivery is signed: HMAC-SHA256 of `<timestamp>.<body>` with the subscription's secret."""

from __future__ import annotations

import hashlib
import hmac

DELIVERY_HEADER = "X-Ledger-Delivery"
TIMESTAMP_HEADER = "X-Ledger-Timestamp"
SIGNATURE_HEADER = "X-Ledger-Signature"
ATTEMPT_HEADER = "X-Ledger-Attempt"
SCHEME = "v1"
USER_AGENT = "booking-ledger-webhooks/1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`v1=<hex digest>` of `<timestamp>.<body>`: the timestamp is signed, so an old delivery replayed
    with a new timestamp does not verify."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def delivery_headers(
    delivery_id: str, attempt: int, secret: str, timestamp: int, body: bytes
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        DELIVERY_HEADER: delivery_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        ATTEMPT_HEADER: str(attempt),
    }
