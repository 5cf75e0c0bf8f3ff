"""Router of the admin API's booking templates: create one in an organization, read it, change it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from api.admin.deps import Admin, admin_body
from api.admin.surface import SURFACE, with_body
from domain.booking_template import BookingTemplateNotFoundError
from domain.organization import OrganizationNotFoundError
from domain.template_terms import InvalidBookingTemplateError
from ledger.admin.booking_templates import (
    BookingTemplateChangesIn,
    BookingTemplateIn,
    BookingTemplateOut,
    TemplateChanges,
    create_booking_template,
    get_booking_template,
    update_booking_template,
)

router = SURFACE.router(prefix="/api/v1/admin", tags=["admin"])


@router.post(
    "/organizations/{organizationId}/booking-templates",
    status_code=201,
    **with_body(BookingTemplateIn, OrganizationNotFoundError, InvalidBookingTemplateError),
)
def create_template(
    organizationId: UUID, body: Annotated[BookingTemplateIn, admin_body(BookingTemplateIn)], admin: Admin
) -> BookingTemplateOut:
    """Create a booking template of the organization's resources (by UUID or number, of one venue)."""
    return create_booking_template(admin.ledger, admin.ctx, organizationId, body)


@router.get(
    "/organizations/{organizationId}/booking-templates/{templateId}",
    responses=SURFACE.responses(BookingTemplateNotFoundError),
)
def get_template(organizationId: UUID, templateId: UUID, admin: Admin) -> BookingTemplateOut:
    """The booking template as it now is."""
    return get_booking_template(admin.ledger, organizationId, templateId)


@router.patch(
    "/booking-templates/{templateId}",
    **with_body(BookingTemplateChangesIn, BookingTemplateNotFoundError, InvalidBookingTemplateError),
)
def change_template(
    templateId: UUID, body: Annotated[TemplateChanges, admin_body(BookingTemplateChangesIn)], admin: Admin
) -> BookingTemplateOut:
    """Change the settings given (each change an event) and answer the template as it now is."""
    return update_booking_template(admin.ledger, admin.ctx, templateId, body)
