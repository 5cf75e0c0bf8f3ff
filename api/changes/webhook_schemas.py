"""Bodies and answers of webhook subscriptions."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.changes.params import WEBHOOK_TYPES, unknown_types
from domain.context import format_instant
from domain.webhooks import MAX_URL_LENGTH, WebhookSubscription

MAX_TYPES = 50


class WebhookIn(BaseModel):
    """A subscription: where to deliver, and which changes (all when `types` is empty)."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        max_length=MAX_URL_LENGTH,
        examples=["https://partner.example.com/ledger-webhooks"],
        description="An https URL; a loopback address only where the ledger allows it (local development).",
    )
    types: list[str] = Field(
        default_factory=list,
        max_length=MAX_TYPES,
        examples=[["court_booking", "booking.canceled"]],
        description="Change types or entities, as the feed's `types`, or `notification` (or "
        "`notification.<trigger>`) for the notifications of the client's rules; empty: all of them.",
    )

    @field_validator("types")
    @classmethod
    def _known(cls, types: list[str]) -> list[str]:
        unknown = unknown_types(types, WEBHOOK_TYPES)
        if unknown:
            raise ValueError(f"unknown change types: {', '.join(unknown)}")
        return types


class WebhookOut(BaseModel):
    id: UUID
    url: str
    types: list[str]
    status: str = Field(examples=["active"], description="`active`, or `disabled` (see `disabledReason`).")
    disabledReason: str | None = Field(description="Why deliveries stopped, when they did.")
    disabledAt: str | None
    createdAt: str

    @classmethod
    def of(cls, subscription: WebhookSubscription) -> WebhookOut:
        disabled_at = subscription.disabled_at
        return cls(
            id=subscription.id,
            url=subscription.url,
            types=list(subscription.types),
            status=subscription.status,
            disabledReason=subscription.disabled_reason,
            disabledAt=format_instant(disabled_at) if disabled_at is not None else None,
            createdAt=format_instant(subscription.created_at),
        )


class CreatedWebhookOut(WebhookOut):
    secret: str = Field(
        description="The signing secret (`whsec_...`), shown only here; keep it to verify deliveries."
    )


class WebhookList(BaseModel):
    webhooks: list[WebhookOut]
