"""Commands of a resource's booking rules and opening hours, and the availability they give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.app_base import Saved
from domain.availability import FreeRange, available_ranges
from domain.booking_rules import BookingRules
from domain.calendar import MAX_DAYS_READ, InvalidDateRangeError
from domain.context import RequestContext
from domain.local_time import wall_instant
from domain.opening_hours import OpeningHours
from domain.organization import Resource, Venue
from domain.resource_terms import BookingTerms, ResourceTerms

# Dates far enough from the ends of the calendar that their instants in any timezone exist.
EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)


@dataclass(frozen=True)
class ResourceAvailability:
    """A resource's free, priced ranges for each local date asked for, with the terms they follow."""

    terms: BookingTerms
    first_day: date
    last_day: date
    ranges: dict[date, list[FreeRange]]


class ResourceRulesCommands(ResourceTerms):
    """Setting a resource's booking rules (each change an event, so history shows when a price changed)."""

    def set_booking_rules(
        self,
        ctx: RequestContext,
        resource_ref: str | int | UUID,
        rules: BookingRules,
        opening_hours: OpeningHours,
    ) -> Saved[Resource]:
        """Replace the rules and weekly opening hours of the resource that `resource_ref` names (number or
        UUID); answers the resource as it now is. Setting what is already set records nothing. A resource
        registered before resources had numbers gets its number too."""

        def attempt() -> Saved[Resource]:
            resource = self.resolve_resource(resource_ref)
            pending: list[Any] = []
            if resource.set_booking_rules(rules, opening_hours, ctx.meta()):
                pending.append(resource)
            if resource.number is None:
                pending = [resource, self._assign_number("resource", resource, ctx)]
            if not pending:
                return Saved(resource)
            return Saved(resource, position=self.save_all(*pending))

        return self.with_retry(attempt)

    def resource_availability(
        self,
        resource_ref: str | int | UUID | Resource,
        start_date: date,
        end_date: date,
        now: datetime,
        venue: Venue | None = None,
    ) -> ResourceAvailability:
        """The free ranges of each local date from `start_date` to `end_date` (at most 31 dates).

        Every reservation of the resource counts, whichever surface made it; the calendar is read once for
        the whole range. A caller that has read the resource (and its venue) passes them, saving the reads.
        """
        span = (end_date - start_date).days + 1
        if not 1 <= span <= MAX_DAYS_READ:
            raise InvalidDateRangeError(
                f"Availability covers 1 to {MAX_DAYS_READ} days, from start to end date."
            )
        if not EARLIEST <= start_date <= end_date <= LATEST:
            raise InvalidDateRangeError(f"Availability covers dates from {EARLIEST} to {LATEST}.")
        if isinstance(resource_ref, Resource):
            terms = self.terms_of(resource_ref, venue)
        else:
            terms = self.booking_terms(resource_ref)
        tz = terms.tz
        first = wall_instant(start_date, 0, tz)
        after = wall_instant(end_date + timedelta(days=1), 0, tz)
        reservations = list(self.reservations_between(terms.resource.id, first, after))
        ranges = available_ranges(
            rules=terms.rules,
            opening_hours=terms.opening_hours,
            tz=tz,
            reservations=reservations,
            now=now,
            first_day=start_date,
            last_day=end_date,
        )
        return ResourceAvailability(terms, start_date, end_date, ranges)
