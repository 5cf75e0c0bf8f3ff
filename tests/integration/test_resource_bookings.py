"""Resource bookings on PostgreSQL: one winner against partner court bookings, freed slots, unique codes."""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest

from domain.booking_checks import SlotNotAvailableError
from domain.context import ADMIN, Principal, RequestContext
from domain.resource_booking import ResourceBooking
from domain.resource_day import CourtBookingOverlapError
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from tests.racing import answered, race
from tests.support import ServerThread, Tenant, booking_body, expect, random_day
from tests.unit.availability_support import SEED_HOURS, berlin, rules

ROUNDS = 3
RACERS_PER_SIDE = 3
RULES = rules(max_advance_booking_days=3660, prevent_unbookable_gaps=False)


@dataclass(frozen=True)
class Court:
    """A bookable court with a client granted its organization and a user of that client."""

    court_id: str
    client_id: str
    user_id: str

    @classmethod
    def of(cls, runtime: Runtime, tenant: Tenant) -> Court:
        """Given: the tenant's court under rules that allow bookings years ahead."""
        court = cls(tenant.court_id, tenant.client_id, tenant.user_id)
        runtime.ledger.set_booking_rules(admin(runtime), court.court_id, RULES, SEED_HOURS)
        return court

    @classmethod
    def made_in(cls, runtime: Runtime) -> Court:
        """Given: an organization, venue, court, client and user made through the runtime's ledger."""
        ctx, ledger = admin(runtime), runtime.ledger
        organization = ledger.create_organization(ctx, "Org", "Europe/Berlin").value
        venue = ledger.create_venue(ctx, organization.id, "Venue", None, None).value
        court = ledger.create_court(ctx, venue.id, "Court").value
        client = ledger.create_client(ctx, "Partner", ["court-bookings:write"], [organization.id]).value
        user = ledger.create_user(ctx, f"u-{uuid.uuid4().hex[:8]}@example.com", None, None).value
        ledger.set_booking_rules(ctx, court.id, RULES, SEED_HOURS)
        return cls(str(court.id), str(client.id), str(user.id))

    def context(self, runtime: Runtime, now: datetime) -> RequestContext:
        client = runtime.ledger.get_client(uuid.UUID(self.client_id))
        principal = Principal(
            id=self.client_id,
            kind="client",
            scopes=frozenset(client.scopes),
            organization_ids=frozenset(client.organization_ids),
        )
        return RequestContext(principal, now, f"test-{uuid.uuid4().hex}")

    def book(self, runtime: Runtime, day: date, hour: int, hours: int = 1) -> ResourceBooking:
        """When: the client books the court on `day` from `hour` (Berlin), a day ahead."""
        start = berlin(day, hour)
        return runtime.ledger.book_resource(
            self.context(runtime, start - timedelta(days=1)),
            uuid.UUID(self.client_id),
            uuid.UUID(self.user_id),
            self.court_id,
            start,
            start + timedelta(hours=hours),
            2,
        ).value


def admin(runtime: Runtime) -> RequestContext:
    return RequestContext(ADMIN, runtime.clock(), f"test-{uuid.uuid4().hex}")


def resource_booking_sender(runtime: Runtime, court: Court, day: date) -> Callable[[httpx.Client], Any]:
    """A racer that books through the ledger's command, its outcome told as the status an API would answer."""

    def send(_: httpx.Client) -> httpx.Response:
        try:
            court.book(runtime, day, 10)
        except (SlotNotAvailableError, CourtBookingOverlapError):
            return httpx.Response(409)
        return httpx.Response(201)

    return send


def court_booking_sender(tenant: Tenant, day: date) -> Callable[[httpx.Client], Any]:
    body = booking_body(tenant.court_id, berlin(day, 10, 30))
    path = tenant.booking_path(f"race-{uuid.uuid4().hex}")
    return lambda client: client.put(path, json=body, headers=tenant.headers)


def test_a_resource_booking_and_partner_court_bookings_racing_for_a_slot_have_exactly_one_winner(
    runtime: Runtime, server: ServerThread, tenant: Tenant
) -> None:
    court = Court.of(runtime, tenant)
    for _ in range(ROUNDS):
        day = random_day().date()
        senders = [resource_booking_sender(runtime, court, day) for _ in range(RACERS_PER_SIDE)]
        senders += [court_booking_sender(tenant, day) for _ in range(RACERS_PER_SIDE)]

        statuses = [response.status_code for response in answered(race(server.url, senders))]

        assert sorted(statuses) == [201] + [409] * (2 * RACERS_PER_SIDE - 1), statuses
        held = runtime.ledger.reservations(uuid.UUID(tenant.court_id), day - timedelta(days=1), day)
        assert len(held) == 1


def test_cancelling_frees_the_slot_so_a_second_booking_of_it_succeeds(
    runtime: Runtime, tenant: Tenant
) -> None:
    court = Court.of(runtime, tenant)
    day = random_day().date()
    first = court.book(runtime, day, 10)
    with pytest.raises(SlotNotAvailableError):
        court.book(runtime, day, 10)

    ctx = court.context(runtime, runtime.clock())
    runtime.ledger.cancel_resource_booking(ctx, first.reference_code, "user_request", "")
    second = court.book(runtime, day, 10)

    assert (second.status, second.start, second.end) == ("pending", first.start, first.end)
    assert runtime.ledger.get_resource_booking(ctx, first.number).status == "cancelled"


def test_a_court_booking_of_a_slot_freed_by_a_cancelled_resource_booking_succeeds(
    runtime: Runtime, tenant: Tenant
) -> None:
    court = Court.of(runtime, tenant)
    day = random_day().date()
    booking = court.book(runtime, day, 10)
    body = booking_body(tenant.court_id, berlin(day, 10))
    expect(tenant.put("partner-1", body), 409)

    runtime.ledger.cancel_resource_booking(court.context(runtime, runtime.clock()), booking.id)

    expect(tenant.put("partner-1", body), 201)


class DoubledDraws:
    """Suffix draws that hand out every code twice, so concurrent bookings keep drawing the same code."""

    def __init__(self) -> None:
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        self._codes = ("".join(chars) for chars in itertools.product(letters, repeat=4))
        self._current = ""
        self.drawn = 0
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            if self.drawn % 2 == 0:
                self._current = next(self._codes)
            self.drawn += 1
            return self._current


def test_reference_codes_and_numbers_stay_unique_when_concurrent_bookings_draw_the_same_codes(
    own_settings: Settings,
) -> None:
    with open_runtime(own_settings, run_projections=False, announce=lambda _: None) as alone:
        draws = DoubledDraws()
        alone.ledger.reference_suffix = draws
        courts = [Court.made_in(alone) for _ in range(2)]
        day = random_day().date()
        slots = [(court, hour) for court in courts for hour in (8, 10, 12, 16, 18, 20)]
        start = threading.Barrier(len(slots))

        def book_slot(slot: tuple[Court, int]) -> ResourceBooking:
            start.wait()
            return slot[0].book(alone, day, slot[1], hours=2)

        with ThreadPoolExecutor(len(slots)) as pool:
            bookings = list(pool.map(book_slot, slots))

    codes = [booking.reference_code for booking in bookings]
    assert len(set(codes)) == len(slots)
    assert all(code.startswith(f"BK-{day:%y%m%d}-") for code in codes)
    assert len({booking.number for booking in bookings}) == len(slots)
    # Each code held was drawn a second time, and that draw was refused.
    assert draws.drawn >= 2 * len(slots) - 1
