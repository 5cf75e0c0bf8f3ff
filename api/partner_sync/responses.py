"""A court booking's answer written once from plain values, as the framework would have written it."""

from __future__ import annotations

from fastapi import Response

from api.partner_sync.schemas import CourtBookingOut
from domain.court_booking import CourtBooking


def booking_response(booking: CourtBooking, status: int = 200, position: int | None = None) -> Response:
    """The booking as JSON with its ETag (and the log position a write reached), byte for byte what FastAPI
    writes for a returned `CourtBookingOut`: returned as a model, it would be validated a second time, in a
    worker thread of its own for a plain-function endpoint."""
    body = CourtBookingOut.of(booking).model_dump_json(by_alias=True)
    response = Response(body, status_code=status, media_type="application/json")
    response.headers["ETag"] = f'"{booking.version}"'
    if position is not None:
        response.headers["X-Ledger-Position"] = str(position)
    return response
