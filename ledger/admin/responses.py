"""Response bodies of the admin operations, in the bootstrap contract's field names."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from domain.client import Client
from domain.coach_event import CoachEvent
from domain.organization import Organization, Resource, Venue
from domain.registry_commands import IssuedApiKey
from domain.user import User
from ledger.admin.mirrored import Mirrored


class OrganizationOut(Mirrored):
    id: UUID
    name: str
    timezone: str

    @classmethod
    def of(cls, organization: Organization) -> OrganizationOut:
        return cls.mirror(organization)


class VenueOut(Mirrored):
    """A venue as it now is, with its integer number and its descriptive fields."""

    id: UUID
    number: int | None = Field(description="Stable integer number, accepted wherever the venue's UUID is.")
    organizationId: UUID
    name: str
    city: str | None
    timezone: str
    slug: str | None
    description: str | None
    shortDescription: str | None
    venueType: str | None
    streetAddress: str | None
    postalCode: str | None
    country: str | None
    latitude: str | None = Field(description="A decimal string.")
    longitude: str | None = Field(description="A decimal string.")
    isPublished: bool

    @classmethod
    def of(cls, venue: Venue) -> VenueOut:
        return cls.mirror(venue)


class CourtOut(Mirrored):
    id: UUID
    number: int | None = Field(description="Stable integer number, accepted wherever the court's UUID is.")
    organizationId: UUID
    venueId: UUID
    name: str

    @classmethod
    def of(cls, court: Resource) -> CourtOut:
        return cls.mirror(court)


class ApiKeyOut(BaseModel):
    """A key as listed: never its secret."""

    id: UUID
    prefix: str
    createdAt: datetime
    revokedAt: datetime | None = None


def instant_or_none(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


class ClientOut(Mirrored):
    id: UUID
    name: str
    scopes: list[str]
    organizationIds: list[UUID]
    apiKeys: list[ApiKeyOut]
    oauthSecretIssuedAt: datetime | None = Field(
        default=None, description="When its current OAuth secret was issued; null for a public OAuth client."
    )
    revokedAt: datetime | None = None

    @classmethod
    def of(cls, client: Client) -> ClientOut:
        return cls.mirror(
            client,
            apiKeys=[
                ApiKeyOut.model_validate({"id": key_id, **details})
                for key_id, details in client.api_keys.items()
            ],
            oauthSecretIssuedAt=instant_or_none(client.oauth_secret_issued_at),
            revokedAt=instant_or_none(client.revoked_at),
        )


class IssuedApiKeyOut(Mirrored):
    """A new key: `key` is shown only in this response."""

    id: UUID
    key: str
    prefix: str
    createdAt: datetime

    @classmethod
    def of(cls, issued: IssuedApiKey) -> IssuedApiKeyOut:
        return cls.mirror(issued, createdAt=datetime.fromisoformat(issued.created_at))


class UserOut(Mirrored):
    id: UUID
    email: str
    firstName: str | None
    lastName: str | None

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls.mirror(user)


class UserLinkOut(BaseModel):
    clientId: UUID
    userId: UUID


# The bookings surface shows the timeslot of a booking's event in this shape too.
class TimeSlotOut(Mirrored):
    timeSlotId: UUID
    startTime: str
    endTime: str
    numberOfParticipants: int
    slotType: str
    ageFrom: int
    ageTo: int
    duration: int
    price: int
    priceCurrency: str
    paymentMethod: str
    addressId: UUID | None = None
    public: bool
    level: str
    eligibility: str

    @classmethod
    def of(cls, slot: dict[str, Any]) -> TimeSlotOut:
        return cls.mirror(slot)


class CoachEventOut(Mirrored):
    eventId: UUID
    coachId: UUID
    sportId: UUID
    startAt: datetime
    endAt: datetime
    addressId: UUID | None
    organizationId: UUID | None
    status: Literal["Active", "Canceled"]
    seatsTaken: int
    timeslot: TimeSlotOut

    @classmethod
    def of(cls, event: CoachEvent) -> CoachEventOut:
        return cls.mirror(
            event, eventId=event.id, seatsTaken=len(event.holders), timeslot=TimeSlotOut.of(event.timeslot)
        )
