"""The admin operations: each runs one command of the ledger and answers the body both callers show."""

from __future__ import annotations

from uuid import UUID

from domain.application import Ledger
from domain.context import RequestContext
from ledger.admin.profile_bodies import MemberProfileIn, MemberProfileOut, ProfileSchemaIn, ProfileSchemaOut
from ledger.admin.requests import (
    ClientIn,
    CoachEventIn,
    CourtIn,
    OrganizationIn,
    UserIn,
    UserLinkIn,
    VenueDetailsIn,
    VenueIn,
)
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


def create_organization(ledger: Ledger, ctx: RequestContext, body: OrganizationIn) -> OrganizationOut:
    return OrganizationOut.of(ledger.create_organization(ctx, body.name, body.timezone).value)


def create_venue(ledger: Ledger, ctx: RequestContext, organization_id: UUID, body: VenueIn) -> VenueOut:
    return VenueOut.of(ledger.create_venue(ctx, organization_id, body.name, body.city, body.timezone).value)


def update_venue(ledger: Ledger, ctx: RequestContext, venue_ref: str, body: VenueDetailsIn) -> VenueOut:
    """Set the descriptive fields given; `venue_ref` is the venue's UUID or its number."""
    venue = ledger.resolve_venue(venue_ref)
    return VenueOut.of(ledger.update_venue_details(ctx, venue.id, **body.changes()).value)


def create_court(ledger: Ledger, ctx: RequestContext, venue_id: UUID, body: CourtIn) -> CourtOut:
    return CourtOut.of(ledger.create_court(ctx, venue_id, body.name).value)


def create_client(ledger: Ledger, ctx: RequestContext, body: ClientIn) -> ClientOut:
    return ClientOut.of(ledger.create_client(ctx, body.name, body.scopes, body.organizationIds).value)


def get_client(ledger: Ledger, client_id: UUID) -> ClientOut:
    return ClientOut.of(ledger.get_client(client_id))


def issue_api_key(ledger: Ledger, ctx: RequestContext, client_id: UUID) -> IssuedApiKeyOut:
    return IssuedApiKeyOut.of(ledger.issue_api_key(ctx, client_id).value)


def revoke_api_key(ledger: Ledger, ctx: RequestContext, client_id: UUID, key_id: UUID) -> None:
    ledger.revoke_api_key(ctx, client_id, key_id)


def create_user(ledger: Ledger, ctx: RequestContext, body: UserIn) -> UserOut:
    return UserOut.of(ledger.create_user(ctx, str(body.email), body.firstName, body.lastName).value)


def link_user(ledger: Ledger, ctx: RequestContext, client_id: UUID, body: UserLinkIn) -> UserLinkOut:
    link = ledger.link_user(ctx, client_id, body.userId).value
    return UserLinkOut(clientId=link.client_id, userId=link.user_id)


def schedule_coach_event(ledger: Ledger, ctx: RequestContext, body: CoachEventIn) -> CoachEventOut:
    saved = ledger.schedule_coach_event(
        ctx,
        body.coachId,
        body.sportId,
        body.startAt,
        body.endAt,
        body.addressId,
        body.time_slot(),
        body.organizationId,
    )
    return CoachEventOut.of(saved.value)


def get_coach_event(ledger: Ledger, event_id: UUID) -> CoachEventOut:
    return CoachEventOut.of(ledger.get_coach_event(event_id))


def cancel_coach_event(ledger: Ledger, ctx: RequestContext, event_id: UUID) -> CoachEventOut:
    return CoachEventOut.of(ledger.cancel_coach_event(ctx, event_id).value)


def get_profile_schema(ledger: Ledger, organization_id: UUID) -> ProfileSchemaOut:
    return ProfileSchemaOut.of(ledger.profile_schema(organization_id))


def replace_profile_schema(
    ledger: Ledger, ctx: RequestContext, organization_id: UUID, body: ProfileSchemaIn
) -> ProfileSchemaOut:
    fields = [field.as_raw() for field in body.fields]
    saved = ledger.replace_profile_schema(ctx, organization_id, fields, body.schemaId, body.name)
    return ProfileSchemaOut.of(saved.value)


def set_member_profile(
    ledger: Ledger, ctx: RequestContext, organization_id: UUID, user_id: UUID, body: MemberProfileIn
) -> MemberProfileOut:
    return MemberProfileOut.of(ledger.set_member_profile(ctx, organization_id, user_id, body.values).value)
