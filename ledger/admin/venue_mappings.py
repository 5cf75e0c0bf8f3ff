"""The operator's decisions on clients' venue mappings, answering the mapping as it now is."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from domain.application import Ledger
from domain.context import RequestContext
from domain.place_mappings import MappedVenue
from ledger.admin.mirrored import Mirrored


class VenueMappingOut(Mirrored):
    """A client's mapping of its own venue id to a venue, with the operator's decision on it."""

    id: UUID = Field(description="The mapping's id, as the client API shows it.")
    clientId: UUID
    externalId: str
    venueId: UUID
    venueNumber: int | None
    venueName: str
    approvalStatus: str = Field(examples=["approved"], description="pending, approved or rejected.")
    isActive: bool
    createdAt: datetime

    @classmethod
    def of(cls, mapped: MappedVenue) -> VenueMappingOut:
        venue = mapped.venue
        return cls.mirror(mapped.mapping, venueId=venue.id, venueNumber=venue.number, venueName=venue.name)


def approve_venue_mapping(ledger: Ledger, ctx: RequestContext, mapping_id: str | UUID) -> VenueMappingOut:
    """Approve: the client may book the venue's resources. Approving an approved mapping changes nothing."""
    return VenueMappingOut.of(ledger.approve_venue_mapping(ctx, mapping_id).value)


def reject_venue_mapping(ledger: Ledger, ctx: RequestContext, mapping_id: str | UUID) -> VenueMappingOut:
    """Reject: the client may not book the venue's resources. Rejecting a rejected one changes nothing."""
    return VenueMappingOut.of(ledger.reject_venue_mapping(ctx, mapping_id).value)
