"""Helpers of the client API's availability and booking tests: a partner ready to book, and Berlin times."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.api.client_api_support import BASE, Partner, make_partner, unique
from tests.support import expect

BERLIN = ZoneInfo("Europe/Berlin")
AVAILABILITY = f"{BASE}/resources/availability/"
BOOKINGS = f"{BASE}/bookings/"
SEED_HOURS = [
    {"startTime": "08:00", "endTime": "14:00", "pricePerHour": "25.00", "label": ""},
    {"startTime": "15:30", "endTime": "22:00", "pricePerHour": "30.00", "label": "Peak Hours"},
]
BOOKING_SHAPE = {
    "id",
    "reference_code",
    "status",
    "resource_id",
    "resource_name",
    "venue_name",
    "start_datetime",
    "end_datetime",
    "total_price",
    "currency",
    "participant_count",
    "created_at",
}


def every_day(hours: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranges on each weekday, so that any date is open the same way."""
    return [{"weekday": weekday, **opening} for weekday in range(7) for opening in hours]


def rules(hours: list[dict[str, Any]] | None = None, **changes: Any) -> dict[str, Any]:
    """The README's booking rules (capacity 4, 30-minute grid, 60 to 180 minutes, 60 minutes to 30 days
    ahead, no unbookable gaps), open every day with the seed's two ranges unless `hours` says otherwise."""
    body = {
        "capacity": 4,
        "basePrice": "25.00",
        "currency": "EUR",
        "priceUnit": "hour",
        "bookingIntervalMinutes": 30,
        "minBookingDurationMinutes": 60,
        "maxBookingDurationMinutes": 180,
        "minAdvanceBookingMinutes": 60,
        "maxAdvanceBookingDays": 30,
        "preventUnbookableGaps": True,
        "isBookable": True,
        "openingHours": every_day(SEED_HOURS if hours is None else hours),
    }
    return {**body, **changes}


def today() -> date:
    return datetime.now(BERLIN).date()


def soon(days: int = 3) -> date:
    """A Berlin date `days` ahead: inside the rules' 30 days, past their 60 minutes."""
    return today() + timedelta(days=days)


def local(day: date, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, fold=fold, tzinfo=BERLIN)


@dataclass
class Bookable:
    """A partner whose user, approved venue and ruled court are mapped under its own ids."""

    partner: Partner
    user: str
    venue: str
    resource: str
    resource_number: int

    @property
    def http(self) -> httpx.Client:
        return self.partner.http

    def set_rules(self, body: dict[str, Any], court_id: str | None = None) -> Any:
        path = f"/api/v1/admin/resources/{court_id or self.partner.court_id}/booking-rules"
        return expect(self.http.put(path, json=body, headers=self.partner.admin_headers), 200)

    def availability(self, start: date, end: date | None = None, **params: Any) -> httpx.Response:
        query = {"resource_external_id": self.resource, "start_date": start.isoformat(), **params}
        if end is not None:
            query["end_date"] = end.isoformat()
        return self.partner.get(AVAILABILITY, **query)

    def ranges(self, start: date, end: date | None = None) -> list[tuple[str, str, str, str, str]]:
        body = expect(self.availability(start, end), 200)
        return [
            (r["date"], r["start_time"], r["end_time"], r["price_per_hour"], r["label"])
            for r in body["available_ranges"]
        ]

    def book(
        self,
        start: datetime,
        end: datetime,
        participant_count: int = 2,
        user: str | None = None,
        resource: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        body = {
            "resource_external_id": resource or self.resource,
            "start_datetime": start.isoformat(),
            "end_datetime": end.isoformat(),
            "participant_count": participant_count,
            "notes": "Optional booking notes",
        }
        return self.partner.post(
            BOOKINGS, body, **{"X-User-External-ID": user or self.user, **(headers or {})}
        )

    def booked(self, start: datetime, end: datetime, **options: Any) -> Any:
        return expect(self.book(start, end, **options), 201)

    def add_user(self) -> str:
        external_id = unique("user")
        self.partner.register_user(external_id)
        return external_id

    def add_resource(self, body: dict[str, Any] | None = None) -> str:
        """Another court of the venue, with rules, mapped under a new external id."""
        court_id = self.partner.add_court()
        self.set_rules(body or rules(), court_id)
        external_id = unique("pitch")
        self.partner.register_resource(external_id, court_id)
        return external_id


def make_bookable(
    http: httpx.Client,
    admin_headers: dict[str, str],
    body: dict[str, Any] | None = None,
    scopes: list[str] | None = None,
) -> Bookable:
    """A new partner ready to book, as the seed's flow leaves it (see `ready_to_book`)."""
    return ready_to_book(make_partner(http, admin_headers, scopes), body)


def ready_to_book(partner: Partner, body: dict[str, Any] | None = None) -> Bookable:
    """The partner with its court under `body` (the README's rules by default), and its user, venue
    (approved) and court mapped."""
    user, venue, resource = unique("user"), unique("venue"), unique("pitch")
    path = f"/api/v1/admin/resources/{partner.court_id}/booking-rules"
    expect(partner.http.put(path, json=body or rules(), headers=partner.admin_headers), 200)
    partner.register_user(user)
    partner.register_venue(venue)
    expect(partner.decide(partner.lookup_venue(venue)["id"], "approve"), 200)
    number = partner.register_resource(resource)["resource_id"]
    return Bookable(partner, user, venue, resource, number)


def court_booking(bookable: Bookable, start: datetime, end: datetime) -> httpx.Response:
    """A partner-sync upsert of the same court (the partner needs `court-bookings:write`)."""
    partner = bookable.partner
    path = f"/api/v1/external-services/{partner.client_id}/court-bookings/by-external-id/{uuid.uuid4().hex}"
    body = {
        "courtId": partner.court_id,
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "externalUpdatedAt": "2030-01-01T00:00:00Z",
        "participants": [{"email": "ana@example.com"}],
    }
    return partner.http.put(path, json=body, headers={"Authorization": f"Bearer {partner.key}"})
