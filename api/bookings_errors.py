"""Errors of idempotent POSTs: a key that comes back with another request, or while its request still runs."""

from __future__ import annotations

from domain.errors import ConflictError, LedgerError


class IdempotencyKeyReusedError(LedgerError):
    """Raised when an Idempotency-Key comes back with a different request."""


class IdempotencyInProgressError(ConflictError):
    """Raised when a retry arrives while the request that first used its key is still running."""
