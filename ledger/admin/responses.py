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


class OrganizationOut(BaseModel):
    id: UUID
    name: str
    timezone: str

    @classmethod
    def of(cls, organization: Organization) -> OrganizationOut:
        return cls(id=organization.id, name=organization.name, timezone=organization.timezone)


class VenueOut(BaseModel):
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
        return cls(
            id=venue.id,
            number=venue.number,
            organizationId=venue.organization_id,
            name=venue.name,
            city=venue.city,
            timezone=venue.timezone,
            slug=venue.slug,
            description=venue.description,
            shortDescription=venue.short_description,
            venueType=venue.venue_type,
            streetAddress=venue.street_address,
            postalCode=venue.postal_code,
            country=venue.country,
            latitude=venue.latitude,
            longitude=venue.longitude,
            isPublished=venue.is_published,
        )


class CourtOut(BaseModel):
    id: UUID
    number: int | None = Field(description="Stable integer number, accepted wherever the court's UUID is.")
    organizationId: UUID
    venueId: UUID
    name: str

    @classmethod
    def of(cls, court: Resource) -> CourtOut:
        return cls(
            id=court.id,
            number=court.number,
            organizationId=court.organization_id,
            venueId=court.venue_id,
            name=court.name,
        )


class ApiKeyOut(BaseModel):
    """A key as listed: never its secret."""

    id: UUID
    prefix: str
    createdAt: datetime
    revokedAt: datetime | None = None


def instant_or_none(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


class ClientOut(BaseModel):
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
        return cls(
            id=client.id,
            name=client.name,
            scopes=client.scopes,
            organizationIds=client.organization_ids,
            apiKeys=[
                ApiKeyOut.model_validate({"id": key_id, **details})
                for key_id, details in client.api_keys.items()
            ],
            oauthSecretIssuedAt=instant_or_none(client.oauth_secret_issued_at),
            revokedAt=instant_or_none(client.revoked_at),
        )


class IssuedApiKeyOut(BaseModel):
    """A new key: `key` is shown only in this response."""

    id: UUID
    key: str
    prefix: str
    createdAt: datetime

    @classmethod
    def of(cls, issued: IssuedApiKey) -> IssuedApiKeyOut:
        return cls(
            id=issued.id,
            key=issued.key,
            prefix=issued.prefix,
            createdAt=datetime.fromisoformat(issued.created_at),
        )


class UserOut(BaseModel):
    id: UUID
    email: str
    firstName: str | None
    lastName: str | None

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.id, email=user.email, firstName=user.first_name, lastName=user.last_name)


class UserLinkOut(BaseModel):
    clientId: UUID
    userId: UUID


# The bookings surface shows the timeslot of a booking's event in this shape too.
class TimeSlotOut(BaseModel):
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
        return cls(
            timeSlotId=slot["time_slot_id"],
            startTime=slot["start_time"],
            endTime=slot["end_time"],
            numberOfParticipants=slot["number_of_participants"],
            slotType=slot["slot_type"],
            ageFrom=slot["age_from"],
            ageTo=slot["age_to"],
            duration=slot["duration"],
            price=slot["price"],
            priceCurrency=slot["price_currency"],
            paymentMethod=slot["payment_method"],
            addressId=slot.get("address_id"),
            public=slot["public"],
            level=slot["level"],
            eligibility=slot["eligibility"],
        )


class CoachEventOut(BaseModel):
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
        return cls(
            eventId=event.id,
            coachId=event.coach_id,
            sportId=event.sport_id,
            startAt=event.start_at,
            endAt=event.end_at,
            addressId=event.address_id,
            organizationId=event.organization_id,
            status=event.status,  # type: ignore[arg-type]
            seatsTaken=len(event.holders),
            timeslot=TimeSlotOut.of(event.timeslot),
        )
