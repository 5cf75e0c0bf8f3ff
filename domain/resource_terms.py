"""What booking a resource depends on: its rules, opening hours and venue clock, and its reservations."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.availability import Interval
from domain.booking_checks import ResourceNotBookableError
from domain.booking_rules import BookingRules
from domain.local_time import MINUTES_PER_DAY, wall_instant
from domain.lookups import Lookups
from domain.opening_hours import OpeningHours
from domain.organization import Resource, Venue, VenueNotFoundError
from domain.resource_day import days_touched


class NoBookingRulesError(ResourceNotBookableError):
    """Raised when a resource has no booking rules yet, so it cannot be booked."""


@dataclass(frozen=True)
class BookingTerms:
    """A resource with its venue, its booking rules and opening hours, and the venue's clock."""

    resource: Resource
    venue: Venue
    rules: BookingRules
    opening_hours: OpeningHours

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.venue.timezone)


class ResourceTerms(Lookups):
    """Reads that booking a resource and showing its availability share."""

    def booking_terms(self, resource_ref: str | int | UUID) -> BookingTerms:
        """The resource that `resource_ref` names (number or UUID) with its rules; raises when it has none."""
        return self.terms_of(self.resolve_resource(resource_ref))

    def terms_of(self, resource: Resource, venue: Venue | None = None) -> BookingTerms:
        """The resource with its venue (read unless given), rules and opening hours; raises without rules."""
        if resource.booking_rules is None:
            raise NoBookingRulesError(
                f"Resource {resource.number or resource.id} has no booking rules; it cannot be booked."
            )
        if venue is None or venue.id != resource.venue_id:
            venue = self.load(resource.venue_id, Venue, VenueNotFoundError, "Venue")
        return BookingTerms(
            resource,
            venue,
            BookingRules.from_dict(resource.booking_rules),
            OpeningHours.from_dicts(resource.opening_hours),
        )

    def reservations_between(self, resource_id: UUID, start: datetime, end: datetime) -> Iterator[Interval]:
        """The intervals of the resource's reservations that touch the UTC days of [start, end).

        Every day is read at once, so the local dates of a 31-day range (up to 33 UTC days) cost one calendar
        read; callers bound the range (availability to 31 local dates, a booking to 7 days and its date).
        """
        yield from self.calendar.intervals_on(resource_id, days_touched(start, end))

    def reservations_near(self, terms: BookingTerms, start: datetime, end: datetime) -> Iterator[Interval]:
        """The reservations that checking a booking of [start, end) needs: those of its local date.

        A generator, so the calendar is read only if the checks before the availability check pass (the
        interval is known to be valid and inside the opening hours of its start's local date by then).
        """
        tz = terms.tz
        local_day = start.astimezone(tz).date()
        day_start, day_end = wall_instant(local_day, 0, tz), wall_instant(local_day, MINUTES_PER_DAY, tz)
        yield from self.reservations_between(terms.resource.id, min(start, day_start), max(end, day_end))
