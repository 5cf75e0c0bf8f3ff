"""A client API booking and a partner's court booking racing over HTTP for one slot: one winner a round."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import httpx

from ledger.runtime import Runtime
from tests.api.client_booking_support import BOOKINGS, Bookable, local, make_bookable, soon
from tests.racing import Sender, answered, race
from tests.support import ServerThread

ROUNDS = 6
SLOT_NOT_AVAILABLE = {"error": "The requested time slot is not available"}


def racers(bookable: Bookable, start: datetime, end: datetime) -> list[Sender]:
    """A client API booking and a partner-sync upsert of the same court and time, each on its own client."""
    partner = bookable.partner
    body = {
        "resource_external_id": bookable.resource,
        "start_datetime": start.isoformat(),
        "end_datetime": end.isoformat(),
        "participant_count": 2,
    }
    booking_headers = {**partner.headers, "X-User-External-ID": bookable.user}
    upsert = {
        "courtId": partner.court_id,
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "externalUpdatedAt": "2030-01-01T00:00:00Z",
        "participants": [{"email": "ana@example.com"}],
    }
    upsert_path = (
        f"/api/v1/external-services/{partner.client_id}/court-bookings/by-external-id/{uuid.uuid4().hex}"
    )
    upsert_headers = {"Authorization": f"Bearer {partner.key}"}
    return [
        lambda client: client.post(BOOKINGS, json=body, headers=booking_headers),
        lambda client: client.put(upsert_path, json=upsert, headers=upsert_headers),
    ]


def held(runtime: Runtime, bookable: Bookable, day: date) -> int:
    court = uuid.UUID(bookable.partner.court_id)
    return len(runtime.ledger.reservations(court, day, day))  # 10:00 in Berlin is on the same UTC date


def test_a_client_booking_and_a_partner_upsert_racing_for_one_slot_have_exactly_one_winner_each_round(
    http: httpx.Client, admin_headers: dict[str, str], server: ServerThread, runtime: Runtime
) -> None:
    bookable = make_bookable(http, admin_headers, scopes=["client-api", "court-bookings:write"])
    winners = []
    for round_number in range(ROUNDS):
        day = soon(2 + round_number)
        start, end = local(day, 10), local(day, 11, 30)

        booking, upsert = answered(race(server.url, racers(bookable, start, end)))

        outcome = (booking.status_code, upsert.status_code)
        assert outcome in ((201, 409), (400, 201)), (booking.text, upsert.text)
        if booking.status_code == 201:
            winners.append("client API")
            assert upsert.json()["error"]["type"] == "court_booking_overlap"
        else:
            winners.append("partner sync")
            assert booking.json() == SLOT_NOT_AVAILABLE
        assert held(runtime, bookable, day) == 1
    assert len(winners) == ROUNDS, winners
