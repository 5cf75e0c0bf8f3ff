"""The OAuth surface (RFC 6749 client credentials and refresh tokens) and the access-token resolver."""

# Importing the routes adds their router to the surface.
from api.oauth import routes
from api.oauth.resolver import ACCESS_TOKEN_ERRORS, InvalidAccessTokenError, oauth_access_principal
from api.oauth.surface import SURFACE

__all__ = ["ACCESS_TOKEN_ERRORS", "SURFACE", "InvalidAccessTokenError", "oauth_access_principal", "routes"]
