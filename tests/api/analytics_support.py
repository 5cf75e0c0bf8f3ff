"""Givens for the analytics tests: a shop whose court has opening hours and takes client-API bookings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import httpx

from domain.context import ADMIN, Principal, RequestContext
from domain.resource_booking import ResourceBooking
from tests.api.query_support import Shop
from tests.unit.availability_support import SEED_HOURS, berlin, rules

UTILISATION = "/api/v1/analytics/utilisation"
LEAD_TIMES = "/api/v1/analytics/bookings"
RULES = rules(max_advance_booking_days=3660, prevent_unbookable_gaps=False)
# The seed's hours on every weekday: 08:00-14:00 at 25.00 and 15:30-22:00 at 30.00 an hour.
OPEN_MINUTES_A_DAY = 6 * 60 + 6 * 60 + 30


@dataclass(frozen=True)
class Club:
    """The shop's court, open every day with the seed's hours, booked through the client API's command."""

    shop: Shop

    @property
    def court_id(self) -> str:
        return self.shop.partner.tenant.court_id

    @property
    def user_id(self) -> str:
        return self.shop.partner.tenant.user_id

    def admin(self) -> RequestContext:
        return RequestContext(ADMIN, self.shop.runtime.clock(), f"test-{uuid.uuid4().hex}")

    def open_court(self) -> None:
        self.shop.runtime.ledger.set_booking_rules(self.admin(), self.court_id, RULES, SEED_HOURS)

    def book(self, day: date, hour: int, hours: int = 1, days_ahead: int = 1) -> ResourceBooking:
        """The shop's client books the court for its user from `hour` (Berlin), `days_ahead` days before."""
        tenant = self.shop.partner.tenant
        client = self.shop.runtime.ledger.get_client(uuid.UUID(tenant.client_id))
        principal = Principal(
            id=tenant.client_id, kind="client", organization_ids=frozenset(client.organization_ids)
        )
        start = berlin(day, hour)
        ctx = RequestContext(principal, start - timedelta(days=days_ahead), f"test-{uuid.uuid4().hex}")
        client_id, user_id = uuid.UUID(tenant.client_id), uuid.UUID(tenant.user_id)
        return self.shop.runtime.ledger.book_resource(
            ctx, client_id, user_id, self.court_id, start, start + timedelta(hours=hours), 2
        ).value

    def confirm(self, booking: ResourceBooking) -> None:
        self.shop.runtime.ledger.confirm_resource_booking(self.admin(), booking.id)

    def cancel(self, booking: ResourceBooking) -> None:
        self.shop.runtime.ledger.cancel_resource_booking(self.admin(), booking.id, "NoTime")

    def expire(self, booking: ResourceBooking) -> None:
        self.shop.runtime.ledger.expire_resource_booking(self.admin(), booking.id)

    def pay(self, booking: ResourceBooking, succeeded: bool = True) -> None:
        payment = f"pay-{uuid.uuid4().hex}"
        self.shop.runtime.ledger.record_payment(self.admin(), booking.id, payment, succeeded)

    def court_booking(self, day: date, hour: int, hours: int = 1) -> str:
        """A partner's court booking of the same court, from `hour` (Berlin); returns its external id."""
        return self.shop.court_booking(berlin(day, hour), hours=hours)

    def get(self, path: str, params: dict[str, str], headers: dict[str, str] | None = None) -> httpx.Response:
        """GET an analytics endpoint for the shop's organisation once the view has every event so far."""
        head = self.shop.runtime.ledger.recorder.max_notification_id() or 0
        query = {"organisationId": self.shop.organisation_id, "consistentWith": str(head), **params}
        key = self.shop.analyst if headers is None else headers
        return self.shop.http.get(path, params=query, headers=key)


def period(first: date, last: date | None = None, **params: str) -> dict[str, str]:
    return {"from": first.isoformat(), "to": (last or first).isoformat(), **params}
