"""The changes surface: API keys with the `changes:read` scope, the `{"error": {...}}` format."""

from __future__ import annotations

from api.shared.auth import API_KEY_ERRORS, api_key_principal
from api.shared.envelope import ENVELOPE
from api.shared.errors import COMMON_TYPES, REQUEST_ERRORS, ErrorTable
from api.shared.problems import ScopePermissionDeniedError
from api.shared.surface import Surface
from domain import webhooks
from domain.errors import LedgerError, NotFoundError

SCOPE = "changes:read"


class CursorExpiredError(LedgerError):
    """Raised when a feed cursor points before the oldest change that the feed still keeps."""


class DeliveryNotFoundError(NotFoundError):
    """Raised when a webhook has no delivery with the id given."""


CHANGES_TYPES: ErrorTable = {
    **COMMON_TYPES,
    ScopePermissionDeniedError: (403, "scope_permission_denied"),
    CursorExpiredError: (410, "cursor_expired"),
    webhooks.WebhookNotFoundError: (404, "webhook_not_found"),
    webhooks.InvalidWebhookUrlError: (400, "invalid_webhook_url"),
    webhooks.TooManyWebhooksError: (409, "too_many_webhooks"),
    DeliveryNotFoundError: (404, "delivery_not_found"),
}

SURFACE = Surface(
    name="changes",
    errors=CHANGES_TYPES,
    format=ENVELOPE,
    auth=api_key_principal,
    common=(*REQUEST_ERRORS, *API_KEY_ERRORS, ScopePermissionDeniedError),
    paths=("/api/v1/changes", "/api/v1/webhooks"),
)
