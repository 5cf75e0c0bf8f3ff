"""Per-client rate limiting: a token bucket per principal, refilled continuously."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from domain.errors import LedgerError


class RateLimitedError(LedgerError):
    """Raised when a client has used up its request allowance for now."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many requests; retry after {retry_after} s.")
        self.retry_after = retry_after


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Allows `rate` requests per second per client on average, and bursts of up to `burst`.

    The buckets live in this process: with N API processes, each enforces its own share.
    """

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        """Take one token for `client`, or raise RateLimitedError with the seconds until one is available."""
        if self.rate <= 0:
            return
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.setdefault(client, _Bucket(float(self.burst), now))
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return
            wait = (1 - bucket.tokens) / self.rate
        raise RateLimitedError(max(1, math.ceil(wait)))
