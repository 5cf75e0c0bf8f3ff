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
LEASE_SECONDS = 0.1


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


@dataclass
class _Lease:
    tokens: int
    until: float
    used: int


class SharedRateLimiter:
    """Takes from each client's budget in the database, so the limit holds across processes and hosts.

    A busy client's tokens are leased a few at a time: the process takes up to `lease_size` at once, spends
    them for at most LEASE_SECONDS, and gives back the unspent ones with its next take, so a client at 100
    requests per second costs about 10 statements a second, not 100. The lease grows with what the last one
    served and is at most a hundredth of the burst, so a burst under 200 is still taken one token at a time.
    """

    def __init__(self, budget: ClientBudget) -> None:
        self.budget = budget
        self.lease_size = max(1, budget.burst // 100)
        self._leases: dict[str, _Lease] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        """Take one of `key`'s tokens, or raise RateLimitedError with the seconds until one is there."""
        if self.budget.rate <= 0:
            return
        now = time.monotonic()
        with self._lock:
            lease = self._leases.get(key)
            if lease is not None and lease.tokens > 0 and now < lease.until:
                lease.tokens -= 1
                lease.used += 1
                return
            returned, want = 0, 1
            if lease is not None:
                # Twice what the lease served so far in its window, so a busy client's leases grow quickly.
                returned, want = lease.tokens, max(1, min(self.lease_size, 2 * lease.used))
                lease.tokens = 0
        taken, wait = self.budget.lease(key, want, returned)
        if taken == 0:
            raise RateLimitedError(max(1, math.ceil(wait)))
        self._keep(key, taken - 1, time.monotonic())

    def _keep(self, key: str, tokens: int, now: float) -> None:
        """Keep the tokens taken beyond this request's one for the next requests of `key`."""
        with self._lock:
            lease = self._leases.get(key)
            if lease is None:
                if len(self._leases) >= MAX_BUCKETS:
                    # Forgotten leases' tokens are lost to their clients for now: spent, never given back.
                    self._leases = {k: v for k, v in self._leases.items() if now < v.until}
                lease = self._leases[key] = _Lease(0, now, 0)
            if now >= lease.until:
                # A new window: what the last one served stays counted until this take, sizing it.
                lease.until, lease.used = now + LEASE_SECONDS, 0
            lease.tokens += tokens
            lease.used += 1


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
