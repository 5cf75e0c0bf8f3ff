"""Authentication: the API-key resolver, the failed-attempt limit, the principal of the route's surface."""

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from api.shared.deps import RuntimeDep, path_uuid
from api.shared.problems import (
    ExternalServiceAccessDeniedError,
    MissingApiTokenError,
    ScopePermissionDeniedError,
)
from api.shared.rate_limit import RateLimitedError, RequestLimits
from api.shared.surface import Surfaces
from domain.client import InvalidApiTokenError
from domain.context import Principal
from domain.errors import AccessDeniedError
from ledger.runtime import Runtime

T = TypeVar("T")

API_KEY_ERRORS = (MissingApiTokenError, InvalidApiTokenError, RateLimitedError)
"""What `api_key_principal` may answer: no key, an unknown or revoked key, too many requests."""


def presented_token(request: Request) -> str | None:
    """The credential from `Authorization: Bearer|Token <key>` or `x-api-key`."""
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() in ("bearer", "token") and credentials.strip():
        return credentials.strip()
    api_key = request.headers.get("x-api-key", "").strip()
    return api_key or None


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def limits_of(request: Request) -> RequestLimits:
    limits: RequestLimits = request.app.state.limits
    return limits


def failures_limited(request: Request, check: Callable[[], T]) -> T:
    """The principal that `check` admits, unless the caller's address has failed too often of late.

    A refused credential spends the address's allowance; once spent, the address gets 429 before any key
    is looked up, so a flood of bad keys costs no database work.
    """
    limiter, address = limits_of(request).failed_auth, client_address(request)
    limiter.ensure_available(address)
    try:
        return check()
    except AccessDeniedError:
        limiter.spend(address)
        raise


def api_key_principal(request: Request, runtime: Runtime) -> Principal:
    """The resolver of the surfaces that partner clients call: the client of the API key, rate-limited."""
    token = presented_token(request)
    if token is None:
        raise MissingApiTokenError("No API token was provided.")
    principal = failures_limited(request, lambda: runtime.ledger.authenticate(token))
    limits_of(request).clients.check(principal.id)
    return principal


def authenticated(request: Request, runtime: RuntimeDep) -> Principal:
    """The caller, as found by the resolver of the surface whose route matched."""
    surfaces: Surfaces = request.app.state.surfaces
    return surfaces.surface_for(request.scope).auth(request, runtime)


def require_scope(scope: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits callers holding `scope` (async: it does no I/O, see `get_runtime`)."""

    async def dependency(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if not principal.has_scope(scope):
            raise ScopePermissionDeniedError(f"This operation needs the {scope!r} scope.")
        return principal

    return dependency


def require_service_scope(scope: str) -> Callable[[Request, Principal], Awaitable[Principal]]:
    """A dependency admitting only the client whose id is the path's `externalServiceId`, with `scope`."""

    async def dependency(
        request: Request, principal: Annotated[Principal, Depends(require_scope(scope))]
    ) -> Principal:
        if path_uuid(request, "externalServiceId") != principal.client_id:
            raise ExternalServiceAccessDeniedError("The token does not belong to this external service.")
        return principal

    return dependency
