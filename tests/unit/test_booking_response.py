"""A court booking's answer, written from plain values, is byte for byte what FastAPI wrote for the model."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID

from fastapi import Response
from fastapi.routing import serialize_response
from fastapi.utils import create_model_field

from api.partner_sync.responses import booking_response
from api.partner_sync.schemas import CourtBookingOut
from domain.court_booking import CourtBooking
from domain.court_booking_terms import CourtBookingTerms, checked_participants
from tests.unit.events import given, meta

START = datetime(2030, 1, 1, 9, tzinfo=UTC)


def booking() -> CourtBooking:
    participants = checked_participants([(None, "Anä@Example.com"), (UUID(int=9), None)])
    terms = CourtBookingTerms(UUID(int=3), START, START + timedelta(hours=1), participants, START)
    return given(CourtBooking.register(UUID(int=1), "partner-ü-1", UUID(int=2), terms, meta()))


def as_fastapi_wrote_it(value: CourtBooking, status: int, position: int | None) -> Response:
    """The answer of an endpoint that returned `CourtBookingOut.of(value)` and set the headers on the
    injected response, as FastAPI's request handler builds it (its JSON fast path)."""
    field = create_model_field("response", CourtBookingOut, mode="serialization")
    content = asyncio.run(
        serialize_response(field=field, response_content=CourtBookingOut.of(value), dump_json=True)
    )
    response = Response(content=content, media_type="application/json", status_code=status)
    response.headers["ETag"] = f'"{value.version}"'
    if position is not None:
        response.headers["X-Ledger-Position"] = str(position)
    return response


def test_a_written_booking_answers_the_same_bytes_status_and_headers() -> None:
    value = booking()
    expected = as_fastapi_wrote_it(value, 201, 42)

    written = booking_response(value, 201, 42)

    assert written.body == expected.body
    assert written.status_code == 201
    assert written.raw_headers == expected.raw_headers


def test_a_read_booking_answers_the_same_bytes_without_a_position() -> None:
    value = booking()
    expected = as_fastapi_wrote_it(value, 200, None)

    read = booking_response(value)

    assert read.body == expected.body
    assert read.raw_headers == expected.raw_headers
    assert b"x-ledger-position" not in dict(read.raw_headers)
