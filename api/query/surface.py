"""The query surface: at the root, API keys with `analytics:read`, the Plinth `{"error": "..."}` format."""

from __future__ import annotations

from api.query.errors import QUERY_FORMAT, QUERY_TYPES, OrganisationNotGrantedError
from api.shared.auth import API_KEY_ERRORS, api_key_principal
from api.shared.errors import REQUEST_ERRORS
from api.shared.problems import ScopePermissionDeniedError
from api.shared.surface import Surface

# `/api/v1/bookings/...` below the exact list path belongs to the bookings surface, whose prefix is longer.
SURFACE = Surface(
    name="query",
    errors=QUERY_TYPES,
    format=QUERY_FORMAT,
    auth=api_key_principal,
    common=(*REQUEST_ERRORS, *API_KEY_ERRORS, ScopePermissionDeniedError, OrganisationNotGrantedError),
    paths=("/api/v1/bookings", "/api/v1/schemas", "/api/v1/analytics"),
)
