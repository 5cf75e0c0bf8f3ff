"""A partner's bulk sync in the soak: threads sending batches of new and revised court bookings.

Each item of a batch is a write of its own, recorded like the single upserts of `PartnerLoad`, so the same
checks judge it: every item acknowledged in a batch's answer is in its booking's state and history, once.
"""

from __future__ import annotations

import random
import time
from typing import Any

import httpx

from tests.reliability.processes import (
    LANES_PER_COURT,
    MAX_ATTEMPTS,
    Attempt,
    Booking,
    PartnerLoad,
    Write,
    retryable,
)

BATCH_SIZE = 200
REVISED_SHARE = 0.2  # of each batch: revisions of bookings already acknowledged, the rest new bookings


class BatchLoad(PartnerLoad):
    """Threads that each own a set of lanes and sync them in batches; a batch left unanswered (no answer, a
    5xx, a 429) is sent again as it was, as a partner's sync job would, and an item whose own result asks to
    retry goes into the next batch unchanged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batches = 0

    @property
    def lanes_per_client(self) -> int:
        return LANES_PER_COURT * len(self.court_ids) // self.clients

    def batch_path(self) -> str:
        return f"/api/v1/external-services/{self.client_id}/court-bookings/batch"

    def _client(self, index: int) -> None:
        rng = random.Random(self.seed * 7919 + index)
        bookings: list[Booking] = []
        retries: list[tuple[Booking, Write]] = []
        try:
            with httpx.Client(base_url=self.base_url, timeout=60) as http:
                while not self._stopping.is_set() and time.monotonic() < self._hard_deadline:
                    waiting = {booking.external_id for booking, _ in retries}
                    fresh = self._next_items(rng, index, bookings, BATCH_SIZE - len(retries), waiting)
                    for _, write in fresh:
                        self._record(write)
                    items = retries + fresh
                    self._send_batch(http, [write for _, write in items])
                    retries = []
                    for booking, write in items:
                        if write.settled is None and write.attempts:
                            retries.append((booking, write))
                        else:
                            self._settle(booking, write)
        except Exception as error:  # a bug in the driver must fail the scenario, not hang it
            self.errors.append(f"batch client {index}: {type(error).__name__}: {error}")

    def _next_items(
        self, rng: random.Random, index: int, bookings: list[Booking], count: int, waiting: set[str]
    ) -> list[tuple[Booking, Write]]:
        """`count` writes: revisions of acknowledged bookings (none `waiting` for a retry), then new ones."""
        known = [b for b in bookings if b.exists and not b.retired and b.external_id not in waiting]
        revised = rng.sample(known, min(len(known), int(count * REVISED_SHARE)))
        items = [(booking, self._put(booking, rng)) for booking in revised]
        for _ in range(count - len(items)):
            n = len(bookings)
            lane = index * self.lanes_per_client + n % self.lanes_per_client
            court, window = self._lane(lane, n // self.lanes_per_client)
            booking = Booking(f"{self.prefix}-batch{index}-b{n}", court, window)
            bookings.append(booking)
            items.append((booking, self._put(booking, rng)))
        return items

    def _send_batch(self, http: httpx.Client, writes: list[Write]) -> None:
        body = {"bookings": [{"externalCourtBookingId": w.external_id, **w.params} for w in writes]}
        delay = 0.05
        for _ in range(MAX_ATTEMPTS):
            if time.monotonic() > self._hard_deadline or self._abandon.is_set():
                return
            sent = time.monotonic()
            try:
                response = http.post(self.batch_path(), json=body, headers=self.headers)
            except httpx.TransportError as error:
                failed = Attempt(sent, time.monotonic(), None, {}, None, type(error).__name__)
                for write in writes:
                    write.attempts.append(failed)
            else:
                answered = time.monotonic()
                if response.status_code == 200:
                    self.batches += 1
                    for write, result in zip(writes, response.json()["results"], strict=True):
                        self._answer(write, Attempt(sent, answered, result["status"], {}, result["body"]))
                    return
                whole = _body_of(response)
                for write in writes:
                    write.attempts.append(
                        Attempt(sent, answered, response.status_code, dict(response.headers), whole)
                    )
                if not retryable(response):
                    for write in writes:
                        write.settled = write.attempts[-1]
                    return
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    @staticmethod
    def _answer(write: Write, attempt: Attempt) -> None:
        write.attempts.append(attempt)
        if attempt.status is not None and not (attempt.status >= 500 or attempt.status == 429):
            write.settled = attempt


def _body_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text
