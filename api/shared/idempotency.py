"""Idempotent POSTs over HTTP: a response is stored under its key; a retry gets it back, marked replayed."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from starlette.responses import Response

from domain.errors import ConflictError, LedgerError
from ledger.idempotency_store import (
    IdempotencyKeys,
    KeyInProgressError,
    KeyReusedError,
    StoredAnswer,
    fingerprint,
)

REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyKeyReusedError(LedgerError):
    """Raised when an Idempotency-Key comes back with a different request."""


class IdempotencyInProgressError(ConflictError):
    """Raised when a retry arrives while the request that first used its key is still running."""


class IdempotencyStore:
    """Runs a request once per key (ledger/idempotency_store.py keeps the keys), answering retries from it.

    Since an order's id derives from its key, a retry that takes over the claim of a request that died runs
    it again and finds what the first one committed.
    """

    fingerprint = staticmethod(fingerprint)

    def __init__(self, keys: IdempotencyKeys) -> None:
        self.keys = keys

    def run(self, client_id: str, key: str, fingerprint: str, handle: Callable[[], Response]) -> Response:
        """The stored response for this key, or `handle()`'s response, stored unless it is a 5xx."""
        owner = uuid.uuid4()
        try:
            stored = self.keys.claim(client_id, key, fingerprint, owner)
        except KeyReusedError:
            raise IdempotencyKeyReusedError(
                "This Idempotency-Key was used with a different request."
            ) from None
        except KeyInProgressError:
            raise IdempotencyInProgressError(
                "A request with this Idempotency-Key is still running."
            ) from None
        if stored is not None:
            return Response(
                content=stored.body,
                status_code=stored.status,
                media_type=stored.media_type,
                headers={REPLAYED_HEADER: "true"},
            )
        try:
            response = handle()
        except BaseException:
            self.keys.release(client_id, key, owner)
            raise
        if response.status_code >= 500:
            # Not stored, so that a retry after a server error runs again.
            self.keys.release(client_id, key, owner)
        else:
            answer = StoredAnswer(response.status_code, bytes(response.body), response.media_type)
            self.keys.complete(client_id, key, owner, answer)
        return response
