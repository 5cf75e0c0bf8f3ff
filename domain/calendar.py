"""The calendar of every bookable resource: holds of bookings, kept per resource and UTC day."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from domain.errors import InvalidInputError
from domain.resource_day import ResourceDay, days_touched

# Finds the saved calendar day of a resource, or None when nothing was ever held on it.
DayFinder = Callable[[UUID, date], ResourceDay | None]
# Finds the saved calendar days of a resource among the given dates at once, by date.
DaysFinder = Callable[[UUID, Sequence[date]], dict[date, ResourceDay]]
MAX_DAYS_READ = 31


class InvalidDateRangeError(InvalidInputError):
    """Raised when a calendar read ends before it starts or spans more than `MAX_DAYS_READ` days."""


@dataclass(frozen=True)
class Hold:
    """A reservation of a resource for [start, end)."""

    resource_id: UUID
    start: datetime
    end: datetime

    def days(self) -> set[tuple[UUID, date]]:
        return {(self.resource_id, day) for day in days_touched(self.start, self.end)}


@dataclass(frozen=True)
class Reservation:
    """A booking's hold on a resource, as the calendar records it."""

    booking_id: UUID
    hold: Hold


class Calendar:
    """Reserves, moves and releases holds; returns the days to save in the same `save()` as the booking.

    Overlapping holds are refused by the days themselves (`CourtBookingOverlapError`); saving the days with
    the booking, under optimistic concurrency, makes the refusal hold against concurrent writers too.
    """

    def __init__(self, find_day: DayFinder, find_days: DaysFinder | None = None) -> None:
        self._find_day = find_day
        self._find_days = find_days

    def reserve(self, booking_id: UUID, hold: Hold, meta: dict[str, str]) -> list[ResourceDay]:
        """Take the hold for the booking on every day it touches."""
        return self.move(booking_id, None, hold, meta)

    def release(self, booking_id: UUID, hold: Hold, meta: dict[str, str]) -> list[ResourceDay]:
        """Give up the booking's hold on every day it touches."""
        return self.move(booking_id, hold, None, meta)

    def move(
        self, booking_id: UUID, old: Hold | None, new: Hold | None, meta: dict[str, str]
    ) -> list[ResourceDay]:
        """Release the old hold and take the new one, day by day; raises on an overlap before changing any
        day, so a refused move leaves every day as it was."""
        old_days = old.days() if old else set()
        new_days = new.days() if new else set()
        calendars: list[ResourceDay] = []
        for resource_id, day in sorted(old_days | new_days, key=lambda key: (str(key[0]), key[1])):
            calendar = self._find_day(resource_id, day)
            if calendar is None:
                calendar = ResourceDay(resource_id=resource_id, day=day, meta=meta)
            if new is not None and (resource_id, day) in new_days:
                calendar.check_free(booking_id, new.start, new.end)
            calendars.append(calendar)
        for calendar in calendars:
            if new is not None and (calendar.resource_id, calendar.day) in new_days:
                calendar.reserve(booking_id, new.start, new.end, meta)
            else:
                calendar.release(booking_id, meta)
        return calendars

    def reservations(self, resource_id: UUID, first_day: date, last_day: date) -> list[Reservation]:
        """The holds on the resource that touch the UTC days first_day to last_day, by start."""
        span = (last_day - first_day).days + 1
        if not 1 <= span <= MAX_DAYS_READ:
            raise InvalidDateRangeError(
                f"A calendar read covers 1 to {MAX_DAYS_READ} days, from its first day to its last."
            )
        return self.reservations_on(resource_id, [first_day + timedelta(days=n) for n in range(span)])

    def reservations_on(self, resource_id: UUID, days: Sequence[date]) -> list[Reservation]:
        """The holds on the resource that touch any of these UTC days, by start; the days are read at once
        when the calendar was given a way to, so a range of days costs one read, not one per day."""
        found = [
            Reservation(booking_id, Hold(resource_id, start, end))
            for booking_id, (start, end) in self._holds_on(resource_id, days).items()
        ]
        # UUIDs order as their text does, without making the text.
        return sorted(found, key=lambda r: (r.hold.start, r.hold.end, r.booking_id))

    def intervals_on(self, resource_id: UUID, days: Sequence[date]) -> list[tuple[datetime, datetime]]:
        """The [start, end) of each hold on the resource that touches any of these UTC days, in no order:
        what availability needs, without an object per hold."""
        return list(self._holds_on(resource_id, days).values())

    def _holds_on(self, resource_id: UUID, days: Sequence[date]) -> dict[UUID, tuple[datetime, datetime]]:
        if self._find_days is not None:
            calendars = list(self._find_days(resource_id, days).values())
        else:
            calendars = [each for day in days if (each := self._find_day(resource_id, day)) is not None]
        holds: dict[UUID, tuple[datetime, datetime]] = {}
        for calendar in calendars:
            holds.update(calendar.reservations)
        return holds
