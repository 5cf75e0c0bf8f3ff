"""The client API seed's whole flow against `ledger serve`: map, approve, read availability, book, cancel."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.api.client_api_support import make_partner
from tests.api.client_booking_support import AVAILABILITY, BOOKINGS, local, rules, soon
from tests.reliability.processes import ledger_served
from tests.support import expect

USER = {"X-User-External-ID": "your-user-123"}


def test_the_seeds_flow_books_ten_to_half_past_eleven_for_37_50_and_cancelling_frees_it(
    database_url: str, tmp_path: Path
) -> None:
    with (
        ledger_served(database_url, "clientflow", tmp_path / "data") as served,
        httpx.Client(base_url=served.server.url, timeout=30) as http,
    ):
        partner = make_partner(http, served.admin_headers)
        path = f"/api/v1/admin/resources/{partner.court_id}/booking-rules"
        expect(http.put(path, json=rules(), headers=served.admin_headers), 200)
        partner.register_user("your-user-123", "user@example.com")
        partner.register_venue("venue-456")
        number = partner.register_resource("pitch-123")["resource_id"]
        expect(partner.decide(partner.lookup_venue("venue-456")["id"], "approve"), 200)
        venue = expect(
            partner.get("/matchengine/api/v1/client/venues/resources/", venue_external_id="venue-456"), 200
        )
        day = soon(3)
        free = {
            "resource_external_id": "pitch-123",
            "start_date": day.isoformat(),
            "end_date": day.isoformat(),
        }
        before = expect(partner.get(AVAILABILITY, **free), 200)["available_ranges"]

        created = partner.post(
            BOOKINGS,
            {
                "resource_external_id": "pitch-123",
                "start_datetime": local(day, 10).isoformat(),
                "end_datetime": local(day, 11, 30).isoformat(),
                "participant_count": 2,
                "notes": "Optional booking notes",
            },
            **USER,
        )
        booking = expect(created, 201)
        during = expect(partner.get(AVAILABILITY, **free), 200)["available_ranges"]
        read = expect(http.get(f"{BOOKINGS}{booking['id']}/", headers={**partner.headers, **USER}), 200)
        listed = expect(partner.get(BOOKINGS, consistentWith=created.headers["X-Ledger-Position"]), 200)
        cancelled = partner.post(
            f"{BOOKINGS}{booking['id']}/cancel/",
            {"reason": "user_request", "notes": "User changed plans"},
            **USER,
        )
        after = expect(partner.get(AVAILABILITY, **free), 200)["available_ranges"]

    assert [resource["external_id"] for resource in venue["resources"]] == ["pitch-123"]
    assert (booking["status"], booking["total_price"], booking["resource_id"]) == ("pending", "37.50", number)
    assert booking["start_datetime"] == local(day, 10).isoformat()
    assert [(r["start_time"], r["end_time"]) for r in during[:2]] == [
        ("08:00:00", "10:00:00"),
        ("11:30:00", "14:00:00"),
    ]
    assert read == booking
    assert listed == [booking]
    assert expect(cancelled, 200) == {**booking, "status": "cancelled"}
    assert after == before
