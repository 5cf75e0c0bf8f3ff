"""Every kind of booking the bookings query view holds; a new kind is one mapping module added to KINDS."""

from __future__ import annotations

from projections.booking_facts import BookingKind
from projections.booking_kinds.coach_event_bookings import COACH_EVENT_BOOKINGS
from projections.booking_kinds.court_bookings import COURT_BOOKINGS
from projections.booking_kinds.resource_bookings import RESOURCE_BOOKINGS

KINDS: tuple[BookingKind, ...] = (COURT_BOOKINGS, COACH_EVENT_BOOKINGS, RESOURCE_BOOKINGS)
