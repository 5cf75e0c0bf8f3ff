"""The admin surface: at the root, the bearer admin token, the `{"error": ...}` format."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from api.admin.deps import require_admin
from api.admin.errors import ADMIN_TYPES
from api.shared.deps import body_openapi
from api.shared.envelope import ENVELOPE
from api.shared.errors import REQUEST_ERRORS
from api.shared.problems import AdminTokenRequiredError, MissingApiTokenError, PayloadTooLargeError
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


def with_body(model: type[BaseModel], *raises: type[Exception]) -> dict[str, Any]:
    """The options of a route that takes `model` as its JSON body: its error responses (`raises`, and a body
    over the size limit) and the body's schema."""
    responses = SURFACE.responses(*raises, PayloadTooLargeError)
    return {"responses": responses, "openapi_extra": body_openapi(model)}
