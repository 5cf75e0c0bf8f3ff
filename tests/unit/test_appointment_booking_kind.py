"""Appointments in the bookings query view: one mapping of their events to facts and patches."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from domain.appointment import Appointment
from domain.booking_template import BookingTemplate
from domain.customer import Customer
from projections.booking_facts import BookingFacts, BookingPatch
from projections.booking_kinds import KINDS
from projections.booking_kinds.appointments import APPOINTMENTS, appointment_change
from tests.unit.events import meta
from tests.unit.template_support import COURT, NOW, SEED_SETTINGS

START = NOW + timedelta(days=2)
CLIENT = uuid.uuid4()


def booked(email: str = "jd@scrubs.doc", actor_kind: str = "client") -> Appointment:
    settings = {**SEED_SETTINGS, "followup_time": 15, "resource_ids": [COURT]}
    template = BookingTemplate.create(uuid.uuid4(), uuid.uuid4(), settings, meta())
    by = {**meta(), "actor": str(CLIENT), "actorKind": actor_kind}
    return Appointment.book(template, (COURT,), START, Customer("John", "Doe", email=email), by)


def test_a_booked_appointment_maps_to_the_facts_of_an_appointment_of_its_court() -> None:
    appointment = booked()
    [event] = appointment.collect_events()

    facts = appointment_change(event)

    assert isinstance(facts, BookingFacts)
    assert (facts.booking_id, facts.organisation_id, facts.resource_id) == (
        appointment.id,
        appointment.organization_id,
        COURT,
    )
    assert (facts.source, facts.booking_type, facts.type) == ("module-api", "appointment", "individual")
    assert (facts.status, facts.user_status, facts.org_status) == ("booked", "confirmed", "approved")
    assert (facts.start, facts.end, facts.duration_minutes) == (START, START + timedelta(hours=1), 60)
    assert (facts.name, facts.user_email, facts.client_id) == (
        "Test AppointmentTemplate",
        "jd@scrubs.doc",
        CLIENT,
    )
    assert (facts.price, facts.currency) == (Decimal("99.99"), "EUR")
    assert facts.member_id is None


def test_an_appointment_without_an_email_or_booked_by_no_client_leaves_them_empty() -> None:
    [event] = booked(email="", actor_kind="admin").collect_events()

    facts = appointment_change(event)

    assert isinstance(facts, BookingFacts)
    assert (facts.user_email, facts.client_id) == (None, None)


def test_a_cancellation_patches_every_status_to_cancelled() -> None:
    appointment = booked()
    appointment.collect_events()
    appointment.cancel(NOW, meta())
    [event] = appointment.collect_events()

    patch = appointment_change(event)

    assert isinstance(patch, BookingPatch)
    assert patch.booking_id == appointment.id
    assert dict(patch.fields) == {"status": "cancelled", "userStatus": "cancelled", "orgStatus": "cancelled"}


def test_appointments_are_a_kind_of_the_view() -> None:
    assert APPOINTMENTS in KINDS
    assert set(APPOINTMENTS.events) == {Appointment.Booked, Appointment.Cancelled}
