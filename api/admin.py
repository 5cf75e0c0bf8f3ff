"""Router of the admin API: organizations, venues, courts, clients, API keys, users and links."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from api.admin_schemas import (
    ClientIn,
    ClientOut,
    CourtIn,
    CourtOut,
    IssuedApiKeyOut,
    OrganizationIn,
    OrganizationOut,
    UserIn,
    UserLinkIn,
    UserLinkOut,
    UserOut,
    VenueIn,
    VenueOut,
)
from api.deps import AdminContext, RuntimeDep
from api.schemas_common import error_responses

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
CREATE_ERRORS = error_responses(400, 401, 404, 413, 503)


@router.post("/organizations", status_code=201, responses=CREATE_ERRORS)
def create_organization(body: OrganizationIn, ctx: AdminContext, runtime: RuntimeDep) -> OrganizationOut:
    return OrganizationOut.of(runtime.ledger.create_organization(ctx, body.name, body.timezone).value)


@router.post("/organizations/{organizationId}/venues", status_code=201, responses=CREATE_ERRORS)
def create_venue(organizationId: UUID, body: VenueIn, ctx: AdminContext, runtime: RuntimeDep) -> VenueOut:
    saved = runtime.ledger.create_venue(ctx, organizationId, body.name, body.city, body.timezone)
    return VenueOut.of(saved.value)


@router.post("/venues/{venueId}/courts", status_code=201, responses=CREATE_ERRORS)
def create_court(venueId: UUID, body: CourtIn, ctx: AdminContext, runtime: RuntimeDep) -> CourtOut:
    return CourtOut.of(runtime.ledger.create_court(ctx, venueId, body.name).value)


@router.post("/clients", status_code=201, responses=CREATE_ERRORS)
def create_client(body: ClientIn, ctx: AdminContext, runtime: RuntimeDep) -> ClientOut:
    return ClientOut.of(runtime.ledger.create_client(ctx, body.name, body.scopes, body.organizationIds).value)


@router.get("/clients/{clientId}", responses=error_responses(400, 401, 404, 503))
def get_client(clientId: UUID, ctx: AdminContext, runtime: RuntimeDep) -> ClientOut:
    """The client with its API keys listed by prefix."""
    return ClientOut.of(runtime.ledger.get_client(clientId))


@router.post("/clients/{clientId}/api-keys", status_code=201, responses=CREATE_ERRORS)
def issue_api_key(clientId: UUID, ctx: AdminContext, runtime: RuntimeDep) -> IssuedApiKeyOut:
    """Issue a key; its secret is shown only in this response and stored only as a hash."""
    return IssuedApiKeyOut.of(runtime.ledger.issue_api_key(ctx, clientId).value)


@router.delete(
    "/clients/{clientId}/api-keys/{keyId}", status_code=204, response_class=Response, responses=CREATE_ERRORS
)
def revoke_api_key(clientId: UUID, keyId: UUID, ctx: AdminContext, runtime: RuntimeDep) -> Response:
    runtime.ledger.revoke_api_key(ctx, clientId, keyId)
    return Response(status_code=204)


@router.post("/users", status_code=201, responses=CREATE_ERRORS)
def create_user(body: UserIn, ctx: AdminContext, runtime: RuntimeDep) -> UserOut:
    return UserOut.of(runtime.ledger.create_user(ctx, str(body.email), body.firstName, body.lastName).value)


@router.post("/clients/{clientId}/users", status_code=201, responses=CREATE_ERRORS)
def link_user(clientId: UUID, body: UserLinkIn, ctx: AdminContext, runtime: RuntimeDep) -> UserLinkOut:
    link = runtime.ledger.link_user(ctx, clientId, body.userId).value
    return UserLinkOut(clientId=link.client_id, userId=link.user_id)
