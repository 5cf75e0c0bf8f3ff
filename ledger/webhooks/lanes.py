"""A destination's lane: its deliveries in outbox order, a few at once, retried with back-off, then disabled.

Up to `lane_window` deliveries of a lane are in flight at once, but never two of one entity: an entity's
delivery starts once the one before it is acknowledged, so a receiver sees each entity's changes in ledger
order (with a window of 1, all of its subscription's). After a failure the lane starts nothing more, and the
retry resumes at the first delivery not done, skipping those done past it. A slow or dead receiver holds up
its own lane only: lanes run side by side, each an asyncio task holding no database connection while its
requests are out.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import httpx

from domain.context import format_instant
from ledger.webhooks.coalesced import Coalesced
from ledger.webhooks.policy import DeliveryPolicy
from ledger.webhooks.secrets import SecretUnreadableError, WebhookSecretKeys
from ledger.webhooks.sender import Outcome, post
from ledger.webhooks.signing import delivery_headers
from ledger.webhooks.store import Cursor, DeliveryStore, Destination, Queued

log = logging.getLogger("ledger.webhooks")
BATCH = 50
Failure = tuple[Queued, int, Outcome]
"""A delivery that failed, the number of its attempt, and what it got."""
Disabler = Callable[[Destination, str], None]
"""Stops deliveries to a destination that kept failing, saying why (a command; run on a thread)."""
Transport = Callable[[Queued, int], Awaitable[Outcome]]
"""Makes one attempt (its number given) of a delivery: a signed HTTP POST, or for some kinds, an email."""


class _Progress:
    """A lane under way: up to where everything is delivered, the last delivery started, what failed."""

    def __init__(self, cursor: Cursor) -> None:
        self.reached = self.started = cursor
        self.failed: list[Failure] = []
        self.running: set[asyncio.Task[bool]] = set()
        self._pending: deque[Cursor] = deque()
        self._done: set[Cursor] = set()

    def start(self, item: Queued, task: asyncio.Task[bool]) -> None:
        self.started = item.cursor
        self._pending.append(item.cursor)
        self.running.add(task)
        task.add_done_callback(self.running.discard)

    def done(self, item: Queued) -> Cursor:
        """Note the delivery done; returns the place up to which every delivery started is done."""
        self._done.add(item.cursor)
        while self._pending and self._pending[0] in self._done:
            self.reached = self._pending.popleft()
            self._done.discard(self.reached)
        return self.reached


@dataclass(frozen=True)
class _Books:
    """A lane's bookkeeping, gathered across its deliveries in flight: attempts started, deliveries done."""

    start: Coalesced[Queued, int]
    finish: Coalesced[tuple[Queued, int], None]


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
        self._queued = asyncio.Event()

    def queued(self) -> None:
        """Deliveries may have been queued: running lanes waiting on their requests look for them."""
        self._queued.set()
        self._queued = asyncio.Event()

    async def run(self, destination: Destination) -> None:
        """Deliver the destination's queue until it is empty or a delivery failed: up to `lane_window`
        requests at once, each entity's one after another in order; after a failure, start no more."""
        send = self.transports.get(destination.kind) or self._poster(destination)
        progress = _Progress(destination.delivered)
        key = destination.destination_id

        async def start(items: list[Queued]) -> list[int]:
            return await self.store.start_attempts(key, items, self.clock())

        async def finish(done: list[tuple[Queued, int]]) -> list[None]:
            # Where the lane stands as the write goes out: every delivery up to it is in this write or before.
            await self.store.delivered(key, done, self.clock(), progress.reached)
            return [None] * len(done)

        books = _Books(Coalesced(start), Coalesced(finish))
        window = asyncio.Semaphore(self.policy.lane_window)
        latest: dict[UUID | None, asyncio.Task[bool]] = {}
        async with asyncio.TaskGroup() as group:
            while not progress.failed:
                queued = self._queued  # taken before the read, so news after it is not missed
                batch = await self.store.queued(destination.destination_id, progress.started, BATCH)
                if not batch:
                    if not progress.running:
                        break
                    await self._news_or_answer(queued, progress.running)
                    continue
                for item in batch:
                    await window.acquire()
                    if progress.failed:
                        window.release()
                        break
                    before = latest.get(item.entity_id)
                    task = group.create_task(self._one(books, send, item, before, progress, window))
                    latest[item.entity_id] = task
                    progress.start(item, task)
                latest = {entity: task for entity, task in latest.items() if not task.done()}
        if progress.failed:
            await self._failed(destination, progress.failed)

    @staticmethod
    async def _news_or_answer(queued: asyncio.Event, running: set[asyncio.Task[bool]]) -> None:
        """Wait until more may be queued, or one of the requests out is answered (there may be room)."""
        news = asyncio.ensure_future(queued.wait())
        try:
            await asyncio.wait({news, *running}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            news.cancel()

    async def _one(
        self,
        books: _Books,
        send: Transport,
        item: Queued,
        before: asyncio.Task[bool] | None,
        progress: _Progress,
        window: asyncio.Semaphore,
    ) -> bool:
        """One delivery, once the delivery of its entity before it (`before`) is done; True if done."""
        try:
            if (before is not None and not await before) or progress.failed:
                return False  # it waits for the retry of what failed
            attempt = await books.start(item)
            outcome = await send(item, attempt)
            if outcome.delivered and outcome.code is not None:
                progress.done(item)
                await books.finish((item, outcome.code))
                return True
            progress.failed.append((item, attempt, outcome))
            return False
        finally:
            window.release()

    async def _failed(self, destination: Destination, failures: list[Failure]) -> None:
        """Record the failures once the batch has settled, retry the lane after the back-off of the first."""
        now = self.clock()
        failures.sort(key=lambda failure: failure[0].cursor)
        delay = self.policy.retry_delay(failures[0][1])
        for item, _, outcome in failures:
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
            await self._disable(destination, failing_since, failures[0][2])

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
