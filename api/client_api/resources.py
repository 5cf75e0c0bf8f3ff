"""Router of the client API's resources: map your resource ids to the ledger's resources, look up, list."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from api.client_api.deps import IDEMPOTENT, ClientContext, client_context, etag, run_idempotent, written
from api.client_api.schemas import (
    ExternalIdQuery,
    IsActive,
    Limit,
    Offset,
    ResourceMappingOut,
    ResourceRegisteredOut,
    ResourceRegisterIn,
)
from api.client_api.surface import SURFACE
from api.shared.deps import RuntimeDep, body_openapi, json_body
from domain.client_mappings import (
    AlreadyMappedError,
    ExternalIdConflictError,
    InvalidExternalDataError,
    InvalidExternalIdError,
    ResourceMappingNotFoundError,
)
from domain.organization import ResourceNotFoundError

router = SURFACE.router(prefix="/api/v1/client/resources", tags=["client API: resources"])
ResourceBody = Annotated[ResourceRegisterIn, Depends(json_body(ResourceRegisterIn, client_context))]


@router.post(
    "/register/",
    response_model=ResourceRegisteredOut,
    responses={
        201: {"model": ResourceRegisteredOut, "description": "The mapping was made."},
        **SURFACE.responses(
            InvalidExternalIdError,
            InvalidExternalDataError,
            ResourceNotFoundError,
            ExternalIdConflictError,
            AlreadyMappedError,
            *IDEMPOTENT,
        ),
    },
    openapi_extra=body_openapi(ResourceRegisterIn),
)
def register_resource(
    request: Request, body: ResourceBody, ctx: ClientContext, runtime: RuntimeDep
) -> Response:
    """Map your resource id to a resource (its number or UUID) of an organization granted to you: 201 when
    this made the mapping, 200 when it existed (its external_data replaced by the one sent). The id mapped to
    another resource, or the resource mapped under another id, is 409. Honours Idempotency-Key."""

    def handle() -> Response:
        saved = runtime.ledger.register_client_resource(
            ctx, body.external_id, body.resource_id, body.external_data
        )
        out = ResourceRegisteredOut.of(saved.value, saved.created)
        return written(runtime, out, 201 if saved.created else 200, saved.position)

    return run_idempotent(request, ctx, handle)


@router.get("/lookup/", responses=SURFACE.responses(ResourceMappingNotFoundError))
def lookup_resource(
    external_id: ExternalIdQuery, ctx: ClientContext, runtime: RuntimeDep, response: Response
) -> ResourceMappingOut:
    """Your resource by your id; another client's ids are never found."""
    mapped = runtime.ledger.lookup_client_resource(ctx, external_id)
    response.headers["ETag"] = etag(mapped.mapping.version, mapped.resource.version, mapped.venue.version)
    return ResourceMappingOut.of(mapped)


@router.get("/mappings/", responses=SURFACE.responses())
def list_resources(
    ctx: ClientContext,
    runtime: RuntimeDep,
    is_active: IsActive = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[ResourceMappingOut]:
    """Your resources in the order you registered them."""
    mapped = runtime.ledger.list_client_resources(ctx, is_active, limit, offset)
    return [ResourceMappingOut.of(item) for item in mapped]
