"""The OAuth resolver: the caller is the client of the bearer access token, for the token's organization."""

from __future__ import annotations

from fastapi import Request

from api.oauth.tokens import verify_token
from api.shared.auth import failures_limited, limits_of
from api.shared.problems import MissingApiTokenError
from api.shared.rate_limit import RateLimitedError
from domain.client import InvalidApiTokenError
from domain.context import Principal
from domain.oauth_commands import UnknownOAuthClientError
from ledger.oauth_keys import KeyRing
from ledger.runtime import Runtime


class InvalidAccessTokenError(InvalidApiTokenError):
    """Raised when a bearer access token is malformed, expired, void, or signed by no key the server knows."""


ACCESS_TOKEN_ERRORS = (MissingApiTokenError, InvalidAccessTokenError, RateLimitedError)
"""What `oauth_access_principal` may answer: no token, a refused token, too many requests."""


def signing_keys(request: Request) -> KeyRing:
    """The key ring that the app resolved when it started."""
    keys: KeyRing = request.app.state.oauth_keys
    return keys


def bearer_token(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return (credentials.strip() or None) if scheme.lower() == "bearer" else None


def oauth_access_principal(request: Request, runtime: Runtime) -> Principal:
    """The client of the access token, with its scopes and the token's organization as its only one.

    The client is read on every request, so revoking it, or replacing its secret, ends its access tokens at
    once; refused tokens spend the address's failed-attempt allowance as refused API keys do.
    """
    token = bearer_token(request)
    if token is None:
        raise MissingApiTokenError("No access token was provided: send Authorization: Bearer <access_token>.")
    principal = failures_limited(request, lambda: _principal(signing_keys(request), runtime, token))
    limits_of(request).clients.check(principal.id)
    return principal


def _principal(keys: KeyRing, runtime: Runtime, token: str) -> Principal:
    claims = verify_token(keys, token, "access", runtime.clock(), InvalidAccessTokenError)
    try:
        client = runtime.ledger.active_oauth_client(claims.client_id)
    except UnknownOAuthClientError:
        raise InvalidAccessTokenError("The token's client is unknown or was revoked.") from None
    if client.generation != claims.generation:
        raise InvalidAccessTokenError("The token was issued before the client's secret was last replaced.")
    if claims.organization_id is None or claims.organization_id not in client.organization_ids:
        raise InvalidAccessTokenError("The token's organization is not granted to its client.")
    return Principal(
        id=str(client.id),
        kind="client",
        scopes=client.scopes,
        organization_ids=frozenset({claims.organization_id}),
    )
