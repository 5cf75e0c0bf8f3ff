"""The admin surface: at the root, the bearer admin token, the `{"error": ...}` format."""

from __future__ import annotations

from api.admin.deps import require_admin
from api.admin.errors import ADMIN_TYPES
from api.shared.envelope import ENVELOPE
from api.shared.errors import REQUEST_ERRORS
from api.shared.problems import AdminTokenRequiredError, MissingApiTokenError
from api.shared.rate_limit import RateLimitedError
from api.shared.surface import Surface

SURFACE = Surface(
    name="admin",
    errors=ADMIN_TYPES,
    format=ENVELOPE,
    auth=require_admin,
    common=(*REQUEST_ERRORS, MissingApiTokenError, AdminTokenRequiredError, RateLimitedError),
    paths=("/api/v1/admin",),
)
