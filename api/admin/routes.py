"""Router of the admin API: organizations, venues, courts, clients, API keys, users and links."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Response

from api.admin.deps import AdminContext, admin_context
from api.admin.surface import SURFACE
from api.shared.deps import CarriesSecret, RuntimeDep, body_openapi, json_body
from api.shared.problems import PayloadTooLargeError
from domain.client import ApiKeyNotFoundError, ClientNotFoundError, ClientRevokedError
from domain.coach_event import CoachEventNotFoundError, EventCanceledError
from domain.organization import OrganizationNotFoundError, VenueNotFoundError
from domain.user import UserNotFoundError
from ledger.admin import operations
from ledger.admin.requests import ClientIn, CoachEventIn, CourtIn, OrganizationIn, UserIn, UserLinkIn, VenueIn
from ledger.admin.responses import (
    ClientOut,
    CoachEventOut,
    CourtOut,
    IssuedApiKeyOut,
    OrganizationOut,
    UserLinkOut,
    UserOut,
    VenueOut,
)

router = SURFACE.router(prefix="/api/v1/admin", tags=["admin"])
BODY_ERRORS = SURFACE.responses(PayloadTooLargeError)


@router.post(
    "/organizations", status_code=201, responses=BODY_ERRORS, openapi_extra=body_openapi(OrganizationIn)
)
def create_organization(
    body: Annotated[OrganizationIn, Depends(json_body(OrganizationIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> OrganizationOut:
    return operations.create_organization(runtime.ledger, ctx, body)


@router.post(
    "/organizations/{organizationId}/venues",
    status_code=201,
    responses=SURFACE.responses(OrganizationNotFoundError, PayloadTooLargeError),
    openapi_extra=body_openapi(VenueIn),
)
def create_venue(
    organizationId: UUID,
    body: Annotated[VenueIn, Depends(json_body(VenueIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> VenueOut:
    return operations.create_venue(runtime.ledger, ctx, organizationId, body)


@router.post(
    "/venues/{venueId}/courts",
    status_code=201,
    responses=SURFACE.responses(VenueNotFoundError, PayloadTooLargeError),
    openapi_extra=body_openapi(CourtIn),
)
def create_court(
    venueId: UUID,
    body: Annotated[CourtIn, Depends(json_body(CourtIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> CourtOut:
    return operations.create_court(runtime.ledger, ctx, venueId, body)


@router.post(
    "/clients",
    status_code=201,
    responses=SURFACE.responses(OrganizationNotFoundError, PayloadTooLargeError),
    openapi_extra=body_openapi(ClientIn),
)
def create_client(
    body: Annotated[ClientIn, Depends(json_body(ClientIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> ClientOut:
    return operations.create_client(runtime.ledger, ctx, body)


@router.get("/clients/{clientId}", responses=SURFACE.responses(ClientNotFoundError))
def get_client(clientId: UUID, ctx: AdminContext, runtime: RuntimeDep) -> ClientOut:
    """The client with its API keys listed by prefix."""
    return operations.get_client(runtime.ledger, clientId)


@router.post(
    "/clients/{clientId}/api-keys",
    status_code=201,
    responses=SURFACE.responses(ClientNotFoundError, ClientRevokedError, PayloadTooLargeError),
    dependencies=[CarriesSecret],
)
def issue_api_key(clientId: UUID, ctx: AdminContext, runtime: RuntimeDep) -> IssuedApiKeyOut:
    """Issue a key; its secret is shown only in this response and stored only as a hash."""
    return operations.issue_api_key(runtime.ledger, ctx, clientId)


@router.delete(
    "/clients/{clientId}/api-keys/{keyId}",
    status_code=204,
    response_class=Response,
    responses=SURFACE.responses(ClientNotFoundError, ApiKeyNotFoundError),
)
def revoke_api_key(clientId: UUID, keyId: UUID, ctx: AdminContext, runtime: RuntimeDep) -> Response:
    operations.revoke_api_key(runtime.ledger, ctx, clientId, keyId)
    return Response(status_code=204)


@router.post("/users", status_code=201, responses=BODY_ERRORS, openapi_extra=body_openapi(UserIn))
def create_user(
    body: Annotated[UserIn, Depends(json_body(UserIn, admin_context))], ctx: AdminContext, runtime: RuntimeDep
) -> UserOut:
    return operations.create_user(runtime.ledger, ctx, body)


@router.post(
    "/clients/{clientId}/users",
    status_code=201,
    responses=SURFACE.responses(ClientNotFoundError, UserNotFoundError, PayloadTooLargeError),
    openapi_extra=body_openapi(UserLinkIn),
)
def link_user(
    clientId: UUID,
    body: Annotated[UserLinkIn, Depends(json_body(UserLinkIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> UserLinkOut:
    return operations.link_user(runtime.ledger, ctx, clientId, body)


@router.post(
    "/coach-events",
    status_code=201,
    responses=SURFACE.responses(UserNotFoundError, OrganizationNotFoundError, PayloadTooLargeError),
    openapi_extra=body_openapi(CoachEventIn),
)
def create_coach_event(
    body: Annotated[CoachEventIn, Depends(json_body(CoachEventIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> CoachEventOut:
    """Schedule a coach's bookable session with its timeslot and seats, optionally in an organization."""
    return operations.schedule_coach_event(runtime.ledger, ctx, body)


@router.get("/coach-events/{eventId}", responses=SURFACE.responses(CoachEventNotFoundError))
def get_coach_event(eventId: UUID, ctx: AdminContext, runtime: RuntimeDep) -> CoachEventOut:
    return operations.get_coach_event(runtime.ledger, eventId)


@router.post(
    "/coach-events/{eventId}/cancel", responses=SURFACE.responses(CoachEventNotFoundError, EventCanceledError)
)
def cancel_coach_event(eventId: UUID, ctx: AdminContext, runtime: RuntimeDep) -> CoachEventOut:
    """Cancel the event and its active bookings (cancelled by System)."""
    return operations.cancel_coach_event(runtime.ledger, ctx, eventId)
