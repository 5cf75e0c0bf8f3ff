"""Router of the client API's users: register, look up and list users under the client's own ids."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from api.client_api.deps import IDEMPOTENT, ClientContext, client_context, etag, run_idempotent, written
from api.client_api.schemas import (
    ExternalIdQuery,
    IsActive,
    Limit,
    Offset,
    UserMappingOut,
    UserRegisteredOut,
    UserRegisterIn,
)
from api.client_api.surface import SURFACE
from api.shared.deps import RuntimeDep, body_openapi, json_body
from domain.client_mappings import InvalidExternalIdError
from domain.organization import InvalidNameError
from domain.user import InvalidEmailError
from domain.user_mapping_commands import UserMappingNotFoundError

router = SURFACE.router(prefix="/api/v1/client/users", tags=["client API: users"])
UserBody = Annotated[UserRegisterIn, Depends(json_body(UserRegisterIn, client_context))]


@router.post(
    "/register/",
    response_model=UserRegisteredOut,
    responses={
        201: {"model": UserRegisteredOut, "description": "A new mapping was made (to a new or found user)."},
        **SURFACE.responses(InvalidExternalIdError, InvalidEmailError, InvalidNameError, *IDEMPOTENT),
    },
    openapi_extra=body_openapi(UserRegisterIn),
)
def register_user(request: Request, body: UserBody, ctx: ClientContext, runtime: RuntimeDep) -> Response:
    """Map your user id to a ledger user: 201 when this made the mapping (to the user with the email, or to a
    new user), 200 with the mapping as it is when the id was mapped before. Honours Idempotency-Key."""

    def handle() -> Response:
        saved = runtime.ledger.register_client_user(
            ctx, body.external_id, str(body.email), body.first_name, body.last_name
        )
        status = 201 if saved.value.mapping_created else 200
        return written(runtime, UserRegisteredOut.of(saved.value), status, saved.position)

    return run_idempotent(request, ctx, handle)


@router.get("/lookup/", responses=SURFACE.responses(UserMappingNotFoundError))
def lookup_user(
    external_id: ExternalIdQuery, ctx: ClientContext, runtime: RuntimeDep, response: Response
) -> UserMappingOut:
    """Your user by your id; another client's ids are never found."""
    mapped = runtime.ledger.lookup_client_user(ctx, external_id)
    response.headers["ETag"] = etag(mapped.mapping.version, mapped.user.version)
    return UserMappingOut.of(mapped)


@router.get("/mappings/", responses=SURFACE.responses())
def list_users(
    ctx: ClientContext,
    runtime: RuntimeDep,
    is_active: IsActive = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[UserMappingOut]:
    """Your users in the order you registered them."""
    mapped = runtime.ledger.list_client_users(ctx, is_active, limit, offset)
    return [UserMappingOut.of(item) for item in mapped]
