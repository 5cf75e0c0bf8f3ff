"""Commands of a client's venue mappings and of the operator who approves or rejects them."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from domain.app_base import Saved
from domain.client_mappings import checked_external_id
from domain.context import RequestContext
from domain.errors import AccessDeniedError
from domain.ids import client_mapping_id
from domain.organization import Venue, VenueNotFoundError
from domain.place_mappings import MappedVenue, PlaceMappings
from domain.venue_mappings import ClientVenueMapping, VenueMappingNotFoundError, checked_approval_status

# An operator's decision on a venue mapping: it records the decision and answers whether that changed it.
Decision = Callable[[ClientVenueMapping, dict[str, str]], bool]


class OperatorRequiredError(AccessDeniedError):
    """Raised when a principal without the admin scope approves or rejects a venue mapping."""


class VenueMappingCommands(PlaceMappings):
    """A client's venues under its own external ids, pending until an operator approves or rejects them."""

    def register_client_venue(
        self,
        ctx: RequestContext,
        external_id: str,
        venue_ref: str | int | UUID,
        external_data: object = None,
    ) -> Saved[MappedVenue]:
        """Map the external id to the venue, pending an operator's decision. Again with the same venue it
        answers the mapping as it is (a rejected one stays rejected), with the given external data kept."""
        client_id = self.calling_client(ctx)
        external_id = checked_external_id(external_id)
        venue_id = self.granted_venue(client_id, venue_ref).id

        def attempt() -> Saved[MappedVenue]:
            meta = ctx.meta()
            venue = self.load(venue_id, Venue, VenueNotFoundError, "Venue")
            mapping = self.find(client_mapping_id("venue", client_id, external_id), ClientVenueMapping)
            if mapping is not None:
                mapping.check_maps(venue.id)
                changed = mapping.replace_external_data(external_data, meta)
                return Saved(
                    MappedVenue(mapping, venue), position=self.save_all(mapping) if changed else None
                )
            mapping = ClientVenueMapping.register(client_id, external_id, venue.id, external_data, meta)
            pending = self.new_mapping_pending("venue", client_id, venue, mapping.id, external_id, ctx)
            return Saved(MappedVenue(mapping, venue), created=True, position=self.save_all(mapping, *pending))

        return self.with_retry(attempt)

    def lookup_client_venue(self, ctx: RequestContext, external_id: str) -> MappedVenue:
        mapping = self.find(
            client_mapping_id("venue", self.calling_client(ctx), external_id), ClientVenueMapping
        )
        if mapping is None:
            raise VenueMappingNotFoundError(
                f"No venue found with external_id: {external_id}", external_id=external_id
            )
        return self.mapped_venue(mapping)

    def list_client_venues(
        self,
        ctx: RequestContext,
        approval_status: str | None = None,
        is_active: bool | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[MappedVenue]:
        """The calling client's venue mappings in registration order, optionally of one approval status."""
        client_id = self.calling_client(ctx)
        status = checked_approval_status(approval_status) if approval_status is not None else None

        def load(mapping_id: UUID) -> MappedVenue:
            return self.mapped_venue(self.venue_mapping(mapping_id))

        def keep(mapped: MappedVenue) -> bool:
            return (status is None or mapped.mapping.approval_status == status) and (
                is_active is None or mapped.mapping.is_active == is_active
            )

        filtered = status is not None or is_active is not None
        return self.listed_page("venue", client_id, limit, offset, load, keep if filtered else None)

    def approve_venue_mapping(self, ctx: RequestContext, mapping_id: str | UUID) -> Saved[MappedVenue]:
        """An operator approves a venue mapping: the client may then book the venue's resources."""
        return self._decide(ctx, mapping_id, lambda mapping, meta: mapping.approve(meta))

    def reject_venue_mapping(self, ctx: RequestContext, mapping_id: str | UUID) -> Saved[MappedVenue]:
        """An operator rejects a venue mapping: the client may not book the venue's resources."""
        return self._decide(ctx, mapping_id, lambda mapping, meta: mapping.reject(meta))

    def _decide(self, ctx: RequestContext, mapping_id: str | UUID, decide: Decision) -> Saved[MappedVenue]:
        if not ctx.principal.has_scope("admin"):
            raise OperatorRequiredError("Only an operator may approve or reject venue mappings.")

        def attempt() -> Saved[MappedVenue]:
            mapping = self.venue_mapping(mapping_id)
            changed = decide(mapping, ctx.meta())
            return Saved(self.mapped_venue(mapping), position=self.save_all(mapping) if changed else None)

        return self.with_retry(attempt)
