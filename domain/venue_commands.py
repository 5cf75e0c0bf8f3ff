"""Commands of venues and resources: look-ups by number or UUID, late numbering, descriptive fields."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.app_base import Saved
from domain.caches import BoundedCache
from domain.context import RequestContext
from domain.ids import number_index_id
from domain.lookups import Lookups
from domain.numbers import NumberIndex, parse_ref
from domain.organization import Resource, ResourceNotFoundError, Venue, VenueNotFoundError


class VenueCommands(Lookups):
    """Venues and resources by UUID or number; numbering of old ones; a venue's descriptive fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A number names the same entity forever, so the ids found by number are cached.
        self._ids_by_number: BoundedCache[UUID] = BoundedCache()

    def resolve_venue(self, ref: str | int | UUID) -> Venue:
        """The venue that `ref` names: its integer number (an int or a string of digits) or its UUID."""
        venue_id = self._entity_id("venue", ref)
        venue = self.find(venue_id, Venue) if venue_id is not None else None
        if venue is None:
            raise VenueNotFoundError(f"Venue {ref} was not found.")
        return venue

    def resolve_resource(self, ref: str | int | UUID) -> Resource:
        """The resource that `ref` names: its integer number (an int or a string of digits) or its UUID."""
        resource_id = self._entity_id("resource", ref)
        resource = self.find(resource_id, Resource) if resource_id is not None else None
        if resource is None:
            raise ResourceNotFoundError(f"Resource {ref} was not found.")
        return resource

    def numbered_venue(self, ctx: RequestContext, venue_id: UUID) -> Saved[Venue]:
        """The venue with its number; one registered before venues had numbers is given one now, once."""

        def attempt() -> Saved[Venue]:
            venue = self.load(venue_id, Venue, VenueNotFoundError, "Venue")
            if venue.number is not None:
                return Saved(venue)
            return Saved(venue, position=self.save_all(venue, self._assign_number("venue", venue, ctx)))

        return self.with_retry(attempt)

    def numbered_resource(self, ctx: RequestContext, resource_id: UUID) -> Saved[Resource]:
        """The resource with its number; one registered before resources had numbers gets one now, once."""

        def attempt() -> Saved[Resource]:
            resource = self.load(resource_id, Resource, ResourceNotFoundError, "Resource")
            if resource.number is not None:
                return Saved(resource)
            index = self._assign_number("resource", resource, ctx)
            position = self.save_all(resource, index)
            if resource.kind == "court":
                self._courts.put(resource.id, resource)
            return Saved(resource, position=position)

        return self.with_retry(attempt)

    def update_venue_details(self, ctx: RequestContext, venue_id: UUID, **changes: object) -> Saved[Venue]:
        """Set the given descriptive fields of the venue in one event; answers the venue as it now is.

        Fields: slug, description, short_description, venue_type, street_address, city, postal_code, country,
        latitude, longitude (decimal strings), timezone, is_published. A venue without a number gets one too.
        """

        def attempt() -> Saved[Venue]:
            venue = self.load(venue_id, Venue, VenueNotFoundError, "Venue")
            meta = ctx.meta()
            changed = venue.update_details(changes, meta)
            pending: list[Any] = [venue] if changed else []
            if venue.number is None:
                pending = [venue, self._assign_number("venue", venue, ctx)]
            if not pending:
                return Saved(venue)
            return Saved(venue, position=self.save_all(*pending))

        return self.with_retry(attempt)

    def _assign_number(self, kind: str, entity: Venue | Resource, ctx: RequestContext) -> NumberIndex:
        """Assign the next number of `kind` to the unnumbered entity; the index entry to save with it."""
        meta, number = ctx.meta(), self.next_number(kind)
        entity.assign_number(number, meta)
        return NumberIndex.claim(kind, number, entity.id, meta)

    def _entity_id(self, kind: str, ref: str | int | UUID) -> UUID | None:
        parsed = parse_ref(ref)
        if not isinstance(parsed, int):
            return parsed
        cached = self._ids_by_number.get((kind, parsed))
        if cached is None:
            index = self.find(number_index_id(kind, parsed), NumberIndex)
            if index is None:
                return None
            cached = index.entity_id
            self._ids_by_number.put((kind, parsed), cached)
        return cached
