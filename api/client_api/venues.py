"""Router of the client API's venues: map your venue ids (pending approval), look up, list, and read a
venue with its resources."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Response

from api.client_api.deps import IDEMPOTENT, ClientContext, client_context, etag, run_idempotent, written
from api.client_api.schemas import (
    ApprovalStatus,
    ClientVenueMappingOut,
    ExternalIdQuery,
    IsActive,
    Limit,
    Offset,
    VenueRegisteredOut,
    VenueRegisterIn,
)
from api.client_api.surface import SURFACE
from api.client_api.venue_views import VenueResourceOut, VenueWithResourcesOut
from api.shared.deps import RuntimeDep, body_openapi, json_body
from domain.client_mappings import (
    AlreadyMappedError,
    ExternalIdConflictError,
    InvalidExternalDataError,
    InvalidExternalIdError,
)
from domain.organization import VenueNotFoundError
from domain.venue_mappings import VenueMappingNotFoundError

router = SURFACE.router(prefix="/api/v1/client/venues", tags=["client API: venues"])
VenueBody = Annotated[VenueRegisterIn, Depends(json_body(VenueRegisterIn, client_context))]


@router.post(
    "/register/",
    response_model=VenueRegisteredOut,
    responses={
        201: {"model": VenueRegisteredOut, "description": "The mapping was made, pending approval."},
        **SURFACE.responses(
            InvalidExternalIdError,
            InvalidExternalDataError,
            VenueNotFoundError,
            ExternalIdConflictError,
            AlreadyMappedError,
            *IDEMPOTENT,
        ),
    },
    openapi_extra=body_openapi(VenueRegisterIn),
)
def register_venue(request: Request, body: VenueBody, ctx: ClientContext, runtime: RuntimeDep) -> Response:
    """Map your venue id to a venue (its number or UUID) of an organization granted to you. A new mapping is
    `pending` (201) until an operator approves or rejects it; registering again answers it as it is (200).
    Honours Idempotency-Key."""

    def handle() -> Response:
        saved = runtime.ledger.register_client_venue(ctx, body.external_id, body.venue_id, body.external_data)
        out = VenueRegisteredOut.of(saved.value, saved.created)
        return written(runtime, out, 201 if saved.created else 200, saved.position)

    return run_idempotent(request, ctx, handle)


@router.get("/lookup/", responses=SURFACE.responses(VenueMappingNotFoundError))
def lookup_venue(
    external_id: ExternalIdQuery, ctx: ClientContext, runtime: RuntimeDep, response: Response
) -> ClientVenueMappingOut:
    """Your venue by your id, with its approval status; another client's ids are never found."""
    mapped = runtime.ledger.lookup_client_venue(ctx, external_id)
    response.headers["ETag"] = etag(mapped.mapping.version, mapped.venue.version)
    return ClientVenueMappingOut.of(mapped)


@router.get("/mappings/", responses=SURFACE.responses())
def list_venues(
    ctx: ClientContext,
    runtime: RuntimeDep,
    approval_status: Annotated[ApprovalStatus | None, Query(description="Only those of this status.")] = None,
    is_active: IsActive = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[ClientVenueMappingOut]:
    """Your venues in the order you registered them."""
    mapped = runtime.ledger.list_client_venues(ctx, approval_status, is_active, limit, offset)
    return [ClientVenueMappingOut.of(item) for item in mapped]


@router.get("/resources/", responses=SURFACE.responses(VenueMappingNotFoundError))
def venue_with_resources(
    venue_external_id: ExternalIdQuery, ctx: ClientContext, runtime: RuntimeDep
) -> VenueWithResourcesOut:
    """Your venue by your id with every resource it holds, each with your external_id when you mapped it,
    and its booking rules once it has them (null before)."""
    ledger = runtime.ledger
    mapped = ledger.lookup_client_venue(ctx, venue_external_id)
    resources = []
    for resource in ledger.venue_resources(ctx, mapped.venue.id):
        if resource.number is None:
            resource = ledger.numbered_resource(ctx, resource.id).value
        resources.append(VenueResourceOut.of(resource, ledger.resource_external_id(ctx, resource.id)))
    return VenueWithResourcesOut.of(mapped.venue, mapped.mapping.external_id, resources)
