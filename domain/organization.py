"""Registry of places: organizations, their venues, and the bookable resources (courts) in them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.booking_rules import BookingRules
from domain.errors import InvalidInputError, NotFoundError
from domain.numbers import NumberAlreadyAssignedError
from domain.opening_hours import OpeningHours
from domain.timezones import InvalidTimezoneError as InvalidTimezoneError
from domain.timezones import checked_timezone
from domain.venue_details import VenueDetail, checked_venue_changes


class OrganizationNotFoundError(NotFoundError):
    """Raised when an organization id names no organization."""


class VenueNotFoundError(NotFoundError):
    """Raised when a venue id names no venue."""


class ResourceNotFoundError(NotFoundError):
    """Raised when a resource id or number names no resource."""


class CourtNotFoundError(ResourceNotFoundError):
    """Raised when a court id names no court."""


class InvalidNameError(InvalidInputError):
    """Raised when a name is empty or longer than 200 characters."""


def checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidNameError("A name must have 1 to 200 characters.")
    return name


class Organization(LedgerAggregate):
    """An operator of venues; clients are granted access per organization."""

    class Registered(LedgerAggregate.Created):
        name: str
        timezone: str

    @classmethod
    def register(cls, name: str, timezone: str, meta: dict[str, str]) -> Organization:
        return cls(name=checked_name(name), timezone=checked_timezone(timezone), meta=meta)

    @event(Registered)
    def __init__(self, name: str, timezone: str, meta: dict[str, str]) -> None:
        self.name = name
        self.timezone = timezone


class Venue(LedgerAggregate):
    """A site of an organization, holding courts; known by its UUID and by its integer number."""

    class Registered(LedgerAggregate.Created):
        organization_id: UUID
        name: str
        city: str | None
        timezone: str
        number: int | None

        # Version 2 added the number; venues registered before have none until one is assigned.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["number"] = None

    class NumberAssigned(LedgerAggregate.Event):
        number: int

    class DetailsUpdated(LedgerAggregate.Event):
        changes: dict[str, VenueDetail]

    @classmethod
    def register(
        cls,
        organization: Organization,
        name: str,
        city: str | None,
        timezone: str | None,
        meta: dict[str, str],
        number: int | None = None,
    ) -> Venue:
        return cls(
            organization_id=organization.id,
            name=checked_name(name),
            city=city.strip() if city else None,
            timezone=checked_timezone(timezone) if timezone else organization.timezone,
            number=number,
            meta=meta,
        )

    @event(Registered)
    def __init__(
        self,
        organization_id: UUID,
        name: str,
        city: str | None,
        timezone: str,
        number: int | None,
        meta: dict[str, str],
    ) -> None:
        self.organization_id = organization_id
        self.name = name
        self.city = city
        self.timezone = timezone
        self.number = number
        self.slug: str | None = None
        self.description: str | None = None
        self.short_description: str | None = None
        self.venue_type: str | None = None
        self.street_address: str | None = None
        self.postal_code: str | None = None
        self.country: str | None = None
        self.latitude: str | None = None
        self.longitude: str | None = None
        self.is_published = False

    def assign_number(self, number: int, meta: dict[str, str]) -> None:
        """Give a venue registered before venues had numbers its number; a number is never changed."""
        if self.number is not None:
            raise NumberAlreadyAssignedError(f"Venue {self.id} already has number {self.number}.")
        self._assign_number(number=number, meta=meta)

    def update_details(self, changes: Mapping[str, object], meta: dict[str, str]) -> bool:
        """Set the given descriptive fields; records only those that change, and whether any did."""
        checked = checked_venue_changes(changes)
        changed = {field: value for field, value in checked.items() if getattr(self, field) != value}
        if not changed:
            return False
        self._update_details(changes=changed, meta=meta)
        return True

    @event(NumberAssigned)
    def _assign_number(self, number: int, meta: dict[str, str]) -> None:
        self.number = number

    @event(DetailsUpdated)
    def _update_details(self, changes: dict[str, VenueDetail], meta: dict[str, str]) -> None:
        for field, value in changes.items():
            setattr(self, field, value)


class Resource(LedgerAggregate):
    """A bookable resource of a venue; a court is a resource of kind `court`. Also known by its number."""

    class Registered(LedgerAggregate.Created):
        organization_id: UUID
        venue_id: UUID
        kind: str
        name: str
        number: int | None

        # Version 2 added the number; resources registered before have none until one is assigned.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["number"] = None

    class NumberAssigned(LedgerAggregate.Event):
        number: int

    class BookingRulesSet(LedgerAggregate.Event):
        rules: dict[str, Any]
        opening_hours: list[dict[str, Any]]

    @classmethod
    def register_court(
        cls, venue: Venue, name: str, meta: dict[str, str], number: int | None = None
    ) -> Resource:
        return cls(
            organization_id=venue.organization_id,
            venue_id=venue.id,
            kind="court",
            name=checked_name(name),
            number=number,
            meta=meta,
        )

    @event(Registered)
    def __init__(
        self,
        organization_id: UUID,
        venue_id: UUID,
        kind: str,
        name: str,
        number: int | None,
        meta: dict[str, str],
    ) -> None:
        self.organization_id = organization_id
        self.venue_id = venue_id
        self.kind = kind
        self.name = name
        self.number = number
        # Booking rules and weekly opening hours in their JSON-safe forms; a resource without rules is not
        # bookable.
        self.booking_rules: dict[str, Any] | None = None
        self.opening_hours: list[dict[str, Any]] = []

    def assign_number(self, number: int, meta: dict[str, str]) -> None:
        """Give a resource registered before resources had numbers its number; a number is never changed."""
        if self.number is not None:
            raise NumberAlreadyAssignedError(f"Resource {self.id} already has number {self.number}.")
        self._assign_number(number=number, meta=meta)

    @event(NumberAssigned)
    def _assign_number(self, number: int, meta: dict[str, str]) -> None:
        self.number = number

    def set_booking_rules(
        self, rules: BookingRules, opening_hours: OpeningHours, meta: dict[str, str]
    ) -> bool:
        """Replace the booking rules and opening hours; records only a change (prices compared by value)."""
        if self.booking_rules is not None and (rules, opening_hours) == (
            BookingRules.from_dict(self.booking_rules),
            OpeningHours.from_dicts(self.opening_hours),
        ):
            return False
        self._set_booking_rules(rules=rules.as_dict(), opening_hours=opening_hours.as_dicts(), meta=meta)
        return True

    @event(BookingRulesSet)
    def _set_booking_rules(
        self, rules: dict[str, Any], opening_hours: list[dict[str, Any]], meta: dict[str, str]
    ) -> None:
        self.booking_rules = rules
        self.opening_hours = opening_hours
