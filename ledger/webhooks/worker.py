"""The delivery worker: follows the webhook outbox and runs one lane per destination with deliveries due.

It runs where the projection runners run (`ledger serve`, `ledger projections run`), on a thread with an
asyncio loop of its own, and never in a request. One process per database schema delivers at a time: the one
holding a PostgreSQL advisory lock on a connection of its own, which the database releases when the process
dies, so a restarted or standby worker takes over at once. Where each lane stands and every attempt are in
PostgreSQL (`ledger/webhooks/store.py`): after a crash, an attempt in flight is made again (at least once).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg_pool import AsyncConnectionPool

from ledger.election import APPLICATION_NAME, TRY_LOCK_SQL, lock_name
from ledger.webhooks.lanes import Disabler, Lanes, Transport
from ledger.webhooks.policy import DeliveryPolicy
from ledger.webhooks.secrets import WebhookSecretKeys
from ledger.webhooks.sender import new_client
from ledger.webhooks.store import DeliveryStore, Destination, Tables
from projections.changes.outbox import outbox_channel

log = logging.getLogger("ledger.webhooks")
LEADER_RETRY_SECONDS = 2.0
KEEPALIVE_SECONDS = 1.0
"""How often the connection holding the lock is checked, whatever the poll."""
DELIVERY_ROLE = "webhook-delivery"
POOL_SIZE = 8


class DeliveryWorker:
    """Delivers the outbox until stopped; `start()` and `stop()` from any thread."""

    def __init__(
        self,
        database_url: str,
        schema: str,
        tables: Tables,
        keys: WebhookSecretKeys,
        policy: DeliveryPolicy,
        clock: Callable[[], datetime],
        disablers: Mapping[str, Disabler],
        connect_timeout: float,
        transports: Mapping[str, Transport] | None = None,
        poll_seconds: float = 1.0,
    ) -> None:
        self.transports = transports
        self.poll_seconds = poll_seconds
        self.database_url = database_url
        self.lock_name = lock_name(schema, DELIVERY_ROLE)
        self.tables = tables
        self.keys = keys
        self.policy = policy
        self.clock = clock
        self.disablers = disablers
        self.connect_timeout = connect_timeout
        self.leading = threading.Event()
        self._thread = threading.Thread(target=self._run, name="webhook-delivery", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._wake = asyncio.Event()

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(timeout=10)

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None:
            with contextlib.suppress(RuntimeError):  # the loop has ended already
                self._loop.call_soon_threadsafe(self._stop_now)
        self._thread.join(timeout=15)

    def _stop_now(self) -> None:
        assert self._stopping is not None
        self._stopping.set()
        self._wake.set()

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._ready.set()
        kwargs = {
            "autocommit": True,
            "connect_timeout": int(self.connect_timeout),
            # The worker's bookkeeping need not wait for the WAL flush: a crash can lose only its last few
            # records of attempts and progress, and a lost record makes a delivery go out again (at least
            # once), never one go missing. A later durable commit flushes them first, the WAL being one log.
            "options": "-c synchronous_commit=off",
        }
        pool = AsyncConnectionPool(
            self.database_url, min_size=1, max_size=POOL_SIZE, kwargs=kwargs, open=False
        )
        async with pool, new_client(self.policy.max_in_flight, self.policy.connect_timeout) as http:
            store = DeliveryStore(pool, self.tables)
            lanes = Lanes(
                store,
                http,
                self.keys,
                self.policy,
                self.clock,
                self.disablers,
                self._wake.set,
                self.transports,
            )
            while not self._stopping.is_set():
                try:
                    await self._lead(store, lanes)
                except Exception as error:  # the database is away: try again shortly
                    log.warning("webhook delivery paused: %s", type(error).__name__)
                self.leading.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), LEADER_RETRY_SECONDS)

    async def _lead(self, store: DeliveryStore, lanes: Lanes) -> None:
        """Deliver while this process holds the delivery lock; return when it cannot get it or loses it."""
        async with await psycopg.AsyncConnection.connect(
            self.database_url,
            autocommit=True,
            connect_timeout=int(self.connect_timeout),
            application_name=f"{APPLICATION_NAME}:{os.getpid()}",
        ) as lock:
            cursor = await lock.execute(TRY_LOCK_SQL, (self.lock_name,))
            row = await cursor.fetchone()
            if not row or not row[0]:
                return
            self.leading.set()
            await self._schedule(store, lanes, lock)

    async def _listen(self, lock: psycopg.AsyncConnection[object], lanes: Lanes) -> None:
        """Wake the scheduler at each NOTIFY of the outbox's channel (the changes view sends one in the
        transaction that queues deliveries), and at least every `poll_seconds` as well: a poll finds what no
        notification announced (a subscription enabled again, rows written by other means, a lost NOTIFY)."""
        await lock.execute(sql.SQL("LISTEN {}").format(sql.Identifier(outbox_channel(self.tables.outbox))))
        self._wake.set()  # what was queued before this process listened
        loop = asyncio.get_running_loop()
        polled = loop.time()
        while True:
            async for _ in lock.notifies(timeout=min(self.poll_seconds, KEEPALIVE_SECONDS)):
                self._wake.set()
                lanes.queued()
            await lock.execute("SELECT 1")  # the lock is held as long as its connection lives
            if loop.time() - polled >= self.poll_seconds:
                polled = loop.time()
                self._wake.set()
                lanes.queued()

    async def _schedule(
        self, store: DeliveryStore, lanes: Lanes, lock: psycopg.AsyncConnection[object]
    ) -> None:
        """Start a lane for each destination with deliveries due, whenever something may have made one
        due: a NOTIFY, a lane ending, a retry's time come, or the poll."""
        assert self._stopping is not None
        busy: dict[UUID, asyncio.Task[None]] = {}
        listener = asyncio.create_task(self._listen(lock, lanes))
        listener.add_done_callback(lambda _: self._wake.set())
        try:
            while not self._stopping.is_set():
                await self._wake.wait()
                if listener.done():
                    listener.result()  # the lock's connection is lost: raise, and stand for election again
                    return
                self._wake.clear()
                await self._start_lanes(store, lanes, busy)
        finally:
            listener.cancel()
            for task in busy.values():
                task.cancel()
            await asyncio.gather(listener, *busy.values(), return_exceptions=True)

    async def _start_lanes(
        self, store: DeliveryStore, lanes: Lanes, busy: dict[UUID, asyncio.Task[None]]
    ) -> None:
        room = self.policy.max_in_flight - len(busy)
        if room <= 0:
            return
        for destination in await store.due(self.clock(), list(busy), room):
            key = destination.destination_id
            busy[key] = asyncio.create_task(self._lane(lanes, destination))
            busy[key].add_done_callback(functools.partial(self._finished, busy, key))

    async def _lane(self, lanes: Lanes, destination: Destination) -> None:
        try:
            await lanes.run(destination)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the lane is tried again at the next scan
            log.warning(
                "delivering to destination %s stopped: %s", destination.destination_id, type(error).__name__
            )

    def _finished(self, busy: dict[UUID, asyncio.Task[None]], key: UUID, _: asyncio.Task[None]) -> None:
        busy.pop(key, None)
        self._wake.set()
