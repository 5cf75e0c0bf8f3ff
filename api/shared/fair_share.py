"""Fair share: a few requests in flight per credential; the others wait their turn, holding no thread."""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.shared.auth import presented_token
from api.shared.rate_limit import RateLimitedError
from api.shared.surface import Surfaces
from ledger.settings import Settings

log = logging.getLogger("ledger.api")
ANONYMOUS = "anonymous"
# Probes and scrapes must get through while clients queue: load balancers act on their answers.
EXEMPT_PATHS = frozenset({"/health", "/ready", "/metrics"})
LEASE = "fair_share_lease"
"""The request-state entry that holds the request's `Lease`."""
RETRY_AFTER_SECONDS = 1


class FairShareExceededError(RateLimitedError):
    """Raised when a client's request waited too long for one of the client's in-flight places."""

    def __init__(self, limit: int, waited: float) -> None:
        super().__init__(RETRY_AFTER_SECONDS)
        self.message = (
            f"This client already has {limit} requests in flight and none finished within {waited:g} s; "
            f"retry after {RETRY_AFTER_SECONDS} s."
        )
        self.args = (self.message,)


@dataclass
class _Share:
    """One key's places: how many are taken, and the requests waiting for one, oldest first."""

    active: int = 0
    waiting: deque[asyncio.Future[None]] = field(default_factory=deque)


class FairShare:
    """At most `limit` requests in flight per key; more wait, first come first served, up to `wait_seconds`.

    A waiting request is an asyncio future: it holds no worker thread and no database connection. All state
    is touched only on the event loop's thread, so it needs no lock.
    """

    def __init__(self, limit: int, wait_seconds: float) -> None:
        self.limit = limit
        self.wait_seconds = wait_seconds
        self._shares: dict[str, _Share] = {}
        # Keyed per process: the keys cannot be matched against stored key hashes, nor reversed offline.
        self._salt = secrets.token_bytes(32)

    def key_for(self, token: str | None) -> str:
        """The key of a credential: a keyed hash, never the credential; every anonymous request shares one."""
        if token is None:
            return ANONYMOUS
        return "client:" + hmac.new(self._salt, token.encode(), "sha256").hexdigest()[:32]

    def in_flight(self, key: str) -> int:
        share = self._shares.get(key)
        return share.active if share else 0

    def waiting(self, key: str) -> int:
        share = self._shares.get(key)
        return len(share.waiting) if share else 0

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self._shares)

    async def acquire(self, key: str) -> None:
        """Take one of `key`'s places, waiting behind earlier requests; FairShareExceededError on timeout."""
        share = self._shares.setdefault(key, _Share())
        if share.active < self.limit and not share.waiting:
            share.active += 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        share.waiting.append(turn)
        try:
            # asyncio.wait leaves the future alone on timeout, so a place handed over meanwhile is seen below.
            await asyncio.wait((turn,), timeout=self.wait_seconds)
        except BaseException:
            self._abandon(key, share, turn)
            raise
        if not turn.done():
            self._abandon(key, share, turn)
            log.info(
                "a client waited %g s with %d requests in flight: 429 (%s)",
                self.wait_seconds,
                self.limit,
                key,
            )
            raise FairShareExceededError(self.limit, self.wait_seconds)

    def release(self, key: str) -> None:
        """Give back one of `key`'s places: to the oldest waiting request, else to the pool of free places."""
        share = self._shares[key]
        while share.waiting:
            turn = share.waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        share.active -= 1
        if share.active == 0:
            del self._shares[key]

    def _abandon(self, key: str, share: _Share, turn: asyncio.Future[None]) -> None:
        if turn.done() and not turn.cancelled():
            self.release(key)  # the place arrived as the wait ended: pass it on
            return
        turn.cancel()
        share.waiting.remove(turn)
        if share.active == 0 and not share.waiting:
            del self._shares[key]


class Lease:
    """A request's place in its client's share; it may step aside while it holds no thread (see below)."""

    def __init__(self, fair_share: FairShare, key: str) -> None:
        self.fair_share = fair_share
        self.key = key
        self.held = False

    async def take(self) -> None:
        await self.fair_share.acquire(self.key)
        self.held = True

    def give_back(self) -> None:
        if self.held:
            self.held = False
            self.fair_share.release(self.key)


@asynccontextmanager
async def stepped_aside(scope: Scope) -> AsyncIterator[None]:
    """While the block awaits (holding no thread and no connection), the request's place goes to its client's
    next request; afterwards it waits for a place again. Raises FairShareExceededError when none came in time.
    """
    lease: Lease | None = scope.get("state", {}).get(LEASE)
    if lease is None or not lease.held:
        yield
        return
    lease.give_back()
    yield
    await lease.take()


class FairShareMiddleware:
    """Admits a request to the app only once its credential has a free place (`EXEMPT_PATHS` always)."""

    def __init__(self, app: ASGIApp, settings: Settings, surfaces: Surfaces) -> None:
        self.app = app
        self.fair_share = FairShare(settings.max_inflight_per_client, settings.inflight_wait_seconds)
        self.surfaces = surfaces

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS or self.fair_share.limit == 0:
            await self.app(scope, receive, send)
            return
        lease = Lease(self.fair_share, self.fair_share.key_for(presented_token(Request(scope))))
        try:
            await lease.take()
        except FairShareExceededError as error:
            await self.surfaces.error_response(scope, error)(scope, receive, send)
            return
        scope.setdefault("state", {})[LEASE] = lease
        try:
            await self.app(scope, receive, send)
        finally:
            lease.give_back()
