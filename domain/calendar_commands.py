"""Reads of the calendar: the reservations of a resource over a range of days, for availability."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.calendar import Reservation
from domain.lookups import Lookups


class CalendarCommands(Lookups):
    """The calendar group; a booking takes and gives up its holds through `self.calendar`, in its own save."""

    def reservations(self, resource_id: UUID, first_day: date, last_day: date) -> list[Reservation]:
        """The holds on the resource that touch the UTC days first_day to last_day, by start."""
        return self.calendar.reservations(resource_id, first_day, last_day)
