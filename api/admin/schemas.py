"""Request and response bodies of the admin API (the bootstrap contract)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, EmailStr, Field, StrictInt

from api.bookings.schemas import TimeSlotOut
from api.shared.schemas import NAME_PATTERN, BodyInstant
from domain.application import Ledger
from domain.client import Client
from domain.coach_event import CoachEvent, TimeSlot
from domain.context import RequestContext
from domain.organization import Organization, Resource, Venue
from domain.registry_commands import IssuedApiKey
from domain.user import User

Name = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")


class OrganizationIn(BaseModel):
    name: str = Name
    timezone: str = Field(max_length=64, examples=["Europe/Berlin"])


class OrganizationOut(BaseModel):
    id: UUID
    name: str
    timezone: str

    @classmethod
    def of(cls, organization: Organization) -> OrganizationOut:
        return cls(id=organization.id, name=organization.name, timezone=organization.timezone)


class VenueIn(BaseModel):
    name: str = Name
    city: str | None = Field(default=None, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")
    timezone: str | None = Field(default=None, max_length=64)


class VenueOut(BaseModel):
    id: UUID
    organizationId: UUID
    name: str
    city: str | None
    timezone: str

    @classmethod
    def of(cls, venue: Venue) -> VenueOut:
        return cls(
            id=venue.id,
            organizationId=venue.organization_id,
            name=venue.name,
            city=venue.city,
            timezone=venue.timezone,
        )


class CourtIn(BaseModel):
    name: str = Name


class CourtOut(BaseModel):
    id: UUID
    organizationId: UUID
    venueId: UUID
    name: str

    @classmethod
    def of(cls, court: Resource) -> CourtOut:
        return cls(id=court.id, organizationId=court.organization_id, venueId=court.venue_id, name=court.name)


class ClientIn(BaseModel):
    name: str = Name
    scopes: list[str] = Field(max_length=20)
    organizationIds: list[UUID] = Field(default_factory=list, max_length=1000)


class ApiKeyOut(BaseModel):
    """A key as listed: never its secret."""

    id: UUID
    prefix: str
    createdAt: datetime
    revokedAt: datetime | None = None


class ClientOut(BaseModel):
    id: UUID
    name: str
    scopes: list[str]
    organizationIds: list[UUID]
    apiKeys: list[ApiKeyOut]

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


class UserIn(BaseModel):
    email: EmailStr = Field(max_length=320)
    firstName: str | None = Field(default=None, max_length=200, pattern=NAME_PATTERN)
    lastName: str | None = Field(default=None, max_length=200, pattern=NAME_PATTERN)


class UserOut(BaseModel):
    id: UUID
    email: str
    firstName: str | None
    lastName: str | None

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.id, email=user.email, firstName=user.first_name, lastName=user.last_name)


class UserLinkIn(BaseModel):
    userId: UUID


class UserLinkOut(BaseModel):
    clientId: UUID
    userId: UUID


class TimeSlotIn(BaseModel):
    """The seed's TimeSlot; ids and times default from the event, price is in minor units."""

    timeSlotId: UUID | None = None
    startTime: str | None = Field(default=None, max_length=32)
    endTime: str | None = Field(default=None, max_length=32)
    numberOfParticipants: int = Field(ge=1, le=10_000)
    slotType: Literal["Online", "Offline"]
    ageFrom: int = Field(ge=18, le=99)
    ageTo: int = Field(ge=18, le=99)
    duration: int | None = Field(default=None, ge=15, le=100_000)
    price: StrictInt = Field(ge=0, le=10**12)
    priceCurrency: Literal["RUB"] = "RUB"
    paymentMethod: Literal["Cash"] = "Cash"
    public: bool = True
    level: Literal["Any", "Beginner", "Medium", "Pro"] = "Any"
    eligibility: Literal["All", "Men", "Women"] = "All"


class CoachEventIn(BaseModel):
    coachId: UUID
    sportId: UUID
    startAt: BodyInstant
    endAt: BodyInstant
    addressId: UUID | None = None
    organizationId: UUID | None = Field(
        default=None, description="The organization the event and its bookings belong to."
    )
    timeslot: TimeSlotIn

    def schedule(self, ledger: Ledger, ctx: RequestContext) -> CoachEvent:
        """Schedule the event this body describes (the admin API and `ledger admin` share this)."""
        saved = ledger.schedule_coach_event(
            ctx,
            self.coachId,
            self.sportId,
            self.startAt,
            self.endAt,
            self.addressId,
            self.time_slot(),
            self.organizationId,
        )
        return saved.value

    def time_slot(self) -> TimeSlot:
        slot = self.timeslot
        return TimeSlot(
            time_slot_id=slot.timeSlotId or uuid4(),
            start_time=slot.startTime or self.startAt.timetz().isoformat(),
            end_time=slot.endTime or self.endAt.timetz().isoformat(),
            number_of_participants=slot.numberOfParticipants,
            slot_type=slot.slotType,
            age_from=slot.ageFrom,
            age_to=slot.ageTo,
            duration=slot.duration or int((self.endAt - self.startAt).total_seconds() // 60),
            price=slot.price,
            price_currency=slot.priceCurrency,
            payment_method=slot.paymentMethod,
            public=slot.public,
            level=slot.level,
            eligibility=slot.eligibility,
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
