"""The calendar of every bookable resource: holds of bookings, kept per resource and UTC day."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from domain.resource_day import ResourceDay, days_touched

DayFinder = Callable[[UUID, date], ResourceDay | None]


@dataclass(frozen=True)
class Hold:
    """A reservation of a resource for [start, end)."""

    resource_id: UUID
    start: datetime
    end: datetime

    def days(self) -> set[tuple[UUID, date]]:
        return {(self.resource_id, day) for day in days_touched(self.start, self.end)}


class Calendar:
    """Reserves, moves and releases holds; returns the days to save in the same `save()` as the booking."""

    def __init__(self, find_day: DayFinder) -> None:
        self._find_day = find_day

    def move(
        self, booking_id: UUID, old: Hold | None, new: Hold | None, meta: dict[str, str]
    ) -> list[ResourceDay]:
        """Release the old hold and take the new one, day by day; raises on an overlap."""
        old_days = old.days() if old else set()
        new_days = new.days() if new else set()
        changed: list[ResourceDay] = []
        for resource_id, day in sorted(old_days | new_days, key=lambda key: (str(key[0]), key[1])):
            calendar = self._find_day(resource_id, day)
            if calendar is None:
                calendar = ResourceDay(resource_id=resource_id, day=day, meta=meta)
            if new is not None and (resource_id, day) in new_days:
                calendar.reserve(booking_id, new.start, new.end, meta)
            else:
                calendar.release(booking_id, meta)
            changed.append(calendar)
        return changed
