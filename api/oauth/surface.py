"""The OAuth surface: the token endpoint at `/oauth/`, in RFC 6749's error format."""

from __future__ import annotations

from api.oauth.errors import OAUTH_FORMAT, OAUTH_TYPES
from api.oauth.resolver import oauth_access_principal
from api.shared.errors import REQUEST_ERRORS
from api.shared.surface import Surface

SURFACE = Surface(
    name="oauth",
    errors=OAUTH_TYPES,
    format=OAUTH_FORMAT,
    # No route here needs a caller: the token endpoint authenticates clients itself.
    auth=oauth_access_principal,
    common=REQUEST_ERRORS,
    paths=("/oauth/",),
)
