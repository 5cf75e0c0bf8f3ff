"""The list of read models that the ledger maintains."""

from __future__ import annotations

from projections.court_bookings import CourtBookingsProjection, CourtBookingsView
from projections.runner import ViewSpec

VIEWS = (ViewSpec(CourtBookingsProjection, CourtBookingsView),)
