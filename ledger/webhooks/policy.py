"""How a delivery is attempted and retried: timeouts, the answer read, back-off, giving up, concurrency."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from ledger.settings import Settings


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
    lane_window: int = 1

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
            lane_window=settings.webhook_lane_window,
        )

    def retry_delay(self, attempt: int) -> float:
        """Exponential back-off from `retry_base`, capped at `retry_max`, with jitter in its upper half, so
        receivers that failed together are not retried together."""
        ceiling: float = min(self.retry_base * 2.0 ** min(attempt - 1, 30), self.retry_max)
        return ceiling / 2 + random.uniform(0, ceiling / 2)
