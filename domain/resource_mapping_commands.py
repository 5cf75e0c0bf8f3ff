"""Commands of a client's resource mappings, and whether the client may book a resource it mapped."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.app_base import Saved
from domain.client_mappings import (
    ClientResourceMapping,
    MappedEntity,
    ResourceMappingNotFoundError,
    checked_external_id,
)
from domain.context import RequestContext
from domain.ids import client_mapping_id, mapped_entity_id
from domain.organization import Resource, ResourceNotFoundError, Venue, VenueNotFoundError
from domain.place_mappings import MappedResource, PlaceMappings
from domain.venue_mappings import ClientVenueMapping, VenueMappingNotApprovedError, VenueNotMappedError


@dataclass(frozen=True)
class BookableResource:
    """A resource the client may book: mapped by it, in a venue whose mapping an operator approved."""

    mapped: MappedResource
    venue_mapping: ClientVenueMapping


class ResourceMappingCommands(PlaceMappings):
    """A client's resources under its own external ids; another client's external ids are never visible."""

    def register_client_resource(
        self,
        ctx: RequestContext,
        external_id: str,
        resource_ref: str | int | UUID,
        external_data: object = None,
    ) -> Saved[MappedResource]:
        """Map the external id to the resource. Again with the same resource it answers the mapping, with
        the given external data kept; another resource for the id, or another id for it, is a conflict."""
        client_id = self.calling_client(ctx)
        external_id = checked_external_id(external_id)
        resource_id = self.granted_resource(client_id, resource_ref).id

        def attempt() -> Saved[MappedResource]:
            meta = ctx.meta()
            resource = self.load(resource_id, Resource, ResourceNotFoundError, "Resource")
            venue = self.load(resource.venue_id, Venue, VenueNotFoundError, "Venue")
            mapping = self.find(client_mapping_id("resource", client_id, external_id), ClientResourceMapping)
            if mapping is not None:
                mapping.check_maps(resource.id)
                changed = mapping.replace_external_data(external_data, meta)
                position = self.save_all(mapping) if changed else None
                return Saved(MappedResource(mapping, resource, venue), position=position)
            mapping = ClientResourceMapping.register(client_id, external_id, resource.id, external_data, meta)
            pending = self.new_mapping_pending("resource", client_id, resource, mapping.id, external_id, ctx)
            position = self.save_all(mapping, *pending)
            return Saved(MappedResource(mapping, resource, venue), created=True, position=position)

        return self.with_retry(attempt)

    def lookup_client_resource(self, ctx: RequestContext, external_id: str) -> MappedResource:
        mapping_id = client_mapping_id("resource", self.calling_client(ctx), external_id)
        mapping = self.find(mapping_id, ClientResourceMapping)
        if mapping is None:
            raise ResourceMappingNotFoundError(
                f"No resource found with external_id: {external_id}", external_id=external_id
            )
        return self.mapped_resource(mapping)

    def list_client_resources(
        self, ctx: RequestContext, is_active: bool | None = None, limit: int = 100, offset: int = 0
    ) -> list[MappedResource]:
        """The calling client's resource mappings in registration order, optionally only (in)active ones."""

        def load(mapping_id: UUID) -> MappedResource:
            mapping = self.load(mapping_id, ClientResourceMapping, ResourceMappingNotFoundError, "Mapping")
            return self.mapped_resource(mapping)

        keep = None if is_active is None else (lambda mapped: mapped.mapping.is_active == is_active)
        return self.listed_page("resource", self.calling_client(ctx), limit, offset, load, keep)

    def resource_external_id(self, ctx: RequestContext, resource_id: UUID) -> str | None:
        """The calling client's external id of the resource, if it mapped the resource."""
        entry = self.find(mapped_entity_id("resource", self.calling_client(ctx), resource_id), MappedEntity)
        return entry.external_id if entry is not None else None

    def bookable_resource_for_client(
        self, ctx: RequestContext, resource_external_id: str
    ) -> BookableResource:
        """The client's resource of the external id, if the client's mapping of its venue is approved."""
        mapped = self.lookup_client_resource(ctx, resource_external_id)
        venue_id = mapped.venue.id
        entry = self.find(mapped_entity_id("venue", mapped.mapping.client_id, venue_id), MappedEntity)
        if entry is None:
            raise VenueNotMappedError(
                f"The venue of resource {resource_external_id} is not mapped by this client; register the "
                "venue and have its mapping approved before booking its resources."
            )
        venue_mapping = self.venue_mapping(entry.mapping_id)
        if not venue_mapping.is_approved:
            raise VenueMappingNotApprovedError(
                f"The venue mapping {venue_mapping.external_id} is {venue_mapping.approval_status}; "
                "resources of its venue can be booked once an operator approves it.",
                approval_status=venue_mapping.approval_status,
            )
        return BookableResource(mapped, venue_mapping)
