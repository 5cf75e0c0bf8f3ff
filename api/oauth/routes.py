"""Router of the OAuth surface: `POST /oauth/token`."""

from __future__ import annotations

from dataclasses import replace

from fastapi import Request
from fastapi.responses import Response

from api.oauth.errors import (
    InvalidGrantError,
    InvalidScopeError,
    InvalidTokenRequestError,
    UnauthorizedClientError,
    UnsupportedGrantTypeError,
)
from api.oauth.grants import TokenOut, TokenRequestIn, grant_token
from api.oauth.params import FORM, client_credentials, token_parameters
from api.oauth.resolver import signing_keys
from api.oauth.surface import SURFACE
from api.shared.auth import client_address, limits_of
from api.shared.deps import CarriesSecret, RuntimeDep
from api.shared.problems import PayloadTooLargeError
from api.shared.rate_limit import RateLimitedError
from domain.errors import AccessDeniedError

router = SURFACE.router(prefix="/oauth", tags=["oauth"])
BASIC_CHALLENGE = 'Basic realm="oauth"'
REQUEST_SCHEMA = TokenRequestIn.model_json_schema()
TOKEN_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {FORM: {"schema": REQUEST_SCHEMA}, "application/json": {"schema": REQUEST_SCHEMA}},
    }
}


@router.post(
    "/token",
    response_model=TokenOut,
    response_model_exclude_none=True,
    responses=SURFACE.responses(
        InvalidTokenRequestError,
        AccessDeniedError,
        InvalidGrantError,
        UnauthorizedClientError,
        UnsupportedGrantTypeError,
        InvalidScopeError,
        PayloadTooLargeError,
        RateLimitedError,
    ),
    openapi_extra=TOKEN_OPENAPI,
    # Every answer of the token endpoint, errors included, is kept out of caches (RFC 6749 section 5.1).
    dependencies=[CarriesSecret],
)
def token(request: Request, runtime: RuntimeDep) -> TokenOut | Response:
    """Exchange client credentials for a refresh token (1800 s), or a refresh token and an organization for
    an access token to that organization (300 s).

    Errors follow RFC 6749 section 5.2; a failed client authentication answers 401 with a Basic challenge.
    Failed attempts spend the caller's address allowance, as refused API keys do.
    """
    limiter, address = limits_of(request).failed_auth, client_address(request)
    limiter.ensure_available(address)
    parameters = token_parameters(request.state.body, request.headers.get("content-type", ""))
    try:
        credentials = client_credentials(request.headers.get("authorization", ""), parameters)
        return grant_token(runtime.ledger, signing_keys(request), runtime.clock(), parameters, credentials)
    except AccessDeniedError as refused:
        limiter.spend(address)
        problem = SURFACE.problem_for(refused)
        challenge = replace(problem, headers={**problem.headers, "WWW-Authenticate": BASIC_CHALLENGE})
        return SURFACE.response(challenge, request.scope)
    except InvalidGrantError:
        limiter.spend(address)
        raise
