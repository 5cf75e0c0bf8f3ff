"""Router of the admin API's venue details: a venue's descriptive fields, by its UUID or its number."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from api.admin.deps import AdminContext, admin_context
from api.admin.surface import SURFACE
from api.shared.deps import RuntimeDep, body_openapi, json_body
from api.shared.problems import PayloadTooLargeError
from domain.organization import VenueNotFoundError
from domain.venue_details import InvalidVenueDetailError
from ledger.admin import operations
from ledger.admin.requests import VenueDetailsIn
from ledger.admin.responses import VenueOut

router = SURFACE.router(prefix="/api/v1/admin", tags=["admin"])
VenueRef = Annotated[str, Path(max_length=64, description="The venue's UUID or its integer number.")]


@router.patch(
    "/venues/{venueId}",
    responses=SURFACE.responses(VenueNotFoundError, InvalidVenueDetailError, PayloadTooLargeError),
    openapi_extra=body_openapi(VenueDetailsIn),
)
def update_venue(
    venueId: VenueRef,
    body: Annotated[VenueDetailsIn, Depends(json_body(VenueDetailsIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> VenueOut:
    """Set the descriptive fields given and answer the venue as it now is; unknown fields are refused."""
    return operations.update_venue(runtime.ledger, ctx, venueId, body)
