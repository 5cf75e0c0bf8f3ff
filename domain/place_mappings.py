"""What resource and venue mappings share: granted look-ups, what a new mapping saves, and mapped views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.client_mappings import AlreadyMappedError, ClientResourceMapping, MappedEntity
from domain.context import RequestContext
from domain.ids import mapped_entity_id
from domain.mapping_lists import MappingLists
from domain.organization import Resource, ResourceNotFoundError, Venue, VenueNotFoundError
from domain.venue_commands import VenueCommands
from domain.venue_mappings import ClientVenueMapping, VenueMappingNotFoundError


@dataclass(frozen=True)
class MappedResource:
    """A client's resource mapping with the resource it names and that resource's venue."""

    mapping: ClientResourceMapping
    resource: Resource
    venue: Venue


@dataclass(frozen=True)
class MappedVenue:
    """A client's venue mapping with the venue it names."""

    mapping: ClientVenueMapping
    venue: Venue


class PlaceMappings(MappingLists, VenueCommands):
    """The base of the resource and venue mapping commands; venues and resources are named by number or
    UUID, so it builds on the venue commands. Only those of organizations granted to the client are mapped."""

    def granted_resource(self, client_id: UUID, ref: str | int | UUID) -> Resource:
        resource = self.resolve_resource(ref)
        if resource.organization_id not in self.organizations_of_client(client_id):
            # Not found, as a missing one: a client never learns what other tenants hold.
            raise ResourceNotFoundError(f"Resource {ref} was not found.")
        return resource

    def granted_venue(self, client_id: UUID, ref: str | int | UUID) -> Venue:
        venue = self.resolve_venue(ref)
        if venue.organization_id not in self.organizations_of_client(client_id):
            raise VenueNotFoundError(f"Venue {ref} was not found.")
        return venue

    def new_mapping_pending(
        self,
        kind: str,
        client_id: UUID,
        entity: Resource | Venue,
        mapping_id: UUID,
        external_id: str,
        ctx: RequestContext,
    ) -> list[Any]:
        """What to save with a new mapping of a venue or resource: its entry as the entity's only external
        id, its place in the client's list, and the entity's number if it was registered before numbers."""
        meta = ctx.meta()
        entry = self.find(mapped_entity_id(kind, client_id, entity.id), MappedEntity)
        if entry is not None:
            raise AlreadyMappedError(
                f"This {kind} is already mapped to external_id {entry.external_id}.",
                external_id=entry.external_id,
            )
        entry = MappedEntity(
            kind=kind,
            client_id=client_id,
            entity_id=entity.id,
            mapping_id=mapping_id,
            external_id=external_id,
            meta=meta,
        )
        pending: list[Any] = [entry, self.listed(kind, client_id, mapping_id, meta)]
        if entity.number is None:
            pending += [entity, self._assign_number(kind, entity, ctx)]
        return pending

    def venue_mapping(self, mapping_id: str | UUID) -> ClientVenueMapping:
        """A venue mapping by its id, as the client API shows it."""
        try:
            parsed = mapping_id if isinstance(mapping_id, UUID) else UUID(str(mapping_id).strip())
        except ValueError:
            parsed = None
        mapping = self.find(parsed, ClientVenueMapping) if parsed is not None else None
        if mapping is None:
            raise VenueMappingNotFoundError(f"Venue mapping {mapping_id} was not found.")
        return mapping

    def mapped_resource(self, mapping: ClientResourceMapping) -> MappedResource:
        resource = self.load(mapping.resource_id, Resource, ResourceNotFoundError, "Resource")
        return MappedResource(
            mapping, resource, self.load(resource.venue_id, Venue, VenueNotFoundError, "Venue")
        )

    def mapped_venue(self, mapping: ClientVenueMapping) -> MappedVenue:
        return MappedVenue(mapping, self.load(mapping.venue_id, Venue, VenueNotFoundError, "Venue"))
