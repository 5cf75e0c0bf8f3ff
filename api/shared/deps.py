"""Dependencies that every surface shares: the runtime, path ids, the command context, bodies, secrets."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from api.shared.middleware import NO_STORE
from api.shared.problems import RequestSchemaError, ServiceUnavailableError
from domain.context import Principal, RequestContext
from ledger.runtime import Runtime


async def get_runtime(request: Request) -> Runtime:
    """The runtime; while the database is known to be down, requests that need it answer 503 at once.

    Async, as every dependency that does no I/O: FastAPI runs a plain function in a worker thread, a hop
    that costs more than the work itself.
    """
    runtime: Runtime = request.app.state.runtime
    if runtime.database is not None and not runtime.database.available:
        raise ServiceUnavailableError("The database is unavailable.")
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def path_uuid(request: Request, name: str) -> UUID:
    raw = request.path_params.get(name, "")
    try:
        return UUID(raw)
    except ValueError:
        raise RequestSchemaError(
            f"{name} must be a UUID.", [{"path": [name], "code": "uuid_parsing", "message": "Invalid UUID."}]
        ) from None


def carries_secret(request: Request) -> None:
    """Marks a route whose response carries a secret: it is sent with `Cache-Control: no-store`.

    Use it as `dependencies=[CarriesSecret]` on the route, or on a whole router of such routes.
    """
    setattr(request.state, NO_STORE, True)


CarriesSecret = Depends(carries_secret)


def context_of(principal_dependency: Callable[..., Any]) -> Callable[..., Awaitable[RequestContext]]:
    """A dependency that builds the command context for the principal that `principal_dependency` admits."""

    async def dependency(
        request: Request, runtime: RuntimeDep, principal: Annotated[Principal, Depends(principal_dependency)]
    ) -> RequestContext:
        return RequestContext(
            principal=principal,
            now=runtime.clock(),
            request_id=request.state.request_id,
            trace_id=request.state.trace_id,
        )

    return dependency


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
