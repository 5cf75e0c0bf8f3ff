"""Reads that templates and appointments share: an organization's template, its resources' times."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.availability import Interval
from domain.booking_template import BookingTemplate, BookingTemplateNotFoundError
from domain.lookups import Lookups
from domain.organization import Resource, ResourceNotFoundError, Venue, VenueNotFoundError
from domain.template_slots import ResourceTimes, opening_of


class TemplateReads(Lookups):
    """Templates by organization, and what slot computations need of their resources and venue."""

    def get_booking_template(self, organization_id: UUID, template_id: UUID) -> BookingTemplate:
        """The organization's template; another organization's is not found, as a missing one."""
        template = self.find(template_id, BookingTemplate)
        if template is None or template.organization_id != organization_id:
            raise _not_found(template_id)
        return template

    def organization_of_template(self, template_id: UUID) -> UUID:
        """The organization whose template `template_id` is."""
        template = self.find(template_id, BookingTemplate)
        if template is None:
            raise _not_found(template_id)
        return template.organization_id

    def template_venue(self, template: BookingTemplate) -> Venue:
        return self.load(template.venue_id, Venue, VenueNotFoundError, "Venue")

    def template_timezone(self, template: BookingTemplate) -> ZoneInfo:
        return ZoneInfo(self.template_venue(template).timezone)

    def template_resources(self, resource_ids: Sequence[UUID]) -> list[Resource]:
        return [self.load(rid, Resource, ResourceNotFoundError, "Resource") for rid in resource_ids]

    def resource_times(self, resources: Sequence[Resource], span: Interval) -> list[ResourceTimes]:
        """Each resource's opening and its reservations on the UTC days that `span` touches."""
        first, last = (moment.astimezone(UTC).date() for moment in span)
        times = []
        for resource in resources:
            held = self.calendar.reservations(resource.id, first, last)
            reservations = tuple((r.hold.start, r.hold.end) for r in held)
            times.append(ResourceTimes(resource.id, opening_of(resource), reservations))
        return times


def _not_found(template_id: UUID) -> BookingTemplateNotFoundError:
    return BookingTemplateNotFoundError(f"Booking template {template_id} was not found.")
