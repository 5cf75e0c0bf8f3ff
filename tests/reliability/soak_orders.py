"""The soak's order and read load: seats of coach events ordered and cancelled under Idempotency-Keys, and
reads of lists and orders; every exchange is kept for the checks."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.api.orders_support import BookingTenant, acting, order_body
from tests.reliability.processes import Attempt

IN_PROGRESS = "idempotency_request_in_progress"
RETRY_PAUSE = (0.05, 0.5)


def exchange(http: httpx.Client, method: str, path: str, **kwargs: Any) -> Attempt:
    """One request and its answer, or the transport error that took its place."""
    sent = time.monotonic()
    try:
        response = http.request(method, path, **kwargs)
    except httpx.TransportError as error:
        return Attempt(sent, time.monotonic(), None, {}, None, type(error).__name__)
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    return Attempt(sent, time.monotonic(), response.status_code, dict(response.headers), body)


def settled(attempt: Attempt) -> bool:
    """Whether a keyed write has its final answer: anything but no answer, a 5xx, a 429 or the key's first
    request still running (a worker killed with it holds the key until its lease runs out)."""
    if attempt.status is None or attempt.status >= 500 or attempt.status == 429:
        return False
    errors = attempt.body.get("errors") if isinstance(attempt.body, dict) else None
    return not (attempt.status == 409 and errors and errors[0].get("code") == IN_PROGRESS)


@dataclass
class PlacedOrder:
    """An order of one seat and its final answer (its retries shared one Idempotency-Key)."""

    event_id: str
    user_id: str
    final: Attempt | None = None

    @property
    def booking_id(self) -> str | None:
        if self.final is None or self.final.status not in (200, 201) or not isinstance(self.final.body, dict):
            return None
        return str(self.final.body["bookings"][0]["bookingId"])

    @property
    def order_id(self) -> str | None:
        if self.booking_id is None or self.final is None:
            return None
        return str(self.final.body["orderId"])


@dataclass
class OrderLoad:
    """Threads ordering seats for random users (70 %) and cancelling their acknowledged bookings (30 %),
    each write retried under its Idempotency-Key until it has its final answer; and threads reading."""

    base_url: str
    tenant: BookingTenant
    events: list[str]
    users: list[str]
    writers: int
    readers: int
    list_path: Callable[[], tuple[str, dict[str, str]]]
    """A partner list to read, with its headers."""
    seed: int = 0
    orders: list[PlacedOrder] = field(default_factory=list)
    cancels: list[tuple[str, Attempt]] = field(default_factory=list)
    exchanges: list[tuple[str, Attempt]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        for index in range(self.writers):
            self._spawn(f"orders-{index}", self._writer, index)
        for index in range(self.readers):
            self._spawn(f"reads-{index}", self._reader, index)

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=120)
        self.errors.extend(f"{thread.name} still running" for thread in self._threads if thread.is_alive())

    def acknowledged(self) -> list[PlacedOrder]:
        return [order for order in self.orders if order.booking_id is not None]

    def _spawn(self, name: str, target: Callable[[int], None], index: int) -> None:
        thread = threading.Thread(target=self._guarded, args=(target, index), name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _guarded(self, target: Callable[[int], None], index: int) -> None:
        try:
            target(index)
        except Exception as error:  # a bug in the driver must fail the run, not hang it
            self.errors.append(f"{threading.current_thread().name}: {type(error).__name__}: {error}")

    def _note(self, what: str, attempt: Attempt) -> None:
        with self._lock:
            self.exchanges.append((what, attempt))

    def _keyed(self, http: httpx.Client, what: str, path: str, body: Any, headers: dict[str, str]) -> Attempt:
        """POST until settled, with one Idempotency-Key for every attempt."""
        headers = {**headers, "Idempotency-Key": str(uuid.uuid4())}
        pause = RETRY_PAUSE[0]
        while True:
            attempt = exchange(http, "POST", path, json=body, headers=headers)
            self._note(what, attempt)
            if settled(attempt):
                return attempt
            time.sleep(pause)
            pause = min(pause * 2, RETRY_PAUSE[1])

    def _writer(self, index: int) -> None:
        rng = random.Random(self.seed * 7919 + index)
        mine: list[PlacedOrder] = []
        tenant = self.tenant.tenant
        with httpx.Client(base_url=self.base_url, timeout=30) as http:
            while not self._stopping.is_set():
                active = [order for order in mine if order.booking_id is not None]
                if active and rng.random() < 0.3:
                    order = active.pop(rng.randrange(len(active)))
                    mine.remove(order)
                    path = f"/api/v1/bookings/{order.booking_id}/cancel"
                    body = {"cancellationReasonCode": "NoTime"}
                    attempt = self._keyed(http, "POST cancel", path, body, acting(tenant, order.user_id))
                    with self._lock:
                        self.cancels.append((str(order.booking_id), attempt))
                    continue
                order = PlacedOrder(rng.choice(self.events), rng.choice(self.users))
                with self._lock:
                    self.orders.append(order)
                body = order_body(order.user_id, [order.event_id])
                order.final = self._keyed(
                    http, "POST order", "/api/v1/orders", body, acting(tenant, order.user_id)
                )
                mine.append(order)

    def _reader(self, index: int) -> None:
        rng = random.Random(self.seed * 104729 + index)
        tenant = self.tenant.tenant
        with httpx.Client(base_url=self.base_url, timeout=30) as http:
            while not self._stopping.wait(0.02):
                placed = self.acknowledged()
                if placed and rng.random() < 0.5:
                    order = rng.choice(placed)
                    path = f"/api/v1/orders/{order.order_id}"
                    self._note(
                        "GET order", exchange(http, "GET", path, headers=acting(tenant, order.user_id))
                    )
                else:
                    path, headers = self.list_path()
                    self._note("GET list", exchange(http, "GET", path, headers=headers))
