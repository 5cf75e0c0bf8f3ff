"""Commands of booking templates: create and change them, read one, list an organization's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from domain.app_base import Saved
from domain.booking_template import BookingTemplate, BookingTemplateList, booking_template_list_id
from domain.context import RequestContext
from domain.organization import ResourceNotFoundError
from domain.template_reads import TemplateReads
from domain.template_terms import InvalidTemplateResourcesError, MalformedBookingTemplateError
from domain.venue_commands import VenueCommands


class BookingTemplateCommands(TemplateReads, VenueCommands):
    """Booking templates of organizations; settings go by the domain's names (`TemplateTerms`).

    `resource_ids` may name resources by UUID or by number; they must be resources of the template's
    organization, all in one venue.
    """

    def create_booking_template(
        self, ctx: RequestContext, organization_id: UUID, settings: Mapping[str, Any]
    ) -> Saved[BookingTemplate]:
        """A new template, saved with the organization's list of templates, so the list is never behind."""
        self.get_organization(organization_id)
        given = dict(settings)
        if "resource_ids" not in given:
            raise MalformedBookingTemplateError("resource_ids is required.", field="resource_ids")
        given["resource_ids"], venue_id = self._template_resources(organization_id, given["resource_ids"])

        def attempt() -> Saved[BookingTemplate]:
            meta = ctx.meta()
            template = BookingTemplate.create(organization_id, venue_id, given, meta)
            listing = self.find(booking_template_list_id(organization_id), BookingTemplateList)
            if listing is None:
                listing = BookingTemplateList(organization_id=organization_id, meta=meta)
            listing.add(template.id, meta)
            return Saved(template, created=True, position=self.save_all(template, listing))

        return self.with_retry(attempt)

    def update_booking_template(
        self, ctx: RequestContext, template_id: UUID, changes: Mapping[str, Any]
    ) -> Saved[BookingTemplate]:
        """Set the given settings, each change an event; resources must be of the template's organization.
        Answers the template as it now is, with a position when it changed."""
        organization_id = self.organization_of_template(template_id)
        given = dict(changes)
        venue_id: UUID | None = None
        if "resource_ids" in given:
            given["resource_ids"], venue_id = self._template_resources(organization_id, given["resource_ids"])

        def attempt() -> Saved[BookingTemplate]:
            template = self.get_booking_template(organization_id, template_id)
            if not template.change(venue_id or template.venue_id, given, ctx.meta()):
                return Saved(template)
            return Saved(template, position=self.save_all(template))

        return self.with_retry(attempt)

    def list_booking_templates(self, organization_id: UUID) -> list[BookingTemplate]:
        """The organization's templates in the order they were created."""
        self.get_organization(organization_id)
        listing = self.find(booking_template_list_id(organization_id), BookingTemplateList)
        if listing is None:
            return []
        return [
            self.get_booking_template(organization_id, template_id) for template_id in listing.template_ids
        ]

    def _template_resources(self, organization_id: UUID, refs: object) -> tuple[tuple[UUID, ...], UUID]:
        """The UUIDs of the resources that `refs` name, and their one venue."""
        if not isinstance(refs, list | tuple) or not refs:
            raise InvalidTemplateResourcesError(
                "resource_ids must list at least one resource.", field="resource_ids"
            )
        resolved, unknown = [], []
        for ref in refs:
            if isinstance(ref, bool) or not isinstance(ref, str | int | UUID):
                raise MalformedBookingTemplateError(
                    "resource_ids must list resource UUIDs or numbers.", field="resource_ids"
                )
            try:
                resource = self.resolve_resource(ref)
            except ResourceNotFoundError:
                unknown.append(str(ref))
                continue
            if resource.organization_id != organization_id:
                unknown.append(str(ref))
            else:
                resolved.append(resource)
        if unknown:
            raise InvalidTemplateResourcesError(
                f"resource_ids names no resource of the organization: {', '.join(unknown)}.",
                field="resource_ids",
                resources=unknown,
            )
        venues = {resource.venue_id for resource in resolved}
        if len(venues) > 1:
            raise InvalidTemplateResourcesError(
                "A template's resources must all be in one venue.", field="resource_ids"
            )
        return tuple(resource.id for resource in resolved), venues.pop()
