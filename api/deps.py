"""Shared FastAPI dependencies: the runtime, the principal for a scope, and the command context."""

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from api.middleware import NO_STORE
from api.problems import (
    AdminTokenRequiredError,
    ExternalServiceAccessDeniedError,
    MissingApiTokenError,
    RequestSchemaError,
    ScopePermissionDeniedError,
    ServiceUnavailableError,
)
from api.rate_limit import RequestLimits
from domain.context import ADMIN, Principal, RequestContext
from domain.errors import AccessDeniedError
from ledger.runtime import Runtime, hash_token


def get_runtime(request: Request) -> Runtime:
    """The runtime; while the database is known to be down, requests that need it answer 503 at once."""
    runtime: Runtime = request.app.state.runtime
    if runtime.database is not None and not runtime.database.available:
        raise ServiceUnavailableError("The database is unavailable.")
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def presented_token(request: Request) -> str | None:
    """The API key from `Authorization: Bearer|Token <key>` or `x-api-key`."""
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


def failures_limited(request: Request, check: Callable[[], Principal]) -> Principal:
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


def authenticated(request: Request, runtime: RuntimeDep) -> Principal:
    token = presented_token(request)
    if token is None:
        raise MissingApiTokenError("No API token was provided.")
    principal = failures_limited(request, lambda: runtime.ledger.authenticate(token))
    limits_of(request).clients.check(principal.id)
    return principal


def require_scope(scope: str) -> Callable[[Principal], Principal]:
    """A dependency that admits clients holding `scope`."""

    def dependency(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if not principal.has_scope(scope):
            raise ScopePermissionDeniedError(f"This operation needs the {scope!r} scope.")
        return principal

    return dependency


def path_uuid(request: Request, name: str) -> UUID:
    raw = request.path_params.get(name, "")
    try:
        return UUID(raw)
    except ValueError:
        raise RequestSchemaError(
            f"{name} must be a UUID.", [{"path": [name], "code": "uuid_parsing", "message": "Invalid UUID."}]
        ) from None


def require_service_scope(scope: str) -> Callable[[Request, Principal], Principal]:
    """A dependency admitting only the client whose id is the path's `externalServiceId`, with `scope`."""

    def dependency(
        request: Request, principal: Annotated[Principal, Depends(require_scope(scope))]
    ) -> Principal:
        if path_uuid(request, "externalServiceId") != principal.client_id:
            raise ExternalServiceAccessDeniedError("The token does not belong to this external service.")
        return principal

    return dependency


def require_admin(request: Request, runtime: RuntimeDep) -> Principal:
    """The admin, for the admin token; admin calls are rate-limited per address like failed tokens."""
    token = presented_token(request)
    if token is None:
        raise MissingApiTokenError("No admin token was provided.")

    def check() -> Principal:
        if not hmac.compare_digest(hash_token(token), runtime.admin_token_hash):
            raise AdminTokenRequiredError("The admin token is invalid.")
        return ADMIN

    principal = failures_limited(request, check)
    limits_of(request).admin.check(client_address(request))
    return principal


def carries_secret(request: Request) -> None:
    """Marks a route whose response carries a secret: it is sent with `Cache-Control: no-store`.

    Use it as `dependencies=[CarriesSecret]` on the route, or on a whole router of such routes.
    """
    setattr(request.state, NO_STORE, True)


CarriesSecret = Depends(carries_secret)


def context_of(principal_dependency: Callable[..., Principal]) -> Callable[..., RequestContext]:
    """A dependency that builds the command context for the principal that `principal_dependency` admits."""

    def dependency(
        request: Request, runtime: RuntimeDep, principal: Annotated[Principal, Depends(principal_dependency)]
    ) -> RequestContext:
        return RequestContext(
            principal=principal,
            now=runtime.clock(),
            request_id=request.state.request_id,
            trace_id=request.state.trace_id,
        )

    return dependency


admin_context = context_of(require_admin)
AdminContext = Annotated[RequestContext, Depends(admin_context)]


M = TypeVar("M", bound=BaseModel)


def json_body(model: type[M], guard: Callable[..., Any]) -> Callable[..., Awaitable[M]]:
    """A dependency that parses the JSON body as `model` only after `guard` (auth) passed.

    FastAPI decodes a declared body before any dependency runs, which would let a malformed body answer 400
    before a missing token answers 401; parsing here keeps the order 401, 403, then 400.
    """

    async def dependency(request: Request, _: Annotated[Any, Depends(guard)]) -> M:
        raw = await request.body()
        try:
            return model.model_validate_json(raw)
        except ValidationError as error:
            issues = [{**issue, "loc": ("body", *issue["loc"])} for issue in error.errors(include_url=False)]
            raise RequestValidationError(issues) from None

    return dependency


def body_openapi(model: type[BaseModel]) -> dict[str, Any]:
    """The `openapi_extra` that documents a body parsed by `json_body`."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}
