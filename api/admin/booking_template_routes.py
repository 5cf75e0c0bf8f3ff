"""Router of the admin API's booking templates: create one in an organization, read it, change it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends

from api.admin.deps import AdminContext, admin_context
from api.admin.surface import SURFACE
from api.shared.deps import RuntimeDep, body_openapi, json_body
from api.shared.problems import PayloadTooLargeError
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
    responses=SURFACE.responses(OrganizationNotFoundError, InvalidBookingTemplateError, PayloadTooLargeError),
    openapi_extra=body_openapi(BookingTemplateIn),
)
def create_template(
    organizationId: UUID,
    body: Annotated[BookingTemplateIn, Depends(json_body(BookingTemplateIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> BookingTemplateOut:
    """Create a booking template of the organization's resources (by UUID or number, of one venue)."""
    return create_booking_template(runtime.ledger, ctx, organizationId, body)


@router.get(
    "/organizations/{organizationId}/booking-templates/{templateId}",
    responses=SURFACE.responses(BookingTemplateNotFoundError),
)
def get_template(
    organizationId: UUID, templateId: UUID, ctx: AdminContext, runtime: RuntimeDep
) -> BookingTemplateOut:
    """The booking template as it now is."""
    return get_booking_template(runtime.ledger, organizationId, templateId)


@router.patch(
    "/booking-templates/{templateId}",
    responses=SURFACE.responses(
        BookingTemplateNotFoundError, InvalidBookingTemplateError, PayloadTooLargeError
    ),
    openapi_extra=body_openapi(BookingTemplateChangesIn),
)
def change_template(
    templateId: UUID,
    body: Annotated[TemplateChanges, Depends(json_body(BookingTemplateChangesIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> BookingTemplateOut:
    """Change the settings given (each change an event) and answer the template as it now is."""
    return update_booking_template(runtime.ledger, ctx, templateId, body)
