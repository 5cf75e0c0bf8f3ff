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
from psycopg_pool import AsyncConnectionPool

from ledger.election import APPLICATION_NAME, TRY_LOCK_SQL, lock_name
from ledger.webhooks.lanes import DeliveryPolicy, Disabler, Lanes, Transport
from ledger.webhooks.secrets import WebhookSecretKeys
from ledger.webhooks.sender import new_client
from ledger.webhooks.store import DeliveryStore, Destination, Tables

log = logging.getLogger("ledger.webhooks")
FIRST_PAUSE, LONGEST_PAUSE = 0.01, 0.1
"""How often the view's position is read: soon after activity, less often while nothing happens."""
RESCAN_SECONDS = 1.0
SCAN_GAP_SECONDS, BUSY_SCAN_GAP_SECONDS = 0.025, 0.1
"""While the log moves, destinations are looked for at most this often; less often while lanes run, since a
running lane reads on by itself and a lane that ends asks for a scan at once."""
LEADER_RETRY_SECONDS = 2.0
DELIVERY_ROLE = "webhook-delivery"
POOL_SIZE = 4


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
    ) -> None:
        self.transports = transports
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
                self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(timeout=15)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._ready.set()
        kwargs = {"autocommit": True, "connect_timeout": int(self.connect_timeout)}
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

    async def _schedule(
        self, store: DeliveryStore, lanes: Lanes, lock: psycopg.AsyncConnection[object]
    ) -> None:
        assert self._stopping is not None
        busy: dict[UUID, asyncio.Task[None]] = {}
        loop = asyncio.get_running_loop()
        last_position, pause, next_scan, last_scan, moved = -1, FIRST_PAUSE, 0.0, 0.0, False
        try:
            while not self._stopping.is_set():
                position, active = await store.view_position()
                # Without an active destination nothing can be due; the log's moves need no scan then.
                moved = (moved or position != last_position) and active
                last_position, now = position, loop.time()
                gap = BUSY_SCAN_GAP_SECONDS if busy else SCAN_GAP_SECONDS
                if self._wake.is_set() or now >= next_scan or (moved and now - last_scan >= gap):
                    if now >= next_scan:
                        await lock.execute("SELECT 1")  # the lock is held as long as its connection lives
                        next_scan = now + RESCAN_SECONDS
                    self._wake.clear()
                    pause, last_scan, moved = FIRST_PAUSE, now, False
                    await self._start_lanes(store, lanes, busy)
                elif not moved:
                    pause = min(pause * 2, LONGEST_PAUSE)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), max(pause, gap / 2) if busy else pause)
        finally:
            for task in busy.values():
                task.cancel()
            await asyncio.gather(*busy.values(), return_exceptions=True)

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
