"""Appointments on PostgreSQL: racing bookings of one slot have one winner; they share the calendar."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.appointment import Appointment, SlotTakenError
from domain.context import ADMIN, Principal, RequestContext
from domain.customer import Customer
from domain.resource_day import CourtBookingOverlapError
from domain.slot_commands import OfferedSlot
from ledger.runtime import Runtime

RACERS = 8
SLOT_KEY = b"integration-slot-key-0123456789ab"
CUSTOMER = Customer("John", "Doe", "jd@scrubs.doc")


def admin(runtime: Runtime) -> RequestContext:
    return RequestContext(ADMIN, runtime.clock(), f"test-{uuid.uuid4().hex}")


@dataclass
class ModuleClub:
    """Given: an organization with one court, a one-hour template on it, and a partner granted it."""

    runtime: Runtime
    organization_id: UUID
    court_id: UUID
    template_id: UUID
    partner: Principal

    @classmethod
    def open(cls, runtime: Runtime) -> ModuleClub:
        ledger = runtime.ledger
        organization = ledger.create_organization(admin(runtime), "Club", "Europe/Berlin").value
        venue = ledger.create_venue(admin(runtime), organization.id, "Centre", "Berlin", None).value
        court = ledger.create_court(admin(runtime), venue.id, "Court 1").value
        settings: dict[str, Any] = {
            "name": "Lesson",
            "duration": 60,
            "followup_time": 15,
            "price_gross": "40.00",
            "tax_rate": "19",
            "currency": "EUR",
            "booking_day_earliest": 0,
            "booking_day_latest": 365,
            "booking_lead_time": 0,
            "resource_ids": [court.number],
        }
        template = ledger.create_booking_template(admin(runtime), organization.id, settings).value
        client = ledger.create_client(
            admin(runtime), "Partner", ["court-bookings:write"], [organization.id]
        ).value
        partner = Principal(str(client.id), "client", frozenset(client.scopes), frozenset([organization.id]))
        return cls(runtime, organization.id, court.id, template.id, partner)

    def context(self) -> RequestContext:
        return RequestContext(self.partner, self.runtime.clock(), f"test-{uuid.uuid4().hex}")

    def slot_on_a_random_day(self) -> OfferedSlot:
        """The first slot from 10:00 UTC on a random day within the next 300 days."""
        day = self.runtime.clock().replace(hour=10, minute=0, second=0, microsecond=0)
        start = day + timedelta(days=1 + uuid.uuid4().int % 300)
        offer = self.runtime.ledger.booking_slots(
            self.organization_id,
            self.template_id,
            start,
            start + timedelta(hours=2),
            self.runtime.clock(),
            SLOT_KEY,
        )
        return offer.slots[0]

    def add(self, slot: OfferedSlot) -> Appointment:
        saved = self.runtime.ledger.add_appointment(
            self.context(), self.organization_id, slot.id, CUSTOMER, slot_keys=[SLOT_KEY]
        )
        return saved.value

    def partner_booking(self, start: datetime, end: datetime) -> None:
        self.runtime.ledger.upsert_court_booking(
            self.context(),
            UUID(self.partner.id),
            f"booking-{uuid.uuid4().hex}",
            self.court_id,
            start,
            end,
            [(None, "player@example.com")],
            self.runtime.clock(),
        )


def test_racing_bookings_of_one_slot_have_exactly_one_winner(runtime: Runtime) -> None:
    club = ModuleClub.open(runtime)
    slot = club.slot_on_a_random_day()
    barrier = threading.Barrier(RACERS)

    def race(_: int) -> Appointment | Exception:
        barrier.wait()
        try:
            return club.add(slot)
        except SlotTakenError as error:
            return error

    with ThreadPoolExecutor(RACERS) as pool:
        outcomes = list(pool.map(race, range(RACERS)))

    winners = [outcome for outcome in outcomes if isinstance(outcome, Appointment)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(outcome, SlotTakenError) for outcome in outcomes if outcome is not winners[0])
    day = slot.start.date()
    held = runtime.ledger.reservations(club.court_id, day, day)
    assert [reservation.booking_id for reservation in held] == [winners[0].id]


def test_an_appointment_blocks_a_partner_booking_of_the_same_court_and_time(runtime: Runtime) -> None:
    club = ModuleClub.open(runtime)
    appointment = club.add(club.slot_on_a_random_day())

    with pytest.raises(CourtBookingOverlapError):
        # The follow-up time is held too: a booking starting right at the appointment's end overlaps it.
        club.partner_booking(appointment.end, appointment.end + timedelta(hours=1))


def test_a_partner_booking_takes_the_slot_it_overlaps(runtime: Runtime) -> None:
    club = ModuleClub.open(runtime)
    slot = club.slot_on_a_random_day()
    club.partner_booking(slot.start + timedelta(minutes=30), slot.start + timedelta(minutes=90))

    with pytest.raises(SlotTakenError):
        club.add(slot)


def test_a_cancelled_appointment_frees_its_time_for_a_partner_booking(runtime: Runtime) -> None:
    club = ModuleClub.open(runtime)
    appointment = club.add(club.slot_on_a_random_day())
    runtime.ledger.cancel_appointment(club.context(), club.organization_id, appointment.id)

    club.partner_booking(appointment.start, appointment.end)

    reloaded = runtime.ledger.get_appointment(club.context(), club.organization_id, appointment.id)
    assert reloaded.status == "cancelled"
