"""The list of read models that the ledger maintains."""

from __future__ import annotations

from projections.bookings import BookingsProjection, BookingsView
from projections.court_bookings import CourtBookingsProjection, CourtBookingsView
from projections.runner import ViewSpec

VIEWS = (ViewSpec(CourtBookingsProjection, CourtBookingsView), ViewSpec(BookingsProjection, BookingsView))
