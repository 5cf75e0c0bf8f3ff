"""Rate limiting: token buckets per client, and per address for failed authentications and admin calls."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from domain.errors import LedgerError
from ledger.settings import Settings

MAX_BUCKETS = 100_000


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
    """Allows `rate` requests per second per key on average, and bursts of up to `burst`.

    The buckets live in this process: with N API processes, each enforces its own share.
    """

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        """Take one token for `key`, or raise RateLimitedError with the seconds until one is available."""
        self._take(key, required=True)

    def ensure_available(self, key: str) -> None:
        """Raise RateLimitedError when `key` has no token left, without taking one."""
        self._take(key, required=True, spend=False)

    def spend(self, key: str) -> None:
        """Take one token for `key` when it has one; never raises (the next check will)."""
        self._take(key, required=False)

    def _take(self, key: str, required: bool, spend: bool = True) -> None:
        if self.rate <= 0:
            return
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                self._forget_full_buckets(now)
                bucket = self._buckets[key] = _Bucket(float(self.burst), now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1:
                if spend:
                    bucket.tokens -= 1
                return
            wait = (1 - bucket.tokens) / self.rate
        if required:
            raise RateLimitedError(max(1, math.ceil(wait)))

    def _forget_full_buckets(self, now: float) -> None:
        # A full bucket is the same as no bucket, so many addresses cannot grow the table without end.
        if len(self._buckets) < MAX_BUCKETS:
            return
        refill = self.burst / self.rate
        for key in [k for k, b in self._buckets.items() if now - b.updated >= refill]:
            del self._buckets[key]


@dataclass(frozen=True)
class RequestLimits:
    """The app's limiters: requests per client, failed authentications and admin calls per address."""

    clients: RateLimiter
    failed_auth: RateLimiter
    admin: RateLimiter

    @classmethod
    def of(cls, settings: Settings) -> RequestLimits:
        return cls(
            RateLimiter(settings.rate_limit_per_second, settings.rate_limit_burst),
            RateLimiter(settings.failed_auth_per_second, settings.failed_auth_burst),
            RateLimiter(settings.admin_rate_limit_per_second, settings.admin_rate_limit_burst),
        )
