"""The token endpoint's two grants: client credentials to a refresh token, and that to an access token."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.oauth.errors import (
    InvalidClientError,
    InvalidGrantError,
    InvalidScopeError,
    InvalidTokenRequestError,
    UnauthorizedClientError,
    UnsupportedGrantTypeError,
)
from api.oauth.params import ClientCredentials
from api.oauth.tokens import LIFETIMES, TokenUse, issue_token, verify_token
from domain.application import Ledger
from domain.oauth_commands import OAuthClient
from ledger.oauth_keys import KeyRing

MODULE_SCOPE = "module-api"
GRANT_TYPES = ("client_credentials", "refresh_token")


class TokenOut(BaseModel):
    """A token response: a refresh token (client_credentials) or an access token (refresh_token)."""

    refresh_token: str | None = Field(default=None, description="Valid 1800 s; exchanged for access tokens.")
    access_token: str | None = Field(default=None, description="Valid 300 s, for one organization.")
    token_type: str = Field(default="Bearer", examples=["Bearer"])
    expires_in: int = Field(examples=[1800, 300])


class TokenRequestIn(BaseModel):
    """The token request's parameters, as a form or a JSON object."""

    grant_type: str = Field(examples=["client_credentials", "refresh_token"])
    client_id: str | None = Field(default=None, description="Or the user name of HTTP Basic.")
    client_secret: str | None = Field(default=None, description="Confidential clients only; or Basic.")
    refresh_token: str | None = Field(default=None, description="grant_type=refresh_token")
    organization_id: str | None = Field(
        default=None, description="grant_type=refresh_token: a UUID, with or without hyphens."
    )
    scope: str | None = Field(default=None, description=f"Optional; only {MODULE_SCOPE} is granted.")


def grant_token(
    ledger: Ledger, keys: KeyRing, now: datetime, parameters: dict[str, str], credentials: ClientCredentials
) -> TokenOut:
    """The token that the request's grant yields, or the RFC 6749 error that refuses it."""
    grant_type = parameters.get("grant_type")
    if not grant_type:
        raise InvalidTokenRequestError("The parameter grant_type is required.")
    if grant_type not in GRANT_TYPES:
        raise UnsupportedGrantTypeError(f"Use grant_type {' or '.join(GRANT_TYPES)}.")
    refresh_token, organization = parameters.get("refresh_token"), parameters.get("organization_id")
    if grant_type == "refresh_token" and not (refresh_token and organization):
        raise InvalidTokenRequestError("grant_type=refresh_token needs refresh_token and organization_id.")
    client = authenticated_client(ledger, credentials)
    if MODULE_SCOPE not in client.scopes:
        raise UnauthorizedClientError(f"The client needs the {MODULE_SCOPE} scope to obtain tokens.")
    requested = set(parameters.get("scope", "").split())
    if requested - {MODULE_SCOPE}:
        raise InvalidScopeError(f"Only the scope {MODULE_SCOPE} may be requested.")
    if grant_type == "client_credentials" or refresh_token is None or organization is None:
        return token_out("refresh", issue_token(keys, "refresh", client.id, client.generation, now))
    organization_id = parsed_organization(organization)
    claims = verify_token(keys, refresh_token, "refresh", now, InvalidGrantError)
    if claims.client_id != client.id:
        raise InvalidGrantError("The refresh token was issued to another client.")
    if claims.generation != client.generation:
        raise InvalidGrantError("The refresh token was issued before the client's secret was last replaced.")
    if organization_id not in client.organization_ids:
        raise InvalidScopeError("The organization is not granted to this client.")
    access = issue_token(keys, "access", client.id, client.generation, now, organization_id)
    return token_out("access", access)


def authenticated_client(ledger: Ledger, credentials: ClientCredentials) -> OAuthClient:
    if credentials.client_id is None:
        raise InvalidClientError("The client is not identified: send client_id, or use Basic.")
    try:
        client_id = UUID(credentials.client_id)
    except ValueError:
        raise InvalidClientError("The client is unknown or was revoked.") from None
    return ledger.authenticate_oauth_client(client_id, credentials.client_secret)


def parsed_organization(value: str) -> UUID:
    """An organization id: a UUID, also accepted as 32 hex characters without hyphens."""
    try:
        return UUID(value)
    except ValueError:
        raise InvalidTokenRequestError("organization_id must be a UUID (hyphens optional).") from None


def token_out(use: TokenUse, token: str) -> TokenOut:
    if use == "refresh":
        return TokenOut(refresh_token=token, expires_in=LIFETIMES[use])
    return TokenOut(access_token=token, expires_in=LIFETIMES[use])
