"""The partner-sync surface: at the root, API keys, the Wingfield error types in `{"error": ...}`."""

from __future__ import annotations

from api.partner_sync.errors import PARTNER_SYNC_TYPES
from api.shared.auth import API_KEY_ERRORS, api_key_principal
from api.shared.envelope import ENVELOPE
from api.shared.errors import REQUEST_ERRORS
from api.shared.problems import ExternalServiceAccessDeniedError, ScopePermissionDeniedError
from api.shared.surface import Surface

SURFACE = Surface(
    name="partner-sync",
    errors=PARTNER_SYNC_TYPES,
    format=ENVELOPE,
    auth=api_key_principal,
    common=(*REQUEST_ERRORS, *API_KEY_ERRORS, ScopePermissionDeniedError, ExternalServiceAccessDeniedError),
    paths=("/api/v1/external-services",),
)
