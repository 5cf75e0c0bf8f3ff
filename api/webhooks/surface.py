"""The payment webhooks surface: below `/webhooks/`, authenticated by the provider's signature, not a key."""

from __future__ import annotations

from fastapi import Request

from api.shared.envelope import ENVELOPE
from api.shared.errors import COMMON_TYPES, REQUEST_ERRORS, ErrorTable
from api.shared.surface import Surface
from domain.context import Principal
from ledger.payments.provider import (
    InvalidWebhookError,
    MissingWebhookSignatureError,
    PaymentsNotConfiguredError,
)
from ledger.runtime import Runtime

PAYMENT_PROVIDER = Principal(id="stripe", kind="payment_provider")
SIGNATURE_HEADER = "stripe-signature"

WEBHOOK_TYPES: ErrorTable = {
    **COMMON_TYPES,
    # The signature is this surface's credential; a request without one gets the ledger's one type for that.
    MissingWebhookSignatureError: (401, "missing_api_token"),
    InvalidWebhookError: (400, "invalid_webhook"),
    PaymentsNotConfiguredError: (400, "payments_not_configured"),
}


def provider_principal(request: Request, runtime: Runtime) -> Principal:
    """The payment provider, for a request that carries its signature header; the route verifies it against
    the body, which only the route reads."""
    if not request.headers.get(SIGNATURE_HEADER):
        raise MissingWebhookSignatureError("The Stripe-Signature header is missing.")
    return PAYMENT_PROVIDER


SURFACE = Surface(
    name="payment-webhooks",
    errors=WEBHOOK_TYPES,
    format=ENVELOPE,
    auth=provider_principal,
    common=(*REQUEST_ERRORS, MissingWebhookSignatureError),
    paths=("/webhooks/",),
)
