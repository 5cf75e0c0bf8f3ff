"""A court booking's response is the same whether it is read from its aggregate or from its view row."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from api.partner_sync.schemas import CourtBookingOut
from domain.context import ADMIN, Principal, RequestContext
from ledger.runtime import Runtime
from projections.court_bookings import CourtBookingFilter
from tests.support import random_day

VIEW_WAIT_SECONDS = 30.0


def context(principal: Principal = ADMIN) -> RequestContext:
    return RequestContext(principal, datetime.now(UTC), uuid.uuid4().hex)


def test_the_response_of_the_aggregate_equals_the_response_of_its_view_row(runtime: Runtime) -> None:
    ledger = runtime.ledger
    organization = ledger.create_organization(context(), "Org", "UTC").value
    venue = ledger.create_venue(context(), organization.id, "Venue", None, None).value
    court = ledger.create_court(context(), venue.id, "Court").value
    client = ledger.create_client(context(), "Partner", ["court-bookings:write"], [organization.id]).value
    ctx = context(ledger.authenticate(ledger.issue_api_key(context(), client.id).value.key))
    start, updated = random_day(), datetime(2030, 1, 1, tzinfo=UTC)
    participants = [(None, "ana@example.com"), (None, "bo@example.com")]
    for external_id in ("kept", "cancelled"):
        ledger.upsert_court_booking(
            ctx, client.id, external_id, court.id, start, start + timedelta(hours=1), participants, updated
        )
        start += timedelta(hours=2)
    cancelled = ledger.cancel_court_booking(ctx, client.id, "cancelled", updated + timedelta(seconds=1))
    assert cancelled.position is not None
    assert runtime.court_bookings.wait_for(cancelled.position, VIEW_WAIT_SECONDS)

    rows = runtime.court_bookings.list_court_bookings(CourtBookingFilter(client.id), 10)
    from_rows = {row["external_court_booking_id"]: CourtBookingOut.of(row) for row in rows}
    from_aggregates = {
        external_id: CourtBookingOut.of(ledger.get_court_booking(client.id, external_id))
        for external_id in ("kept", "cancelled")
    }

    assert from_rows == from_aggregates
    assert [from_rows[name].status for name in ("kept", "cancelled")] == ["active", "canceled"]
