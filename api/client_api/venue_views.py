"""A venue with its resources in the seed's shape, and the one place this surface reads booking rules."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from api.client_api.schemas import number_of
from domain.booking_rules import CENT, BookingRules
from domain.organization import Resource, Venue


def booking_rules_of(resource: Resource) -> BookingRules | None:
    """The resource's booking rules, or None while it has none (its rule fields then answer null)."""
    return BookingRules.from_dict(resource.booking_rules) if resource.booking_rules is not None else None


def money(amount: Decimal) -> str:
    return f"{amount.quantize(CENT):f}"


class VenueResourceOut(BaseModel):
    """A resource of the venue; `external_id` is the calling client's, when it mapped the resource."""

    id: int = Field(description="The resource's number.")
    name: str
    description: str | None
    external_id: str | None
    capacity: int | None
    base_price: str | None = Field(examples=["25.00"])
    currency: str | None
    price_unit: str | None
    booking_interval_minutes: int | None
    min_booking_duration_minutes: int | None
    max_booking_duration_minutes: int | None
    is_active: bool
    is_bookable: bool

    @classmethod
    def of(cls, resource: Resource, external_id: str | None) -> VenueResourceOut:
        rules = booking_rules_of(resource)
        return cls(
            id=number_of(resource),
            name=resource.name,
            description=getattr(resource, "description", None),
            external_id=external_id,
            capacity=rules.capacity if rules else None,
            base_price=money(rules.base_price) if rules else None,
            currency=rules.currency if rules else None,
            price_unit=rules.price_unit if rules else None,
            booking_interval_minutes=rules.booking_interval_minutes if rules else None,
            min_booking_duration_minutes=rules.min_booking_duration_minutes if rules else None,
            max_booking_duration_minutes=rules.max_booking_duration_minutes if rules else None,
            # Resources and venues cannot be deactivated yet, so every one is active.
            is_active=True,
            is_bookable=rules.is_bookable if rules else False,
        )


class VenueWithResourcesOut(BaseModel):
    """A venue the client mapped, with every resource it holds; `id` is the venue's number."""

    id: int
    external_id: str
    name: str
    slug: str | None
    description: str | None
    short_description: str | None
    venue_type: str | None
    street_address: str | None
    city: str | None
    postal_code: str | None
    country: str | None
    latitude: str | None = Field(examples=["48.137154"])
    longitude: str | None = Field(examples=["11.576124"])
    timezone: str
    is_active: bool
    is_published: bool
    resources: list[VenueResourceOut]

    @classmethod
    def of(cls, venue: Venue, external_id: str, resources: list[VenueResourceOut]) -> VenueWithResourcesOut:
        return cls(
            id=number_of(venue),
            external_id=external_id,
            name=venue.name,
            slug=venue.slug,
            description=venue.description,
            short_description=venue.short_description,
            venue_type=venue.venue_type,
            street_address=venue.street_address,
            city=venue.city,
            postal_code=venue.postal_code,
            country=venue.country,
            latitude=venue.latitude,
            longitude=venue.longitude,
            timezone=venue.timezone,
            is_active=True,
            is_published=venue.is_published,
            resources=resources,
        )
