"""The bookings-and-orders surface: at the root, API keys acting for a user, the LE-KO `{"errors": [...]}`."""

from __future__ import annotations

from api.bookings.errors import BOOKINGS_TYPES, LEKO, ActingUserRequiredError, InvalidTraceparentError
from api.shared.auth import API_KEY_ERRORS, api_key_principal
from api.shared.errors import REQUEST_ERRORS
from api.shared.problems import ScopePermissionDeniedError
from api.shared.surface import Surface
from domain.court_booking import UserAccessDeniedError

SURFACE = Surface(
    name="bookings",
    errors=BOOKINGS_TYPES,
    format=LEKO,
    auth=api_key_principal,
    common=(
        *REQUEST_ERRORS,
        *API_KEY_ERRORS,
        InvalidTraceparentError,
        ActingUserRequiredError,
        ScopePermissionDeniedError,
        UserAccessDeniedError,
    ),
    paths=("/api/v1/orders", "/api/v1/bookings/", "/api/v1/notifications", "/api/v1/users/"),
)
