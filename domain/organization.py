"""Registry of places: organizations, their venues, and the bookable resources (courts) in them."""

from __future__ import annotations

import functools
from uuid import UUID
from zoneinfo import available_timezones

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidInputError, NotFoundError


class OrganizationNotFoundError(NotFoundError):
    """Raised when an organization id names no organization."""


class VenueNotFoundError(NotFoundError):
    """Raised when a venue id names no venue."""


class CourtNotFoundError(NotFoundError):
    """Raised when a court id names no court."""


class InvalidTimezoneError(InvalidInputError):
    """Raised when a timezone is not an IANA timezone name."""


class InvalidNameError(InvalidInputError):
    """Raised when a name is empty or longer than 200 characters."""


@functools.cache
def iana_timezones() -> frozenset[str]:
    """The IANA names known to the installed tz database (the `tzdata` package where the host has none)."""
    return frozenset(available_timezones()) - {"localtime", "Factory"}


def checked_timezone(timezone: str) -> str:
    if timezone not in iana_timezones():
        raise InvalidTimezoneError(f"Unknown timezone {timezone!r}.")
    return timezone


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
    """A site of an organization, holding courts."""

    class Registered(LedgerAggregate.Created):
        organization_id: UUID
        name: str
        city: str | None
        timezone: str

    @classmethod
    def register(
        cls,
        organization: Organization,
        name: str,
        city: str | None,
        timezone: str | None,
        meta: dict[str, str],
    ) -> Venue:
        return cls(
            organization_id=organization.id,
            name=checked_name(name),
            city=city.strip() if city else None,
            timezone=checked_timezone(timezone) if timezone else organization.timezone,
            meta=meta,
        )

    @event(Registered)
    def __init__(
        self, organization_id: UUID, name: str, city: str | None, timezone: str, meta: dict[str, str]
    ) -> None:
        self.organization_id = organization_id
        self.name = name
        self.city = city
        self.timezone = timezone


class Resource(LedgerAggregate):
    """A bookable resource of a venue; a court is a resource of kind `court`."""

    class Registered(LedgerAggregate.Created):
        organization_id: UUID
        venue_id: UUID
        kind: str
        name: str

    @classmethod
    def register_court(cls, venue: Venue, name: str, meta: dict[str, str]) -> Resource:
        return cls(
            organization_id=venue.organization_id,
            venue_id=venue.id,
            kind="court",
            name=checked_name(name),
            meta=meta,
        )

    @event(Registered)
    def __init__(
        self, organization_id: UUID, venue_id: UUID, kind: str, name: str, meta: dict[str, str]
    ) -> None:
        self.organization_id = organization_id
        self.venue_id = venue_id
        self.kind = kind
        self.name = name
