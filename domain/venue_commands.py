"""Commands of venues and resources: late numbering and a venue's descriptive fields."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.app_base import Saved
from domain.context import RequestContext
from domain.lookups import Lookups
from domain.organization import Resource, ResourceNotFoundError, Venue, VenueNotFoundError


class VenueCommands(Lookups):
    """Numbering of venues and resources registered before numbers; a venue's descriptive fields.

    Look-ups by number or UUID (`resolve_venue`, `resolve_resource`) and numbering are shared, in `Lookups`.
    """

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
