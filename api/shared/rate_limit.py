"""Rate limiting: token buckets per client, and per address for failed authentications and admin calls."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from domain.errors import LedgerError
from ledger.settings import Settings

if TYPE_CHECKING:
    from ledger.client_budget import ClientBudget
    from ledger.runtime import Runtime

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

    The buckets live in this process: with N API processes, each enforces the whole limit on its own (the
    per-address limits); clients' requests are limited by their budget in the database instead.
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


class Limiter(Protocol):
    def check(self, key: str) -> None: ...


class SharedRateLimiter:
    """Takes from each client's budget in the database, so the limit holds across processes and hosts."""

    def __init__(self, budget: ClientBudget) -> None:
        self.budget = budget

    def check(self, key: str) -> None:
        """Take one of `key`'s tokens, or raise RateLimitedError with the seconds until one is there."""
        wait = self.budget.take(key)
        if wait > 0:
            raise RateLimitedError(max(1, math.ceil(wait)))


@dataclass(frozen=True)
class RequestLimits:
    """The app's limiters: requests per client, failed authentications and admin calls per address.

    The clients' limiter is in this process until the runtime opens, then in the database (`sharing`).
    """

    clients: Limiter
    failed_auth: RateLimiter
    admin: RateLimiter

    def sharing(self, runtime: Runtime, settings: Settings) -> RequestLimits:
        """The same limits, with each client's budget kept in the runtime's database."""
        budget = runtime.client_budget(settings.rate_limit_per_second, settings.rate_limit_burst)
        return replace(self, clients=SharedRateLimiter(budget))

    @classmethod
    def of(cls, settings: Settings) -> RequestLimits:
        return cls(
            RateLimiter(settings.rate_limit_per_second, settings.rate_limit_burst),
            RateLimiter(settings.failed_auth_per_second, settings.failed_auth_burst),
            RateLimiter(settings.admin_rate_limit_per_second, settings.admin_rate_limit_burst),
        )
