"""Router of the admin API's venue details: a venue's descriptive fields, by its UUID or its number."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from api.admin.deps import Admin, admin_body
from api.admin.surface import SURFACE, with_body
from domain.organization import VenueNotFoundError
from domain.venue_details import InvalidVenueDetailError
from ledger.admin import operations
from ledger.admin.requests import VenueDetailsIn
from ledger.admin.responses import VenueOut

router = SURFACE.router(prefix="/api/v1/admin", tags=["admin"])
VenueRef = Annotated[str, Path(max_length=64, description="The venue's UUID or its integer number.")]


@router.patch("/venues/{venueId}", **with_body(VenueDetailsIn, VenueNotFoundError, InvalidVenueDetailError))
def update_venue(
    venueId: VenueRef, body: Annotated[VenueDetailsIn, admin_body(VenueDetailsIn)], admin: Admin
) -> VenueOut:
    """Set the descriptive fields given and answer the venue as it now is; unknown fields are refused."""
    return operations.update_venue(admin.ledger, admin.ctx, venueId, body)
