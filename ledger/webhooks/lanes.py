"""A destination's lane: its deliveries one at a time in outbox order, retried with back-off, then disabled.

Only the head of a lane is ever in flight, so a receiver sees one entity's changes (indeed all of its
subscription's) in ledger order; a failed head is retried before anything after it. A slow or dead receiver
holds up its own lane only: lanes run side by side, each an asyncio task holding no database connection
while its request is out.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from domain.context import format_instant
from ledger.settings import Settings
from ledger.webhooks.secrets import SecretUnreadableError, WebhookSecretKeys
from ledger.webhooks.sender import Outcome, post
from ledger.webhooks.signing import delivery_headers
from ledger.webhooks.store import DeliveryStore, Destination, Queued

log = logging.getLogger("ledger.webhooks")
BATCH = 50
Disabler = Callable[[Destination, str], None]
"""Stops deliveries to a destination that kept failing, saying why (a command; run on a thread)."""
Transport = Callable[[Queued, int], Awaitable[Outcome]]
"""Makes one attempt (its number given) of a delivery: a signed HTTP POST, or for some kinds, an email."""


@dataclass(frozen=True)
class DeliveryPolicy:
    """How long an attempt may take, how much of an answer is read, how retries back off, when to give up."""

    timeout: float
    connect_timeout: float
    max_response_bytes: int
    retry_base: float
    retry_max: float
    disable_after: timedelta
    max_in_flight: int

    @classmethod
    def of(cls, settings: Settings) -> DeliveryPolicy:
        return cls(
            timeout=settings.webhook_timeout_seconds,
            connect_timeout=min(settings.webhook_timeout_seconds, settings.connect_timeout),
            max_response_bytes=settings.webhook_max_response_bytes,
            retry_base=settings.webhook_retry_base_seconds,
            retry_max=settings.webhook_retry_max_seconds,
            disable_after=timedelta(seconds=settings.webhook_disable_after_seconds),
            max_in_flight=settings.webhook_max_in_flight,
        )

    def retry_delay(self, attempt: int) -> float:
        """Exponential back-off from `retry_base`, capped at `retry_max`, with jitter in its upper half, so
        receivers that failed together are not retried together."""
        ceiling: float = min(self.retry_base * 2.0 ** min(attempt - 1, 30), self.retry_max)
        return ceiling / 2 + random.uniform(0, ceiling / 2)


class Lanes:
    """Runs lanes: what one lane does, given the store, the HTTP client and the keys."""

    def __init__(
        self,
        store: DeliveryStore,
        http: httpx.AsyncClient,
        keys: WebhookSecretKeys,
        policy: DeliveryPolicy,
        clock: Callable[[], datetime],
        disablers: Mapping[str, Disabler],
        wake: Callable[[], None],
        transports: Mapping[str, Transport] | None = None,
    ) -> None:
        self.transports = transports or {}
        self.store = store
        self.http = http
        self.keys = keys
        self.policy = policy
        self.clock = clock
        self.disablers = disablers
        self.wake = wake

    async def run(self, destination: Destination) -> None:
        """Deliver the destination's queue in order until it is empty or its head failed."""
        send = self.transports.get(destination.kind) or self._poster(destination)
        cursor = destination.delivered
        while batch := await self.store.queued(destination.destination_id, cursor, BATCH):
            attempt: int | None = await self.store.start_attempt(
                destination.destination_id, batch[0], self.clock()
            )
            for index, item in enumerate(batch):
                following = batch[index + 1] if index + 1 < len(batch) else None
                attempt = await self._attempt(destination, send, item, attempt or 0, following)
                if attempt is None:
                    return
                cursor = item.cursor

    async def _attempt(
        self,
        destination: Destination,
        send: Transport,
        item: Queued,
        attempt: int,
        following: Queued | None,
    ) -> int | None:
        """Make attempt number `attempt` of `item` (recorded as started already). Delivered: returns the
        number of the attempt of `following` now started (0 when none follows); failed: None."""
        outcome = await send(item, attempt)
        now = self.clock()
        if outcome.delivered and outcome.code is not None:
            return await self.store.delivered(destination.destination_id, item, outcome.code, now, following)
        delay = self.policy.retry_delay(attempt)
        failing_since = await self.store.failed(
            destination.destination_id,
            item,
            outcome.code,
            outcome.describe(),
            now,
            now + timedelta(seconds=delay),
        )
        asyncio.get_running_loop().call_later(delay, self.wake)
        if now - failing_since >= self.policy.disable_after:
            await self._disable(destination, failing_since, outcome)
        return None

    def _poster(self, destination: Destination) -> Transport:
        """A signed HTTP POST to the destination's URL, with its secret opened once for the lane."""
        try:
            secret: str | None = self.keys.open(destination.destination_id, destination.secret_ciphertext)
        except SecretUnreadableError:
            secret = None
            log.error("the signing secret of destination %s cannot be opened", destination.destination_id)

        async def post_signed(item: Queued, attempt: int) -> Outcome:
            if secret is None:
                return Outcome(None, "the signing secret cannot be opened with the configured keys")
            body = item.body.encode()
            headers = delivery_headers(str(item.delivery_id), attempt, secret, int(time.time()), body)
            policy = self.policy
            return await post(
                self.http, destination.url, body, headers, policy.timeout, policy.max_response_bytes
            )

        return post_signed

    async def _disable(self, destination: Destination, failing_since: datetime, outcome: Outcome) -> None:
        disable = self.disablers.get(destination.kind)
        if disable is None:
            return  # a kind without a way to stop keeps being retried at the longest back-off
        hours = self.policy.disable_after.total_seconds() / 3600
        reason = (
            f"Deliveries have failed since {format_instant(failing_since)}, longer than {hours:g} hours; "
            f"the last attempt got {outcome.describe()}."
        )
        await asyncio.to_thread(disable, destination, reason)
        log.warning("webhook destination %s disabled: %s", destination.destination_id, reason)
