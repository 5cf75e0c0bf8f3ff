"""How webhooks are delivered: a part of the one `Settings` object."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class WebhookDeliverySettings(BaseSettings):
    """`LEDGER_WEBHOOK_*` of the delivery worker; `Settings` inherits them and gives them its prefix."""

    webhook_timeout_seconds: float = Field(
        default=10, gt=0, le=60, description="How long one delivery attempt may take, answer included."
    )
    webhook_max_response_bytes: int = Field(
        default=64 * 1024, ge=0, description="How much of a receiver's answer is read; the rest is dropped."
    )
    webhook_retry_base_seconds: float = Field(
        default=1.0, gt=0, le=3600, description="The first retry's delay; each further one doubles it."
    )
    webhook_retry_max_seconds: float = Field(
        default=3600, gt=0, le=86400, description="The longest delay between two attempts."
    )
    webhook_disable_after_seconds: float = Field(
        default=3 * 24 * 3600, gt=0, description="A subscription failing this long is disabled."
    )
    webhook_max_in_flight: int = Field(
        default=100, ge=1, le=10000, description="Destinations delivered to at once, one request each."
    )
    webhook_lane_window: int = Field(
        default=8, ge=1, le=100, description="Requests in flight to one destination (one per entity)."
    )
    webhook_poll_seconds: float = Field(
        default=1.0, gt=0, le=3600, description="How often due deliveries are looked for unannounced."
    )
