"""Dependencies of the client API: the calling client's context, bodies, idempotent POSTs, responses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.responses import Response

from api.client_api.errors import PERMISSION_DENIED
from api.client_api.surface import SURFACE
from api.shared.auth import authenticated
from api.shared.deps import context_of
from api.shared.idempotency import IdempotencyInProgressError, IdempotencyKeyReusedError, IdempotencyStore
from api.shared.problems import PayloadTooLargeError, ScopePermissionDeniedError
from domain.context import Principal, RequestContext
from domain.errors import InvalidInputError, LedgerError
from ledger.runtime import Runtime

SCOPE = "client-api"
MAX_IDEMPOTENCY_KEY = 255
IDEMPOTENT = (IdempotencyKeyReusedError, IdempotencyInProgressError, PayloadTooLargeError)
"""What a POST of this surface may answer besides its own errors: a reused or busy key, a body too large."""


class InvalidIdempotencyKeyError(InvalidInputError):
    """Raised when an Idempotency-Key header is empty or longer than 255 characters."""


async def require_client_api(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
    """Admits a client holding the `client-api` scope."""
    if principal.client_id is None or not principal.has_scope(SCOPE):
        raise ScopePermissionDeniedError(PERMISSION_DENIED)
    return principal


client_context = context_of(require_client_api)
ClientContext = Annotated[RequestContext, Depends(client_context)]


def written(runtime: Runtime, model: BaseModel, status: int, position: int | None) -> JSONResponse:
    """The response of a write, with the ledger position to wait for in the views."""
    headers = {"X-Ledger-Position": str(runtime.reported_position(position))}
    return JSONResponse(model.model_dump(mode="json"), status_code=status, headers=headers)


def etag(*versions: int | None) -> str:
    """An ETag from the versions of every aggregate a response shows."""
    return '"' + "-".join(str(version) for version in versions) + '"'


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
        raise InvalidIdempotencyKeyError(f"Idempotency-Key has 1 to {MAX_IDEMPOTENCY_KEY} characters.")
    return key


def run_idempotent(
    request: Request, ctx: RequestContext, handle: Callable[[], Response], *also: str
) -> Response:
    """Answer a POST once per Idempotency-Key, as the orders surface does: the first response, errors
    included, is stored durably and replayed to retries; a 5xx is not stored, so its retry runs again.
    `also` names what besides the method, path and body makes the request another one (the acting user)."""
    key = idempotency_key(request)
    if key is None:
        return handle()
    store: IdempotencyStore = request.app.state.idempotency

    def respond() -> Response:
        try:
            return handle()
        except LedgerError as error:
            return SURFACE.error_response(request.scope, error)

    # The path with and without its trailing slash is one request.
    path = request.url.path.rstrip("/") + "/"
    fingerprint = store.fingerprint(request.method, path, request.state.body, *also)
    return store.run(str(ctx.principal.client_id), key, fingerprint, respond)
