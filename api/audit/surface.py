"""The audit surface: at the root, API keys with the `audit:read` scope, the `{"error": ...}` format."""

from __future__ import annotations

from api.audit.errors import AUDIT_TYPES
from api.shared.auth import API_KEY_ERRORS, api_key_principal
from api.shared.envelope import ENVELOPE
from api.shared.errors import REQUEST_ERRORS
from api.shared.problems import ExternalServiceAccessDeniedError, ScopePermissionDeniedError
from api.shared.surface import Surface

SURFACE = Surface(
    name="audit",
    errors=AUDIT_TYPES,
    format=ENVELOPE,
    auth=api_key_principal,
    common=(*REQUEST_ERRORS, *API_KEY_ERRORS, ScopePermissionDeniedError, ExternalServiceAccessDeniedError),
    paths=("/api/v1/audit/",),
)
