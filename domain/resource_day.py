"""The calendar: one resource on one UTC date, the consistency boundary that forbids overlaps."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import ConflictError
from domain.ids import resource_day_id

MAX_BOOKING_LENGTH = timedelta(days=7)


class CourtBookingOverlapError(ConflictError):
    """Raised when a reservation overlaps another active reservation of the same resource."""


def days_touched(start: datetime, end: datetime) -> list[date]:
    """The UTC dates that the half-open interval [start, end) occupies."""
    first = start.astimezone(UTC).date()
    last = (end.astimezone(UTC) - timedelta(microseconds=1)).date()
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


class ResourceDay(LedgerAggregate):
    """The active reservations of one resource on one UTC calendar date."""

    class Opened(LedgerAggregate.Created):
        resource_id: UUID
        day: date

    # Triggered directly, not through `@event` methods: a batch reserves hundreds of days per request, and
    # the decorator's argument matching cost more than the rest of a reservation.
    class Reserved(LedgerAggregate.Event):
        booking_id: UUID
        start: datetime
        end: datetime

        def apply(self, aggregate: ResourceDay) -> None:
            aggregate.reservations[self.booking_id] = (self.start, self.end)

    class Released(LedgerAggregate.Event):
        booking_id: UUID

        def apply(self, aggregate: ResourceDay) -> None:
            del aggregate.reservations[self.booking_id]

    @staticmethod
    def create_id(resource_id: UUID, day: date, **_: object) -> UUID:
        return resource_day_id(resource_id, day)

    @event(Opened)
    def __init__(self, resource_id: UUID, day: date, meta: dict[str, str]) -> None:
        self.resource_id = resource_id
        self.day = day
        self.reservations: dict[UUID, tuple[datetime, datetime]] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> ResourceDay:
        """A copy to change on its own: its own reservations and pending events. Their ids, instants and
        events never change, so they are shared; a cached day is copied before every command (far faster)."""
        clone = copy.copy(self)
        clone.reservations = dict(self.reservations)
        clone._pending_events = list(self._pending_events)
        return clone

    def reserve(self, booking_id: UUID, start: datetime, end: datetime, meta: dict[str, str]) -> None:
        """Hold [start, end) for the booking, replacing its own earlier hold on this day."""
        self.check_free(booking_id, start, end)
        if self.reservations.get(booking_id) != (start, end):
            self.trigger_event(self.Reserved, booking_id=booking_id, start=start, end=end, meta=meta)

    def check_free(self, booking_id: UUID, start: datetime, end: datetime) -> None:
        """Raise `CourtBookingOverlapError` when [start, end) overlaps another booking's hold on this day."""
        overlapping = [
            other
            for other, (other_start, other_end) in self.reservations.items()
            if other != booking_id and other_start < end and start < other_end
        ]
        if overlapping:
            raise CourtBookingOverlapError(
                "The court is already booked for part of this time.",
                overlapping=sorted(str(other) for other in overlapping),
            )

    def release(self, booking_id: UUID, meta: dict[str, str]) -> None:
        if booking_id in self.reservations:
            self.trigger_event(self.Released, booking_id=booking_id, meta=meta)
