"""Router of the admin API's venue mappings: an operator approves or rejects a client's venue mapping."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from api.admin.deps import Admin
from api.admin.surface import SURFACE
from domain.venue_mappings import VenueMappingNotFoundError
from ledger.admin import venue_mappings
from ledger.admin.venue_mappings import VenueMappingOut

router = SURFACE.router(prefix="/api/v1/admin/venue-mappings", tags=["admin"])
MappingId = Annotated[str, Path(max_length=64, description="The mapping's id, as the client API shows it.")]


@router.post("/{mappingId}/approve", responses=SURFACE.responses(VenueMappingNotFoundError))
def approve_venue_mapping(mappingId: MappingId, admin: Admin) -> VenueMappingOut:
    """Approve the mapping, so the client may book its venue's resources; answers it as it now is."""
    return venue_mappings.approve_venue_mapping(admin.ledger, admin.ctx, mappingId)


@router.post("/{mappingId}/reject", responses=SURFACE.responses(VenueMappingNotFoundError))
def reject_venue_mapping(mappingId: MappingId, admin: Admin) -> VenueMappingOut:
    """Reject the mapping, so the client may not book its venue's resources; answers it as it now is."""
    return venue_mappings.reject_venue_mapping(admin.ledger, admin.ctx, mappingId)
