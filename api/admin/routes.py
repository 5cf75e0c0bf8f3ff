"""Router of the admin API: organizations, venues, courts, clients, API keys, users and links."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Response

from api.admin.deps import Admin, admin_body
from api.admin.surface import SURFACE, with_body
from api.shared.deps import CarriesSecret
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


@router.post("/organizations", status_code=201, **with_body(OrganizationIn))
def create_organization(
    body: Annotated[OrganizationIn, admin_body(OrganizationIn)], admin: Admin
) -> OrganizationOut:
    return operations.create_organization(admin.ledger, admin.ctx, body)


@router.post(
    "/organizations/{organizationId}/venues", status_code=201, **with_body(VenueIn, OrganizationNotFoundError)
)
def create_venue(
    organizationId: UUID, body: Annotated[VenueIn, admin_body(VenueIn)], admin: Admin
) -> VenueOut:
    return operations.create_venue(admin.ledger, admin.ctx, organizationId, body)


@router.post("/venues/{venueId}/courts", status_code=201, **with_body(CourtIn, VenueNotFoundError))
def create_court(venueId: UUID, body: Annotated[CourtIn, admin_body(CourtIn)], admin: Admin) -> CourtOut:
    return operations.create_court(admin.ledger, admin.ctx, venueId, body)


@router.post("/clients", status_code=201, **with_body(ClientIn, OrganizationNotFoundError))
def create_client(body: Annotated[ClientIn, admin_body(ClientIn)], admin: Admin) -> ClientOut:
    return operations.create_client(admin.ledger, admin.ctx, body)


@router.get("/clients/{clientId}", responses=SURFACE.responses(ClientNotFoundError))
def get_client(clientId: UUID, admin: Admin) -> ClientOut:
    """The client with its API keys listed by prefix."""
    return operations.get_client(admin.ledger, clientId)


@router.post(
    "/clients/{clientId}/api-keys",
    status_code=201,
    responses=SURFACE.responses(ClientNotFoundError, ClientRevokedError, PayloadTooLargeError),
    dependencies=[CarriesSecret],
)
def issue_api_key(clientId: UUID, admin: Admin) -> IssuedApiKeyOut:
    """Issue a key; its secret is shown only in this response and stored only as a hash."""
    return operations.issue_api_key(admin.ledger, admin.ctx, clientId)


@router.delete(
    "/clients/{clientId}/api-keys/{keyId}",
    status_code=204,
    response_class=Response,
    responses=SURFACE.responses(ClientNotFoundError, ApiKeyNotFoundError),
)
def revoke_api_key(clientId: UUID, keyId: UUID, admin: Admin) -> Response:
    operations.revoke_api_key(admin.ledger, admin.ctx, clientId, keyId)
    return Response(status_code=204)


@router.post("/users", status_code=201, **with_body(UserIn))
def create_user(body: Annotated[UserIn, admin_body(UserIn)], admin: Admin) -> UserOut:
    return operations.create_user(admin.ledger, admin.ctx, body)


@router.post(
    "/clients/{clientId}/users",
    status_code=201,
    **with_body(UserLinkIn, ClientNotFoundError, UserNotFoundError),
)
def link_user(
    clientId: UUID, body: Annotated[UserLinkIn, admin_body(UserLinkIn)], admin: Admin
) -> UserLinkOut:
    return operations.link_user(admin.ledger, admin.ctx, clientId, body)


@router.post(
    "/coach-events",
    status_code=201,
    **with_body(CoachEventIn, UserNotFoundError, OrganizationNotFoundError),
)
def create_coach_event(
    body: Annotated[CoachEventIn, admin_body(CoachEventIn)], admin: Admin
) -> CoachEventOut:
    """Schedule a coach's bookable session with its timeslot and seats, optionally in an organization."""
    return operations.schedule_coach_event(admin.ledger, admin.ctx, body)


@router.get("/coach-events/{eventId}", responses=SURFACE.responses(CoachEventNotFoundError))
def get_coach_event(eventId: UUID, admin: Admin) -> CoachEventOut:
    return operations.get_coach_event(admin.ledger, eventId)


@router.post(
    "/coach-events/{eventId}/cancel", responses=SURFACE.responses(CoachEventNotFoundError, EventCanceledError)
)
def cancel_coach_event(eventId: UUID, admin: Admin) -> CoachEventOut:
    """Cancel the event and its active bookings (cancelled by System)."""
    return operations.cancel_coach_event(admin.ledger, admin.ctx, eventId)
