"""Request bodies of the admin operations, in the bootstrap contract's field names."""

from __future__ import annotations

import json
from typing import Any, Literal, TypeVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StrictBool, StrictInt

from domain.coach_event import TimeSlot
from ledger.instants import BodyInstant

NAME_PATTERN = r"^[^\x00-\x1f\x7f]*$"
Name = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")
M = TypeVar("M", bound=BaseModel)


def request_body(model: type[M], **fields: Any) -> M:
    """The body the admin API would receive with these fields, validated as the API validates it."""
    return model.model_validate_json(json.dumps(fields, default=str))


class OrganizationIn(BaseModel):
    name: str = Name
    timezone: str = Field(max_length=64, examples=["Europe/Berlin"])


class VenueIn(BaseModel):
    name: str = Name
    city: str | None = Field(default=None, max_length=200, pattern=NAME_PATTERN)
    timezone: str | None = Field(default=None, max_length=64)


# The body's names of a venue's descriptive fields, and the domain's.
VENUE_DETAIL_NAMES = {
    "slug": "slug",
    "description": "description",
    "shortDescription": "short_description",
    "venueType": "venue_type",
    "streetAddress": "street_address",
    "city": "city",
    "postalCode": "postal_code",
    "country": "country",
    "latitude": "latitude",
    "longitude": "longitude",
    "timezone": "timezone",
    "isPublished": "is_published",
}


class VenueDetailsIn(BaseModel):
    """The descriptive fields to set: one left out is kept; a text field given as null or blank is cleared."""

    model_config = ConfigDict(extra="forbid")

    slug: str | None = Field(default=None, examples=["centre-court"])
    description: str | None = None
    shortDescription: str | None = None
    venueType: str | None = Field(default=None, examples=["padel"])
    streetAddress: str | None = None
    city: str | None = None
    postalCode: str | None = None
    country: str | None = None
    latitude: str | None = Field(default=None, examples=["52.520008"], description="A decimal string.")
    longitude: str | None = Field(default=None, examples=["13.404954"], description="A decimal string.")
    timezone: str | None = Field(default=None, examples=["Europe/Berlin"], description="Cannot be cleared.")
    isPublished: StrictBool | None = Field(default=None, description="Cannot be cleared.")

    def changes(self) -> dict[str, object]:
        """The fields given in the body, by the domain's names."""
        return {VENUE_DETAIL_NAMES[name]: getattr(self, name) for name in sorted(self.model_fields_set)}


class CourtIn(BaseModel):
    name: str = Name


class ClientIn(BaseModel):
    name: str = Name
    scopes: list[str] = Field(max_length=20)
    organizationIds: list[UUID] = Field(default_factory=list, max_length=1000)


class UserIn(BaseModel):
    email: EmailStr = Field(max_length=320)
    firstName: str | None = Field(default=None, max_length=200, pattern=NAME_PATTERN)
    lastName: str | None = Field(default=None, max_length=200, pattern=NAME_PATTERN)


class UserLinkIn(BaseModel):
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
